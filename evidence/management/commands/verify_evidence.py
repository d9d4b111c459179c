"""verify_evidence [--case REF]: re-hash stored evidence and report what changed or is missing.

Exits non-zero when any file fails, so cron or a monitoring job can alert on it. Each run is
recorded as an IntegrityCheck, like the weekly task's, and shows in the admin and on the staff
dashboard."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from evidence.background import evidence_verify


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence file (or one case's) against the SHA-256 recorded at "
        "upload. Reports changed and missing files; exits with status 1 when there are any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--case", metavar="REF", help="Only this case's files, e.g. RC-2026-000042."
        )

    def handle(self, *args, case: str | None, **options):
        scope = None
        if case:
            scope = Case.objects.filter(reference=case.strip().upper()).first()
            if scope is None:
                raise CommandError(_("There is no case %(reference)s.") % {"reference": case})
        check = evidence_verify(case=scope)

        if scope:
            summary = ngettext(
                "Checked %(count)d file of case %(reference)s.",
                "Checked %(count)d files of case %(reference)s.",
                check.checked,
            ) % {"count": check.checked, "reference": scope.reference}
        else:
            summary = ngettext(
                "Checked %(count)d file.", "Checked %(count)d files.", check.checked
            ) % {"count": check.checked}
        self.stdout.write(summary)
        for problem in check.mismatches:
            self.stdout.write(
                self.style.ERROR(_("CHANGED"))
                + f"  {problem['case']}  {problem['name']}  ({problem['id']})"
            )
            self.stdout.write(f"  {_('expected')}: {problem['expected']}")
            self.stdout.write(f"  {_('actual')}: {problem['actual']}")
        for problem in check.missing:
            self.stdout.write(
                self.style.ERROR(_("MISSING"))
                + f"  {problem['case']}  {problem['name']}  ({problem['id']})"
            )
        if not check.ok:
            raise CommandError(
                _("%(changed)d changed and %(missing)d missing files.")
                % {"changed": len(check.mismatches), "missing": len(check.missing)}
            )
        self.stdout.write(self.style.SUCCESS(_("Every file matches its recorded SHA-256.")))

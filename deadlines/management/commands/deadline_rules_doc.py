"""Write docs/deadline-rules.md from the deadline rules table (deadlines.rules_doc).

`--check` exits 1 when the committed file differs from what would be written, so the document
cannot drift from the data; `--stdout` prints it instead of writing.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cases.choices import CaseKind, FilingType
from cases.kinds import details_field_labels
from deadlines.models import DeadlineRule
from deadlines.rules_doc import render_rules_doc

DOC_PATH = "docs/deadline-rules.md"


class Command(BaseCommand):
    help = f"Write {DOC_PATH} from the deadline rules table."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--check", action="store_true", help=f"Exit 1 if {DOC_PATH} is out of date."
        )
        # call_command maps a keyword argument to the option whose smallest name it is, so with
        # `--stdout` alone call_command(..., stdout=stream) would set this flag instead of
        # redirecting the output; the alias `--print` takes that name. dest is not "stdout",
        # which BaseCommand reads as the output stream.
        mode.add_argument(
            "--stdout",
            "--print",
            action="store_true",
            dest="to_stdout",
            help="Print the document instead of writing it.",
        )

    def handle(self, *args, check=False, to_stdout=False, **options):
        text = render()
        path = Path(settings.BASE_DIR) / DOC_PATH
        if to_stdout:
            self.stdout.write(text, ending="")
        elif check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                raise CommandError(
                    f"{DOC_PATH} is out of date: run python manage.py deadline_rules_doc"
                )
            self.stdout.write(f"{DOC_PATH} is up to date.")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            # newline="\n": the same bytes on every OS, or --check would fail on Windows.
            path.write_text(text, encoding="utf-8", newline="\n")
            self.stdout.write(f"Wrote {DOC_PATH}.")


def render() -> str:
    """The document from the rules as they are in the database."""
    # The bodies' names through the app registry, not an import: the directory (channels)
    # sits above the clocks in the layers (README, Layout); only its names are wanted here.
    body_model = apps.get_model("channels", "ExternalBody")
    with translation.override("en"):
        filing_types = {value: str(label) for value, label in FilingType.choices}
        details = {
            name: str(label)
            for kind in CaseKind
            for name, label in details_field_labels(kind).items()
        }
    return render_rules_doc(
        DeadlineRule.objects.order_by("key"),
        filing_types=filing_types,
        bodies={
            slug: (name, name_zh)
            for slug, name, name_zh in body_model.objects.values_list("slug", "name", "name_zh")
        },
        details=details,
    )

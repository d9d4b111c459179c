from django.core.management.base import BaseCommand

from cases.counts import status_counts_rebuild
from cases.models import Case

BATCH = 10_000


class Command(BaseCommand):
    help = (
        "Recount the staff queue's cases per status, and with --urgency recompute every "
        "case's next due moment and breached flag (after bulk loads such as seed_scale)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--urgency", action="store_true", help="Also refresh urgency.")

    def handle(self, *args, urgency=False, **options):
        from deadlines.services import case_refresh_urgency

        counts = status_counts_rebuild()
        self.stdout.write(", ".join(f"{status}: {n}" for status, n in counts.items()))
        if urgency:
            ids = Case.objects.order_by("pk").values_list("pk", flat=True)
            done, batch = 0, []
            for pk in ids.iterator(chunk_size=BATCH):
                batch.append(pk)
                if len(batch) == BATCH:
                    done += case_refresh_urgency(batch)
                    batch = []
            done += case_refresh_urgency(batch)
            self.stdout.write(f"urgency refreshed on {done} cases")

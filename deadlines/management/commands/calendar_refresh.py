"""`python manage.py calendar_refresh`: run by every deploy after `migrate` (docker-compose's
web command, `make run`). When the deploy brought newer calendar libraries (`holidays`,
`chinesecalendar`: a year newly published, a corrected holiday), the running clocks are
recomputed once and each moved clock's timeline says why. Otherwise it does nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand

from cases import clock
from deadlines.calendar_services import calendar_refresh


class Command(BaseCommand):
    help = "Recompute running clocks once if the calendar libraries changed since the last run."

    def handle(self, *args, **options):
        libraries = calendar_refresh(region=settings.DEADLINE_REGION, now=clock.now())
        if libraries:
            self.stdout.write(
                f"Calendar libraries updated ({libraries}): running clocks recomputed."
            )
        elif options["verbosity"] > 1:
            self.stdout.write("Calendar libraries unchanged.")

"""Load the demo content (demo/data/demo.toml) through the services, then print the logins."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from demo import loader


class Command(BaseCommand):
    help = "Load demo data (Chinese sellers and cases of every kind) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo accounts have a published password).",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo accounts share a "
                "published password. Pass --force if you really want demo data here."
            )
        new_users, new_cases, demo_cases = loader.load()
        self.stdout.write(
            f"Demo data: {new_users} new users, {new_cases} new cases "
            f"({demo_cases} demo cases in all)."
        )
        self.stdout.write("")
        call_command("demo_logins", stdout=self.stdout, no_color=options["no_color"])

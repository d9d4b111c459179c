"""Print the demo logins, as the data file has them (`make run` prints them last)."""

from django.core.management.base import BaseCommand

from demo import loader


class Command(BaseCommand):
    help = "Print the demo logins (users and password of demo/data/demo.toml)."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS("Demo logins / 演示账号"))
        for username, password, who in loader.logins(loader.parse()):
            self.stdout.write(f"  {username:<9} {password:<15} {who}")
        self.stdout.write("  (a password changed since the first load stays changed)")

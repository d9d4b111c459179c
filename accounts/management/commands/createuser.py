"""createuser USERNAME --role {seller,staff} [--email E] [--noinput] (DESIGN.md, operations)."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_create
from config.errors import DomainError

PASSWORD_ENV = "DJANGO_USER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a seller or staff user. With --noinput the password comes from the "
        f"{PASSWORD_ENV} environment variable; otherwise it is asked for twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Do not prompt; read the password from {PASSWORD_ENV}.",
        )

    def handle(self, *args, username, role, email, interactive, **options):
        if interactive:
            # Say so before asking for a password twice; the service still decides.
            if User.objects.filter(username__iexact=username.strip()).exists():
                raise CommandError(_("That username is taken."))
            user = self._create_prompting(username=username, role=role, email=email)
        else:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(
                    _("--noinput needs the password in the %(variable)s environment variable.")
                    % {"variable": PASSWORD_ENV}
                )
            try:
                user = user_create(username=username, password=password, role=role, email=email)
            except DomainError as error:
                raise CommandError(str(error.message)) from None
        self.stdout.write(
            _("Created user “%(username)s” (%(role)s).")
            % {"role": user.get_role_display(), "username": user.username}
        )

    def _create_prompting(self, *, username, role, email):
        """Ask until the password passes the validators; any other refusal ends the command."""
        while True:
            password = self._ask_password()
            try:
                return user_create(username=username, password=password, role=role, email=email)
            except DomainError as error:
                if error.field != "password":
                    raise CommandError(str(error.message)) from None
                self.stderr.write(str(error.message))

    def _ask_password(self) -> str:
        try:
            while True:
                password = getpass.getpass(_("Password: "))
                if not password:
                    self.stderr.write(_("The password cannot be empty."))
                    continue
                if password != getpass.getpass(_("Password (again): ")):
                    self.stderr.write(_("The two passwords do not match."))
                    continue
                return password
        except (KeyboardInterrupt, EOFError):
            raise CommandError(_("Cancelled.")) from None

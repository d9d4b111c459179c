import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Role, User, hash_token
from config.errors import DomainError


@transaction.atomic
def user_create(
    *, username: str, password: str | None, role: str = Role.SELLER, email: str = ""
) -> User:
    """Create a user of a role. Superusers are made in the admin or with createsuperuser."""
    if role not in Role.values:
        raise DomainError(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    # The web form, the API and createuser all land here, so the field rules are checked here.
    username = (username or "").strip()
    try:
        User._meta.get_field("username").clean(username, None)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="username") from None
    email = User.objects.normalize_email((email or "").strip())
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="email") from None
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("That username is taken."), code="conflict", field="username")
    user = User(username=username, email=email, role=role, is_staff=role == Role.STAFF)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="password") from None
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(_("That username is taken."), code="conflict", field="username") from None
    return user


@transaction.atomic
def user_set_time_zone(*, actor: User, time_zone: str) -> User:
    """The zone the actor's pages show times in."""
    if time_zone not in zoneinfo.available_timezones():
        raise DomainError(
            _("Unknown time zone “%(zone)s”.") % {"zone": time_zone}, field="time_zone"
        )
    actor.time_zone = time_zone
    actor.save(update_fields=["time_zone"])
    return actor


def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for the actor; returns it with its key, which is never shown again."""
    name = (name or "").strip() or _("API token")
    if len(name) > 100:
        raise DomainError(_("A token name has at most 100 characters."), field="name")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[:8], digest=hash_token(key))
    return token, key


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError(_("That token is not yours."), code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _check_language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            _("Choose one of: %(languages)s.")
            % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)},
            field="language",
        )
    return language


def user_set_notification_preferences(
    *, actor: User, language: str, email_notifications: bool
) -> User:
    """The language the actor's e-mails (and pages) are written in, and whether notifications
    are also e-mailed. Rows already waiting in the outbox follow the new choice: delivery checks
    the preference again before sending."""
    actor.language = _check_language(language)
    actor.email_notifications = bool(email_notifications)
    actor.save(update_fields=["language", "email_notifications"])
    return actor


def user_set_language(*, actor: User, language: str) -> User:
    """The language switcher's choice, kept for the actor's e-mails too."""
    language = _check_language(language)
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])
    return actor

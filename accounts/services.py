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
from config.ratelimit import RateLimited, count_and_check
from config.tasks import enqueue_on_commit

# Password reset e-mails: per address (its owner needs one, maybe a second) and per client
# (one person forgetting which address they used tries a few).
RESET_PER_ADDRESS = (3, 3600)
RESET_PER_CLIENT = (10, 3600)
# Sign-up attempts per client an hour: a person signs up once; more is someone probing which
# usernames exist, which the answer to a taken name would otherwise tell them without limit.
SIGNUP_PER_CLIENT = (10, 3600)


class TooManyRequests(DomainError):
    status = 429


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
    user = User(username=username, email=email, role=role, is_staff=role == Role.STAFF)
    # The password first: a taken name is then the last thing said, so that the answer to a
    # weak password does not differ between taken and free names.
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="password") from None
        user.set_password(password)
    unavailable = DomainError(
        _("This username is not available. Please choose another."),
        code="conflict",
        field="username",
    )
    if User.objects.filter(username__iexact=username).exists():
        raise unavailable
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise unavailable from None
    return user


def signup_allowed(*, client: str) -> None:
    """Count a sign-up attempt from `client`; TooManyRequests beyond the hourly limit."""
    try:
        count_and_check("signup", client, limit=SIGNUP_PER_CLIENT[0], period=SIGNUP_PER_CLIENT[1])
    except RateLimited:
        raise TooManyRequests(
            _("Too many sign-up attempts from your connection. Please try again in an hour."),
            code="rate_limited",
        ) from None


def password_reset_request(
    *, email: str, client: str, domain: str, use_https: bool, language: str
) -> None:
    """Send a reset link to `email` if it is an account's, from the worker: the request does
    the same work, and so takes the same time, whether or not the address exists. Limited per
    address and per client; the limit answers alike for every address."""
    email = User.objects.normalize_email(email.strip()).casefold()
    try:
        count_and_check(
            "reset-client", client, limit=RESET_PER_CLIENT[0], period=RESET_PER_CLIENT[1]
        )
        count_and_check(
            "reset-address", email, limit=RESET_PER_ADDRESS[0], period=RESET_PER_ADDRESS[1]
        )
    except RateLimited:
        raise TooManyRequests(
            _(
                "Too many password reset requests. Please check your inbox, or try again in an "
                "hour."
            ),
            code="rate_limited",
            field="email",
        ) from None
    from accounts.tasks import send_password_reset

    enqueue_on_commit(
        send_password_reset, email=email, domain=domain, use_https=use_https, language=language
    )


@transaction.atomic
def user_update_profile(*, actor: User, display_name: str, time_zone: str) -> User:
    """How the actor's name is shown to others, and the zone their pages show times in."""
    if time_zone not in zoneinfo.available_timezones():
        raise DomainError(
            _("Unknown time zone “%(zone)s”.") % {"zone": time_zone}, field="time_zone"
        )
    display_name = " ".join((display_name or "").split())
    if len(display_name) > User._meta.get_field("display_name").max_length:
        raise DomainError(_("A display name may be at most 100 characters."), field="display_name")
    actor.display_name = display_name
    actor.time_zone = time_zone
    actor.save(update_fields=["display_name", "time_zone"])
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

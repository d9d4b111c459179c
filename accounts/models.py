import hashlib
import re
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SELLER = "seller", _("Seller")
    STAFF = "staff", _("Support staff")


class Organisation(models.Model):
    """A company several sellers work for; its members see each other's cases."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Han characters (CJK Unified Ideographs and Extension A): a name in Chinese.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


# Who is support staff (superusers count). The assignment lists filter on it, and a partial
# index holds exactly those rows, so listing staff reads a handful of rows, not every seller.
SUPPORT_STAFF = models.Q(role=Role.STAFF) | models.Q(is_superuser=True)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SELLER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, choices=_time_zone_choices
    )
    # E-mails are written in this language (a browser's choice is not known to a worker).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_notifications = models.BooleanField(
        _("e-mail notifications"),
        default=True,
        help_text=_("Also send notifications by e-mail. They always appear in the app."),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=100,
        blank=True,
        help_text=_("How your name is shown to others, e.g. 周云. Empty: from your name."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"
            )
        ]
        indexes = [
            models.Index(
                fields=["username"],
                condition=SUPPORT_STAFF & models.Q(is_active=True),
                name="accounts_user_staff",
            )
        ]

    def get_full_name(self) -> str:
        """The name as its bearer writes it: the display name if set; else a Chinese name
        family name first with no space (周云, never Django's "云 周"), other names given name
        first ("Anna Schmidt")."""
        return self.display_name.strip() or self.name_from_parts()

    def name_from_parts(self) -> str:
        given, family = self.first_name.strip(), self.last_name.strip()
        if _HAN.search(given + family):
            return f"{family}{given}"
        return " ".join(part for part in (given, family) if part)

    @property
    def display(self) -> str:
        """The name to show, else the username."""
        return self.get_full_name() or self.username

    @property
    def is_support_staff(self) -> bool:
        """Staff in the product sense: sees and moves every case. Superusers count as staff."""
        return self.role == Role.STAFF or self.is_superuser


def hash_token(key: str) -> str:
    # Tokens are 32 random bytes, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal access token. Only its SHA-256 is stored; the key is shown once."""

    # CASCADE: a token is a pure child of its user and means nothing without them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [
            # The token page: a user's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="accounts_token_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from config.errors import DomainError


class DomainErrorFormMixin:
    """Shows a service's DomainError on the form field it names (or on the form itself)."""

    domain_error_fields: dict[str, str] = {}

    def add_domain_error(self, error: DomainError) -> None:
        field = self.domain_error_fields.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, str(error.message))


class SignupForm(DomainErrorFormMixin, forms.Form):
    """Checks what a form can check; the user rules (taken name, weak password) are the
    service's, and come back through add_domain_error."""

    domain_error_fields = {"password": "password1"}

    username = UsernameField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Used to reset your password and for notifications."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


class TokenCreateForm(DomainErrorFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What will use it, e.g. “ERP sync”."),
    )


# Where Recourse's sellers are: mainland China first, then the places they trade with most.
COMMON_TIME_ZONES = [
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Bangkok",
    "Asia/Dubai",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
]


def _time_zone_choices():
    """The common zones first, then every zone: a picker of 600 names starting at Africa/Abidjan
    made a seller in Shanghai scroll past Africa and America to find it."""
    every = sorted(zoneinfo.available_timezones())
    common = [name for name in COMMON_TIME_ZONES if name in every]
    return [
        (_("Common"), [(name, name) for name in common]),
        (_("All time zones"), [(name, name) for name in every]),
    ]


class ProfileForm(DomainErrorFormMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        required=False,
        help_text=_("How your name is shown to others, e.g. 周云. Empty: from your name."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        help_text=_("Dates and deadlines are shown in this time zone."),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        form = cls(data, initial={"display_name": user.display_name, "time_zone": user.time_zone})
        # What others see while the box is empty.
        form.fields["display_name"].widget.attrs["placeholder"] = user.name_from_parts()
        return form


class NotificationPreferencesForm(DomainErrorFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the pages and of the e-mails we send you."),
    )
    email_notifications = forms.BooleanField(
        label=_("Also send notifications by e-mail"),
        required=False,
        help_text=_(
            "Deadlines due soon or passed, and changes someone else made to your cases. "
            "They always appear under Notifications."
        ),
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "NotificationPreferencesForm":
        return cls(
            data,
            initial={"language": user.language, "email_notifications": user.email_notifications},
        )

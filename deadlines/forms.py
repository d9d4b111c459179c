"""Staff's forms on a clock: pause, resume and extend, each with a reason."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.calendar import end_of_day
from deadlines.staff import REASON_MAX_LENGTH


def _reason_field():
    return forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the seller on the case's timeline."),
        error_messages={"required": _("Give a reason: the seller sees it on the timeline.")},
    )


class DeadlineReasonForm(forms.Form):
    """Pause or resume a clock: the reason is all there is to say."""

    reason = _reason_field()

    def service_kwargs(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class DeadlineExtendForm(forms.Form):
    """Extend a clock by working days or hours, or to a new due day (ending at 24:00 in the
    user's time zone). Exactly one of them: the service checks it, for the API too."""

    reason = _reason_field()
    working_days = forms.IntegerField(
        label=_("By working days"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    hours = forms.IntegerField(
        label=_("By hours"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    due_on = forms.DateField(
        label=_("Or until the end of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The clock then runs out at 24:00 that day."),
    )

    def clean_due_on(self):
        # The service checks the moment's range; 24:00 of 9999-12-31 is past what Python holds.
        day = self.cleaned_data.get("due_on")
        if day is not None:
            try:
                end_of_day(day, timezone.get_current_timezone())
            except OverflowError:
                raise forms.ValidationError(_("Give a moment between 2000 and 2200.")) from None
        return day

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        # All that was given: "exactly one of them" is the service's rule, as for the API.
        return {
            "reason": data["reason"],
            "working_days": data.get("working_days"),
            "hours": data.get("hours"),
            "due_at": (
                end_of_day(data["due_on"], timezone.get_current_timezone())
                if data.get("due_on")
                else None
            ),
        }

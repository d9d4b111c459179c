from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.models import BODY_MAX_LENGTH

MESSAGE, INTERNAL = "message", "internal"
# Where the message view leaves a rejected form for the case page's thread to show again.
REJECTED_FORM_ATTRIBUTE = "conversation_form"


class MessageForm(forms.Form):
    """A message for the case's conversation. Staff choose with the button they press whether
    it goes to the seller or stays an internal note; a seller's form has only the first."""

    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The submit button pressed; no button (Enter in a script, an old page) means a message.
    send = forms.ChoiceField(
        choices=[(MESSAGE, _("Message")), (INTERNAL, _("Internal note"))], required=False
    )

    def __init__(self, *args, staff: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)
        self.fields["body"].label = (
            _("Message to the seller, or internal note") if staff else _("Message to support")
        )

    @property
    def internal(self) -> bool:
        return self.cleaned_data.get("send") == INTERNAL

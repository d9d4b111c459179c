"""The case page's conversation: its messages in one query, and the form to write one."""

from django import template

from cases.selectors import sees_internal_notes
from conversations.forms import REJECTED_FORM_ATTRIBUTE, MessageForm
from conversations.selectors import messages_for

register = template.Library()


@register.simple_tag(takes_context=True)
def conversation(context, case) -> dict:
    """The thread for the viewer (internal notes only for staff; `messages_for` decides), oldest
    first as a chat reads, and the form: the one just rejected, with what was typed, or a new
    one."""
    request = context["request"]
    user = request.user
    staff = sees_internal_notes(user)
    form = getattr(request, REJECTED_FORM_ATTRIBUTE, None) or MessageForm(staff=staff)
    return {
        "messages": list(messages_for(actor=user, case=case)),
        "form": form,
        "staff": staff,
    }

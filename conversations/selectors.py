"""Reading a case's conversation (who sees internal notes: cases.selectors.sees_internal_notes)."""

from django.db.models import QuerySet

from accounts.models import User
from cases.models import Case
from cases.selectors import sees_internal_notes
from conversations.models import Message


def messages_for(*, actor: User, case: Case) -> QuerySet[Message]:
    """The case's messages, oldest first, with their authors (one query). Staff get the
    internal notes too; anyone else never. Callers have checked the actor may see the case
    (`case_get_for`). Served by the index conversations_msg_case."""
    messages = (
        Message.objects.filter(case=case).select_related("author").order_by("created_at", "id")
    )
    if not sees_internal_notes(actor):
        messages = messages.filter(internal=False)
    return messages

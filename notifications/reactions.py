"""Who is told when a person changes a case, called in the case service's transaction through
`cases.hooks.REACTIONS` (this app sits above `cases`, which cannot import it)."""

from cases.models import CaseEvent
from notifications.services import notify_case_change


def case_event(*, event: CaseEvent, **moment) -> None:
    """Any change a person makes: its event tells what (status, edit, note); the rest of the
    moment's arguments are not needed here."""
    notify_case_change(event=event)

"""What the clocks do when a case changes, called in the case service's transaction through
`cases.hooks.REACTIONS` (this app sits above `cases`, which cannot import it)."""

from cases.models import Case, CaseEvent
from deadlines.services import deadlines_on_details, deadlines_on_status_entered


def case_created(*, case: Case) -> None:
    deadlines_on_details(case=case)


def case_updated(*, case: Case, event: CaseEvent, changed: list[str]) -> None:
    # Only the dates in the details start or move clocks.
    if "details" in changed:
        deadlines_on_details(case=case)


def status_changed(*, case: Case, event: CaseEvent, from_status: str, to_status: str) -> None:
    deadlines_on_status_entered(case=case, from_status=from_status, to_status=to_status)

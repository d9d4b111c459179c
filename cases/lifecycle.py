"""The case lifecycle table (DESIGN.md), in one place. Only `services.case_transition` moves."""

from cases.choices import Status

S = Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.FILED, S.WITHDRAWN}),
    S.FILED: frozenset({S.IN_REVIEW, S.INFO_REQUESTED, S.DECIDED, S.ESCALATED, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.INFO_REQUESTED, S.DECIDED, S.ESCALATED, S.WITHDRAWN}),
    S.INFO_REQUESTED: frozenset({S.IN_REVIEW, S.DECIDED, S.ESCALATED, S.WITHDRAWN}),
    S.DECIDED: frozenset({S.APPEALED, S.ESCALATED, S.RESOLVED}),
    S.APPEALED: frozenset({S.IN_REVIEW, S.INFO_REQUESTED, S.DECIDED, S.ESCALATED, S.WITHDRAWN}),
    S.ESCALATED: frozenset({S.IN_REVIEW, S.DECIDED, S.RESOLVED, S.WITHDRAWN}),
    S.RESOLVED: frozenset({S.IN_REVIEW}),
    S.WITHDRAWN: frozenset(),
}

# Moves only support staff may make: reopening a resolved case.
STAFF_ONLY: frozenset[tuple[str, str]] = frozenset({(S.RESOLVED, S.IN_REVIEW)})

# Statuses in which a case is over; the outcome is set exactly in these.
CLOSED: frozenset[str] = frozenset({S.RESOLVED, S.WITHDRAWN})

# Display order of the next-step buttons: forward moves first, withdrawing last.
_ORDER = [s.value for s in Status]


def allowed_targets(current: str, *, is_staff: bool) -> list[str]:
    """The statuses this actor may move a case in `current` to, in lifecycle order."""
    targets = {
        target for target in TRANSITIONS[current] if is_staff or (current, target) not in STAFF_ONLY
    }
    return [str(s) for s in sorted(targets, key=_ORDER.index)]

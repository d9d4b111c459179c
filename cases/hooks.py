"""Where the apps above `cases` plug into it: the one place that says what a change to a case
sets off elsewhere, and which parts of the case pages other apps draw.

`cases` is the lowest domain layer. The clocks (`deadlines`), the outbox (`notifications`), the
contacts (`channels`), the files (`evidence`) and the desk build on the case and import it,
never the other way round (the import-linter contract in pyproject.toml). Yet some of their work
must happen inside a case service's transaction: a status change starts, pauses or settles
clocks and tells the people concerned, and the move and its effects land together or not at
all. So a case service names the moment (`react("status_changed", ...)`) and the functions
listed for it in REACTIONS run, in the order listed, inside that transaction; one that raises
rolls the whole change back. The case pages are assembled the same way: each function listed
in PAGES adds its part of the page's template context.

Why a table and not Django signals: a signal's receivers are found only by searching the whole
project and run in import order, and a failing one is easy to swallow. Here every call from
`cases` up into the apps above is in these tables, read top to bottom; the functions are
named by dotted path because importing them here would turn the layers upside down.
`tests/cases/test_hooks.py` imports every entry and checks that it takes the arguments its
moment passes.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.utils.module_loading import import_string

# Each moment and the keyword arguments its reactions receive.
MOMENTS: dict[str, tuple[str, ...]] = {
    "case_created": ("case",),
    "case_updated": ("case", "event", "changed"),
    "status_changed": ("case", "event", "from_status", "to_status"),
    "note_added": ("case", "event"),
}

# Who reacts to each moment, in order.
REACTIONS: dict[str, tuple[str, ...]] = {
    # case_create: a new draft (case). Clocks from the dates in its details (limitation …).
    "case_created": ("deadlines.reactions.case_created",),
    # case_update: fields edited (case, event, changed: the names of the changed fields).
    "case_updated": (
        "notifications.reactions.case_event",
        "deadlines.reactions.case_updated",
    ),
    # case_transition: a status move (case, event, from_status, to_status). Told first, then
    # the clocks, whose own timeline entries follow the move's.
    "status_changed": (
        "notifications.reactions.case_event",
        "deadlines.reactions.status_changed",
    ),
    # case_add_note: a note on the timeline (case, event).
    "note_added": ("notifications.reactions.case_event",),
}

# Each page, and who adds to its context, in order: (request, case or None, context) -> dict.
# A later part may read what an earlier one added (the contacts' form lists the files).
PAGES: dict[str, tuple[str, ...]] = {
    # The home page: the reader's next and breached clocks; staff's integrity-check banner.
    "dashboard": (
        "deadlines.views.dashboard_context",
        "evidence.views.dashboard_context",
    ),
    # The case page: its clocks, its files and checklist, then its contacts, the timeline with
    # contacts merged in and the next steps (which need the files).
    "case": (
        "deadlines.views.case_page_context",
        "evidence.views.case_page_context",
        "channels.views.case_page_context",
    ),
}

# What `cases` asks of the apps above it, by name: the answer's function, called with keywords.
QUERIES: dict[str, str] = {
    # (case, after) -> datetime | None: when the platform's decision a case is entering
    # "decided" with reached the seller, from the contacts: the latest decision received from
    # the platform after `after` (the previous decision's notification, or None).
    "decision_announced_at": "channels.selectors.decision_announced_at",
}


@cache
def _resolve(path: str) -> Callable[..., Any]:
    return import_string(path)


def react(moment: str, **kwargs: Any) -> None:
    """Run the reactions to `moment` in order, in the caller's transaction."""
    if set(kwargs) != set(MOMENTS[moment]):
        raise TypeError(f"{moment} passes {sorted(MOMENTS[moment])}, not {sorted(kwargs)}")
    for path in REACTIONS[moment]:
        _resolve(path)(**kwargs)


def ask(query: str, **kwargs: Any) -> Any:
    """The answer of the function QUERIES names for `query`."""
    return _resolve(QUERIES[query])(**kwargs)


def page_context(page: str, request, case, context: dict) -> dict:
    """`context` with every part of `page` added in order (a caller's values, such as a form
    redisplayed with its errors, win over a part's defaults)."""
    for path in PAGES[page]:
        for key, value in _resolve(path)(request, case, context).items():
            context.setdefault(key, value)
    return context

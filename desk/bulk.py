"""Bulk actions on a selection of cases: assign, set priority, move status.

Each case goes through the same service as a single change (`case_assign`, `case_update`,
`case_transition`), in a transaction (a savepoint when called inside one) of its own: a case
that cannot take the change is skipped with the reason, and one that fails half-way is rolled
back whole, without undoing the cases before it. The result says, per case, what happened.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from cases.choices import Priority, Status
from cases.lifecycle import CLOSED, allowed_targets
from cases.models import Case
from cases.services import case_transition, case_update, check_decision_result, check_note
from config.errors import DomainError
from desk.assignment import case_assign, check_assignee
from desk.services import require_staff

# One request changes at most this many cases: each takes a row lock and a few writes, and
# the page lists every result.
MAX_SELECTION = 500
# A reference is "RC-YYYY-NNNNNN"; anything much longer is not one.
REFERENCE_MAX_LENGTH = 32


class Action:
    ASSIGN = "assign"
    PRIORITY = "priority"
    STATUS = "status"

    choices = [
        (ASSIGN, gettext_lazy("Assign")),
        (PRIORITY, gettext_lazy("Set priority")),
        (STATUS, gettext_lazy("Move to status")),
    ]
    values = [value for value, _label in choices]


@dataclass
class CaseResult:
    reference: str
    done: bool
    reason: str = ""
    case: Case | None = None


@dataclass
class BulkResult:
    action: str
    results: list[CaseResult] = field(default_factory=list)

    @property
    def done(self) -> list[CaseResult]:
        return [r for r in self.results if r.done]

    @property
    def skipped(self) -> list[CaseResult]:
        return [r for r in self.results if not r.done]

    @property
    def summary(self) -> str:
        """ "12 moved, 2 skipped: already resolved" — the skipped grouped by reason, the most
        frequent first, each with its count when there are several reasons."""
        done = len(self.done)
        if self.action == Action.ASSIGN:
            text = ngettext("%(count)d assigned", "%(count)d assigned", done)
        elif self.action == Action.PRIORITY:
            text = ngettext("%(count)d changed", "%(count)d changed", done)
        else:
            text = ngettext("%(count)d moved", "%(count)d moved", done)
        text = text % {"count": done}
        skipped = self.skipped
        if not skipped:
            return text
        reasons = Counter(r.reason for r in skipped).most_common()
        if len(reasons) == 1:
            why = reasons[0][0]
        else:
            why = _(", ").join(
                _("%(reason)s (%(count)d)") % {"reason": reason, "count": count}
                for reason, count in reasons
            )
        return _("%(done)s, %(skipped)s: %(reasons)s") % {
            "done": text,
            "skipped": ngettext("%(count)d skipped", "%(count)d skipped", len(skipped))
            % {"count": len(skipped)},
            "reasons": why,
        }


def _clean_references(references) -> list[str]:
    """The selection without blanks and repeats, in the order given; bounded."""
    if isinstance(references, str) or not hasattr(references, "__iter__"):
        raise DomainError(_("Give a list of case references."), field="references")
    seen: dict[str, None] = {}
    for reference in references:
        text = str(reference).strip()
        if text:
            seen.setdefault(text[:REFERENCE_MAX_LENGTH], None)
    if not seen:
        raise DomainError(_("Select at least one case."), field="references")
    if len(seen) > MAX_SELECTION:
        raise DomainError(
            _("Select at most %(max)d cases at a time; %(count)d were selected.")
            % {"max": MAX_SELECTION, "count": len(seen)},
            field="references",
        )
    return list(seen)


def _check_arguments(*, action, assignee, priority, status, decision_result) -> None:
    if action not in Action.values:
        raise DomainError(
            _("Unknown action “%(action)s”. Choose one of: %(allowed)s.")
            % {"action": str(action)[:50], "allowed": ", ".join(Action.values)},
            field="action",
        )
    if action == Action.ASSIGN:
        check_assignee(assignee)
    elif action == Action.PRIORITY:
        if priority not in Priority.values:
            raise DomainError(
                _("Choose a priority: %(allowed)s.") % {"allowed": ", ".join(Priority.values)},
                field="priority",
            )
    elif status not in Status.values:
        raise DomainError(
            _("Choose a status: %(allowed)s.") % {"allowed": ", ".join(Status.values)},
            field="status",
        )
    elif status == Status.RESOLVED:
        raise DomainError(_("Resolve cases one at a time: each needs its outcome."), field="status")
    # Checked for the whole selection before any case moves (the service's own rule).
    check_decision_result(decision_result, to=status if action == Action.STATUS else "")


def _lower(label) -> str:
    return str(label).lower()


def _apply_one(
    *, actor, case, action, assignee, priority, status, decision_result, note
) -> tuple[str, Case]:
    """Change one case whose row the caller has locked: ("", the changed case) when done,
    else (why not, the case as it is)."""
    if action == Action.ASSIGN:
        if case.assignee_id == (assignee.pk if assignee is not None else None):
            if assignee is None:
                return _("already unassigned"), case
            return _("already assigned to %(name)s") % {"name": assignee.username}, case
        return "", case_assign(actor=actor, case=case, assignee=assignee, note=note)
    if action == Action.PRIORITY:
        if case.priority == priority:
            return _("already %(priority)s") % {"priority": _lower(Priority(priority).label)}, case
        return "", case_update(actor=actor, case=case, priority=priority)
    if case.status == status:
        return _("already %(status)s") % {"status": _lower(Status(status).label)}, case
    if status not in allowed_targets(case.status, is_staff=actor.is_support_staff):
        if case.status in CLOSED:
            # Over: "already resolved" says more than "not allowed from …".
            return _("already %(status)s") % {"status": _lower(Status(case.status).label)}, case
        return _("not allowed from “%(status)s”") % {"status": Status(case.status).label}, case
    # Each case's notification moment is its own: its logged decision, else now.
    return "", case_transition(
        actor=actor, case=case, to=status, note=note, decision_result=decision_result
    )


def bulk_apply(
    *,
    actor: User,
    references,
    action: str,
    assignee: User | None = None,
    priority: str | None = None,
    status: str | None = None,
    decision_result: str | None = None,
    note: str = "",
) -> BulkResult:
    """Apply one action to the cases with these references, each on its own.

    1. Staff only (anyone else: 404). Check the action and its argument, the note (not with
       a priority: the edit event has none), and the selection (1 to MAX_SELECTION
       references; repeats count once). Bad input changes nothing and raises DomainError
       naming the field.
    2. Read the selected cases in one query; a reference that matches none is "not found".
    3. Per case, in its own transaction: lock the row, read its current state, skip with the
       reason when the change does not apply (already so, not allowed from its status), else
       call the service. A service's refusal (DomainError) rolls that case back whole and is
       its reason; the other cases keep their changes.
    """
    require_staff(actor)
    _check_arguments(
        action=action,
        assignee=assignee,
        priority=priority,
        status=status,
        decision_result=decision_result,
    )
    note = check_note(note)
    if note and action == Action.PRIORITY:
        # case_update's edit event has no note; better refused than quietly lost.
        raise DomainError(
            _("A note goes with an assignment or a move; set the priority without one."),
            field="note",
        )
    references = _clean_references(references)
    # Staff see every case; a seller never gets this far.
    ids = dict(Case.objects.filter(reference__in=references).values_list("reference", "pk"))
    result = BulkResult(action=action)
    for reference in references:
        if reference not in ids:
            result.results.append(CaseResult(reference, done=False, reason=_("not found")))
            continue
        case = None
        try:
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=ids[reference])
                reason, case = _apply_one(
                    actor=actor,
                    case=locked,
                    action=action,
                    assignee=assignee,
                    priority=priority,
                    status=status,
                    decision_result=decision_result,
                    note=note,
                )
        except DomainError as error:
            # Rolled back whole: the case is as it was before.
            reason = str(error.message)
            case = Case.objects.filter(pk=ids[reference]).first()
        except Case.DoesNotExist:  # deleted since the selection was read
            reason = _("not found")
        result.results.append(CaseResult(reference, done=not reason, reason=reason, case=case))
    return result

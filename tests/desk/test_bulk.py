"""Bulk actions on a selection: each case changed on its own, through the same rules as a
single change, with a result per case and a one-line summary ("12 moved, 2 skipped: already
resolved"). A case that fails half-way is rolled back whole without undoing the others.
Sellers reach none of it (404)."""

import pytest
from django.http import Http404
from django.utils import translation

from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent
from cases.services import case_transition
from config.errors import DomainError
from desk.bulk import MAX_SELECTION, bulk_apply
from notifications.choices import NotificationKind
from notifications.models import Notification

EN = {"accept-language": "en"}
BULK_URL = "/staff/bulk/"


@pytest.fixture(autouse=True)
def _english():
    # Reasons and summaries are in the active language; these tests read the English ones.
    with translation.override("en"):
        yield


@pytest.fixture
def dave(make_user):
    return make_user("dave", role="staff")


def _move(case, *path, actor):
    for to in path:
        case_transition(
            actor=actor,
            case=case,
            to=to,
            decision_result="rejected" if to == "decided" else None,
        )
    return case


def _resolve(case, actor):
    _move(case, "filed", "decided", actor=actor)
    case_transition(actor=actor, case=case, to="resolved", outcome="won")
    return case


def _status(case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


# --- Service --------------------------------------------------------------------------------


def test_a_mixed_selection_moves_what_it_can_and_says_why_not_for_the_rest(
    alice, bob, carol, make_case
):
    filed = [_move(make_case(alice if i % 2 else bob), "filed", actor=carol) for i in range(12)]
    resolved = [_resolve(make_case(alice), carol) for _ in range(2)]

    result = bulk_apply(
        actor=carol,
        references=[c.reference for c in filed + resolved],
        action="status",
        status="decided",
        decision_result="rejected",
        note="平台已答复",
    )

    assert result.summary == "12 moved, 2 skipped: already resolved"
    assert [r.done for r in result.results] == [True] * 12 + [False] * 2
    assert {_status(c) for c in filed} == {Status.DECIDED}
    assert {_status(c) for c in resolved} == {Status.RESOLVED}
    event = CaseEvent.objects.filter(case=filed[0], kind=EventKind.STATUS_CHANGED).last()
    assert (event.actor, event.to_status, event.note) == (carol, "decided", "平台已答复")


def test_cases_already_in_the_status_are_skipped_as_already_so(alice, carol, make_case):
    drafts = [make_case(alice) for _ in range(3)]
    resolved = [_resolve(make_case(alice), carol) for _ in range(2)]

    result = bulk_apply(
        actor=carol,
        references=[c.reference for c in resolved + drafts],
        action="status",
        status="withdrawn",
    )

    # Resolved cases cannot be withdrawn; the drafts can.
    assert result.summary == "3 moved, 2 skipped: already resolved"
    result = bulk_apply(
        actor=carol,
        references=[c.reference for c in drafts],
        action="status",
        status="withdrawn",
    )
    assert result.summary == "0 moved, 3 skipped: already withdrawn"


def test_several_reasons_are_counted_each(alice, carol, make_case):
    resolved = _resolve(make_case(alice), carol)
    decided = _move(make_case(alice), "filed", "decided", actor=carol)
    drafts = [make_case(alice) for _ in range(2)]
    filed = _move(make_case(alice), "filed", actor=carol)

    result = bulk_apply(
        actor=carol,
        references=[
            resolved.reference,
            decided.reference,
            drafts[0].reference,
            "RC-2026-999999",
            drafts[1].reference,
            filed.reference,
        ],
        action="status",
        status="decided",
        decision_result="rejected",
    )

    assert [(r.reference, r.done, r.reason) for r in result.results] == [
        (resolved.reference, False, "already resolved"),
        (decided.reference, False, "already decided"),
        (drafts[0].reference, False, "not allowed from “Draft”"),
        ("RC-2026-999999", False, "not found"),
        (drafts[1].reference, False, "not allowed from “Draft”"),
        (filed.reference, True, ""),
    ]
    # The most frequent reason first.
    assert result.summary == (
        "1 moved, 5 skipped: not allowed from “Draft” (2), already resolved (1), "
        "already decided (1), not found (1)"
    )


def test_assigning_a_selection_notifies_the_assignee_per_case(alice, bob, carol, dave, make_case):
    cases = [make_case(alice), make_case(bob), make_case(alice)]
    bulk_apply(actor=carol, references=[cases[2].reference], action="assign", assignee=dave)

    result = bulk_apply(
        actor=carol, references=[c.reference for c in cases], action="assign", assignee=dave
    )

    assert result.summary == "2 assigned, 1 skipped: already assigned to dave"
    assert {c.assignee_id for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {dave.pk}
    assert Notification.objects.filter(recipient=dave, kind=NotificationKind.ASSIGNED).count() == 3
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED).count() == 3


def test_assigning_to_oneself_notifies_only_the_owners(alice, carol, make_case):
    cases = [make_case(alice) for _ in range(2)]
    bulk_apply(
        actor=carol, references=[c.reference for c in cases], action="assign", assignee=carol
    )
    assert not Notification.objects.filter(recipient=carol).exists()
    assert Notification.objects.filter(recipient=alice).count() == 2


def test_unassigning_a_selection(alice, carol, dave, make_case):
    cases = [make_case(alice) for _ in range(2)]
    bulk_apply(actor=carol, references=[cases[0].reference], action="assign", assignee=dave)
    result = bulk_apply(
        actor=carol, references=[c.reference for c in cases], action="assign", assignee=None
    )
    assert result.summary == "1 assigned, 1 skipped: already unassigned"
    assert not Case.objects.filter(assignee__isnull=False).exists()


def test_setting_the_priority_of_a_selection(alice, carol, make_case):
    urgent = make_case(alice, priority="urgent")
    normal = [make_case(alice) for _ in range(2)]

    result = bulk_apply(
        actor=carol,
        references=[urgent.reference, *(c.reference for c in normal)],
        action="priority",
        priority="urgent",
    )

    assert result.summary == "2 changed, 1 skipped: already urgent"
    assert set(Case.objects.values_list("priority", flat=True)) == {"urgent"}
    event = CaseEvent.objects.filter(case=normal[0], kind=EventKind.FIELDS_CHANGED).get()
    assert event.changes == {"priority": {"old": "normal", "new": "urgent"}}


def test_repeated_references_count_once(alice, carol, make_case):
    case = make_case(alice)
    result = bulk_apply(
        actor=carol,
        references=[case.reference, case.reference, " ", case.reference],
        action="priority",
        priority="urgent",
    )
    assert result.summary == "1 changed"
    assert len(result.results) == 1


def test_one_case_failing_half_way_is_rolled_back_whole_and_the_others_keep_their_change(
    alice, carol, make_case, monkeypatch
):
    cases = [make_case(alice) for _ in range(3)]
    # The clocks react to the move in its transaction (cases.hooks.REACTIONS).
    from deadlines import reactions

    real = reactions.deadlines_on_status_entered

    def fail_for_the_second(*, case, from_status, to_status):
        # After the status is saved and its event written: the savepoint must undo both.
        if case.pk == cases[1].pk:
            raise DomainError("The platform's calendar is unavailable.")
        return real(case=case, from_status=from_status, to_status=to_status)

    monkeypatch.setattr(reactions, "deadlines_on_status_entered", fail_for_the_second)

    result = bulk_apply(
        actor=carol, references=[c.reference for c in cases], action="status", status="filed"
    )

    assert [r.done for r in result.results] == [True, False, True]
    assert result.results[1].reason == "The platform's calendar is unavailable."
    assert [_status(c) for c in cases] == ["filed", "draft", "filed"]
    assert not CaseEvent.objects.filter(case=cases[1], kind=EventKind.STATUS_CHANGED).exists()
    assert not Notification.objects.filter(case=cases[1]).exists()
    assert result.summary == "2 moved, 1 skipped: The platform's calendar is unavailable."


def test_a_seller_cannot_bulk_act_even_on_their_own_cases(alice, alice_case):
    with pytest.raises(Http404):
        bulk_apply(
            actor=alice, references=[alice_case.reference], action="priority", priority="urgent"
        )
    assert _status(alice_case) == "draft"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"action": "delete"}, "action"),
        ({"action": "priority", "priority": "high"}, "priority"),
        ({"action": "status", "status": "closed"}, "status"),
        ({"action": "status", "status": "resolved"}, "status"),
        ({"action": "status", "status": "filed", "note": "x" * 2001}, "note"),
        ({"action": "priority", "priority": "urgent", "note": "加急"}, "note"),
        ({"action": "status", "status": "filed", "references": []}, "references"),
        ({"action": "status", "status": "filed", "references": "RC-2026-000001"}, "references"),
    ],
)
def test_bad_input_changes_nothing_and_names_the_field(alice_case, carol, arguments, field):
    arguments.setdefault("references", [alice_case.reference])
    with pytest.raises(DomainError) as error:
        bulk_apply(actor=carol, **arguments)
    assert error.value.field == field
    assert _status(alice_case) == "draft"


def test_assigning_to_a_seller_is_refused(alice, alice_case, carol):
    with pytest.raises(DomainError) as error:
        bulk_apply(actor=carol, references=[alice_case.reference], action="assign", assignee=alice)
    assert error.value.field == "assignee"


def test_the_selection_is_capped(alice_case, carol):
    references = [f"RC-2026-{n:06d}" for n in range(MAX_SELECTION + 1)]
    with pytest.raises(DomainError) as error:
        bulk_apply(actor=carol, references=references, action="priority", priority="urgent")
    assert error.value.field == "references"
    assert error.value.message == "Select at most 500 cases at a time; 501 were selected."


# --- Web ------------------------------------------------------------------------------------


def _post(client, data):
    return client.post(BULK_URL, data, secure=True, headers=EN)


def test_the_result_page_lists_each_case(client, alice, bob, carol, make_case):
    filed = [
        _move(make_case(alice), "filed", actor=carol),
        _move(make_case(bob), "filed", actor=carol),
    ]
    resolved = _resolve(make_case(alice), carol)
    client.force_login(carol)

    response = _post(
        client,
        {
            "case": [c.reference for c in [*filed, resolved]] + ["RC-2026-999999"],
            "action": "status",
            "status": "decided",
            "decision_result": "rejected",
            "next": "/staff/?status=filed",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 moved, 2 skipped: already resolved (1), not found (1)" in page
    assert page.count('class="bulk-done"') == 2
    assert page.count('class="bulk-skipped"') == 2
    assert 'href="/staff/?status=filed"' in page
    assert {_status(c) for c in filed} == {"decided"}


def test_staff_assign_a_selection_from_the_web(client, alice, carol, dave, make_case):
    cases = [make_case(alice) for _ in range(2)]
    client.force_login(carol)
    response = _post(
        client, {"case": [c.reference for c in cases], "action": "assign", "assignee": "dave"}
    )
    assert "2 assigned" in response.content.decode()
    assert set(Case.objects.values_list("assignee__username", flat=True)) == {"dave"}

    response = _post(
        client, {"case": [c.reference for c in cases], "action": "assign", "assignee": "none"}
    )
    assert "2 assigned" in response.content.decode()
    assert set(Case.objects.values_list("assignee", flat=True)) == {None}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "status"}, "Choose a status to move the cases to."),
        ({"action": "priority"}, "Choose a priority."),
        ({"action": "assign"}, "Choose who to assign the cases to, or “Nobody”."),
        ({"action": "assign", "assignee": "alice"}, "“alice” is not an active support staff"),
        ({"action": "status", "status": "resolved"}, "Resolve cases one at a time"),
        ({"action": "explode"}, "Select a valid choice."),
        ({"action": "status", "status": "filed", "case": []}, "Select at least one case."),
    ],
)
def test_bad_input_shows_the_error_and_changes_nothing(
    client, alice, alice_case, carol, data, message
):
    client.force_login(carol)
    data.setdefault("case", [alice_case.reference])
    response = _post(client, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was changed." in page
    assert message in page
    assert _status(alice_case) == "draft"
    assert Case.objects.get(pk=alice_case.pk).assignee is None


def test_a_refused_action_keeps_the_selection_the_choices_and_the_note(
    client, alice, carol, dave, make_case
):
    client.force_login(carol)
    cases = [make_case(alice), make_case(alice)]
    data = {
        "case": [c.reference for c in cases],
        "action": "status",  # with no status chosen: refused
        "assignee": "dave",
        "priority": "urgent",
        "note": "已向平台提交",
        "next": "/staff/?kind=account_ban",
    }
    response = _post(client, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 cases are still selected." in page
    for case in cases:
        assert f'<input type="hidden" name="case" value="{case.reference}">' in page
    assert 'value="已向平台提交"' in page
    assert '<option value="dave" selected>' in page
    assert '<option value="urgent" selected>' in page
    assert '<input type="hidden" name="next" value="/staff/?kind=account_ban">' in page

    # The kept form posts what the bulk page reads: choosing the status now moves them.
    retry = _post(client, {**data, "status": "filed"})
    assert retry.status_code == 200
    assert [_status(c) for c in cases] == ["filed", "filed"]
    assert all(e.note == "已向平台提交" for e in CaseEvent.objects.filter(to_status="filed"))


def test_too_many_cases_is_a_clear_error(client, carol, db):
    client.force_login(carol)
    response = _post(
        client,
        {
            "case": [f"RC-2026-{n:06d}" for n in range(MAX_SELECTION + 1)],
            "action": "priority",
            "priority": "urgent",
        },
    )
    assert response.status_code == 400
    assert "Select at most 500 cases at a time; 501 were selected." in response.content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"]
)
def test_the_way_back_is_a_local_url_only(client, alice_case, carol, next_url):
    client.force_login(carol)
    response = _post(
        client,
        {
            "case": [alice_case.reference],
            "action": "priority",
            "priority": "urgent",
            "next": next_url,
        },
    )
    page = response.content.decode()
    assert "evil.example.com" not in page
    assert "javascript:" not in page


def test_a_seller_cannot_reach_the_bulk_page(client, alice, alice_case):
    client.force_login(alice)
    response = _post(
        client, {"case": [alice_case.reference], "action": "priority", "priority": "urgent"}
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=alice_case.pk).priority == "normal"


def test_the_bulk_page_takes_a_post_and_a_login(client, carol, db):
    client.force_login(carol)
    assert client.get(BULK_URL, secure=True).status_code == 405
    client.logout()
    response = client.post(BULK_URL, {}, secure=True)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_bulk_controls_partial_posts_what_the_bulk_page_reads(rf, carol, make_user, db):
    from django.template.loader import render_to_string

    make_user("dave", role="staff")
    request = rf.get("/staff/?status=filed")
    request.user = carol
    html = render_to_string(
        "desk/_bulk_actions.html", {"user": carol, "request": request}, request=request
    )

    assert '<input type="hidden" name="next" value="/staff/?status=filed">' in html
    for action in ("assign", "priority", "status"):
        assert f'name="action" value="{action}"' in html
    assert '<option value="none">' in html
    assert '<option value="dave">dave</option>' in html
    assert '<option value="in_review">' in html
    # A selection is not resolved in bulk: each case needs its outcome.
    assert '<option value="resolved">' not in html

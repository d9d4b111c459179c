"""Support staff pause, resume and extend clocks over the API: 200 with the clock, 400 with the
fields at fault, 409 when the clock's state does not allow it, 404 for sellers (their own case
included) and for a clock of another case."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.models import CaseEvent
from cases.services import case_transition
from deadlines.models import Deadline

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


NOW = at(2026, 3, 6, 12, 0)  # a Friday, noon


@contextmanager
def moment(when):
    with mock.patch("cases.clock.now", return_value=when):
        yield


def move(actor, case, to, when):
    case.refresh_from_db()
    with moment(when):
        case_transition(actor=actor, case=case, to=to)


@pytest.fixture
def decision(alice, alice_case):
    """The platform's decision clock: in review since Wednesday 03-04, due 03-13 24:00."""
    move(alice, alice_case, "filed", at(2026, 3, 2, 10, 0))
    move(alice, alice_case, "in_review", at(2026, 3, 4, 10, 0))
    return Deadline.objects.get(case=alice_case, rule__key="platform.decision")


def url(deadline, action, case=None):
    reference = (case or deadline.case).reference
    return reverse(f"deadlines-api:case-deadline-{action}", args=[reference, deadline.pk])


def post(client, deadline, action, data, *, when=NOW, case=None, **headers):
    with moment(when):
        return client.post(url(deadline, action, case), data, format="json", **headers)


def test_staff_pause_a_clock_and_get_it_back(carol_api, carol, decision):
    response = post(
        carol_api, decision, "pause", {"reason": "平台春节放假"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == decision.pk
    assert body["state"] == "paused"
    assert body["name"] == "Platform's decision"
    assert body["remaining"] == "P5DT00H00M00S"  # the five working days after Friday
    assert body["warn_at"] is None
    event = CaseEvent.objects.get(case=decision.case, kind="deadline_paused")
    assert (event.actor, event.note) == (carol, "平台春节放假")


def test_staff_resume_with_the_time_it_had_left(carol_api, decision):
    post(carol_api, decision, "pause", {"reason": "平台春节放假"})
    response = post(
        carol_api, decision, "resume", {"reason": "平台恢复处理"}, when=at(2026, 3, 10, 12)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "running"
    assert datetime.fromisoformat(body["due_at"]) == at(2026, 3, 18, 0, 0)
    assert body["remaining"] is None


@pytest.mark.parametrize(
    ("amount", "due"),
    [
        ({"working_days": 2}, at(2026, 3, 18, 0, 0)),  # over the weekend
        ({"hours": 12}, at(2026, 3, 14, 12, 0)),
        ({"due_at": "2026-03-20T18:00:00+08:00"}, at(2026, 3, 20, 18, 0)),
        ({"due_at": "2026-03-20T10:00:00Z"}, at(2026, 3, 20, 18, 0)),
    ],
)
def test_staff_extend_a_clock(carol_api, decision, amount, due):
    response = post(carol_api, decision, "extend", {"reason": "平台同意延期", **amount})
    assert response.status_code == 200, response.content
    assert datetime.fromisoformat(response.json()["due_at"]) == due
    decision.refresh_from_db()
    assert decision.due_at == due
    event = CaseEvent.objects.get(case=decision.case, kind="deadline_extended")
    assert event.note == "平台同意延期"
    assert datetime.fromisoformat(event.changes["due_at"]["old"]) == at(2026, 3, 14)
    assert datetime.fromisoformat(event.changes["due_at"]["new"]) == due


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "working_days"), ({"working_days": 1, "due_at": "2026-03-20T00:00:00+08:00"}, "due_at")],
)
def test_exactly_one_amount_is_the_services_rule_as_on_the_web(carol_api, decision, data, field):
    response = post(
        carol_api, decision, "extend", {"reason": "延期", **data}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    assert "give exactly one" in body["detail"]


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("pause", {}, "reason"),
        ("pause", {"reason": ""}, "reason"),
        ("pause", {"reason": "   "}, "reason"),
        ("pause", {"reason": "x" * 2001}, "reason"),
        ("pause", {"reason": "放假", "hours": 3}, "hours"),  # unknown to pause
        ("resume", {"note": "放假"}, "note"),
        ("extend", {"reason": "延期"}, "working_days"),
        ("extend", {"reason": "延期", "working_days": 1, "hours": 2}, "hours"),
        ("extend", {"reason": "延期", "working_days": 0}, "working_days"),
        ("extend", {"reason": "延期", "working_days": "两天"}, "working_days"),
        ("extend", {"reason": "延期", "hours": 10**6}, "hours"),
        ("extend", {"reason": "延期", "due_at": "下周五"}, "due_at"),
        ("extend", {"reason": "延期", "due_at": "1800-01-01T00:00:00+08:00"}, "due_at"),
        ("extend", {"reason": "延期", "due_at": "2026-03-13T12:00:00+08:00"}, "due_at"),  # earlier
        ("extend", {"reason": "延期", "due_at": "2026-03-14T00:00:00+08:00"}, "due_at"),  # same
    ],
)
def test_bad_input_is_a_400_naming_the_field(carol_api, decision, action, data, field):
    response = post(carol_api, decision, action, data)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    assert body["detail"]
    decision.refresh_from_db()
    assert (decision.state, decision.due_at) == ("running", at(2026, 3, 14))
    assert (
        not CaseEvent.objects.filter(case=decision.case, actor__isnull=False)
        .filter(kind__startswith="deadline_")
        .exists()
    )


def test_what_the_clocks_state_does_not_allow_is_a_409(carol_api, alice, decision):
    response = post(carol_api, decision, "resume", {"reason": "恢复"})
    assert response.status_code == 409
    assert response.json()["code"] == "deadline_running"
    assert response.json()["state"] == "running"

    post(carol_api, decision, "pause", {"reason": "放假"})
    response = post(carol_api, decision, "pause", {"reason": "放假"})
    assert (response.status_code, response.json()["code"]) == (409, "deadline_paused")
    response = post(
        carol_api, decision, "extend", {"reason": "延期", "due_at": "2026-04-01T00:00:00+08:00"}
    )
    assert (response.status_code, response.json()["field"]) == (409, "due_at")

    move(alice, decision.case, "withdrawn", at(2026, 3, 7, 9, 0))
    for action, data in (
        ("pause", {"reason": "x"}),
        ("resume", {"reason": "x"}),
        ("extend", {"reason": "x", "hours": 2}),
    ):
        response = post(carol_api, decision, action, data, when=at(2026, 3, 7, 10, 0))
        assert response.status_code == 409
        assert response.json() | {"detail": ""} == {
            "detail": "",
            "code": "deadline_settled",
            "state": "cancelled",
        }


@pytest.mark.parametrize("action", ["pause", "resume", "extend"])
def test_sellers_get_404_even_on_their_own_case_and_even_with_bad_input(
    alice_api, bob_api, decision, action
):
    for client in (alice_api, bob_api):
        for data in ({"reason": "x", "hours": 2} if action == "extend" else {"reason": "x"}, {}):
            response = post(client, decision, action, data)
            assert response.status_code == 404, response.content
    decision.refresh_from_db()
    assert (decision.state, decision.due_at) == ("running", at(2026, 3, 14))


def test_a_clock_of_another_case_or_a_missing_one_is_404(carol_api, alice, decision, make_case):
    other = make_case(alice)
    response = post(carol_api, decision, "pause", {"reason": "x"}, case=other)
    assert response.status_code == 404
    missing = reverse("deadlines-api:case-deadline-pause", args=[decision.case.reference, 2**40])
    with moment(NOW):
        assert carol_api.post(missing, {"reason": "x"}, format="json").status_code == 404
    decision.refresh_from_db()
    assert decision.state == "running"


def test_without_credentials_it_is_401(api_client, decision):
    response = post(api_client, decision, "pause", {"reason": "x"})
    assert response.status_code == 401


def test_the_clocks_list_shows_the_change(carol_api, alice_api, decision):
    post(carol_api, decision, "extend", {"reason": "延期", "working_days": 1})
    listed = alice_api.get(
        reverse("deadlines-api:case-deadlines", args=[decision.case.reference])
    ).json()["results"]
    [row] = [r for r in listed if r["id"] == decision.pk]
    assert datetime.fromisoformat(row["due_at"]) == at(2026, 3, 14) + timedelta(days=3)

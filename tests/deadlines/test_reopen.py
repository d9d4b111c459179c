"""Issue 13: reopening a case restores the clocks its details drive, and an old breach no
longer flags the reopened case as overdue.

Before: closing cancelled the limitation and the no-reason return, and reopening started only
the status clocks; a clock breached before the case closed kept flagging it in the queue and
the API once it was reopened."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from cases.models import Case
from cases.services import case_transition
from deadlines.models import Deadline
from deadlines.selectors import deadlines_breached
from deadlines.sweep import sweep_deadlines

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=SH)


def at_moment(when):
    return mock.patch("cases.clock.now", return_value=when)


@pytest.fixture
def complaint(alice, make_case):
    with at_moment(T0):
        return make_case(
            alice,
            kind="purchase_complaint",
            platform="taobao",
            details={
                "order_number": "TB-1",
                "amount_paid": "99.00",
                "merchant_name": "某店",
                "purchased_on": "2026-02-20",
                "goods_received_on": "2026-02-27",
                "harm_learned_on": "2026-02-27",
                "issue": "quality",
            },
        )


def open_keys(case):
    return set(
        Deadline.objects.filter(case=case, state__in=["running", "paused"]).values_list(
            "rule__key", flat=True
        )
    )


def test_reopening_restores_the_limitation_and_the_no_reason_return(alice, carol, complaint):
    with at_moment(T0):
        case_transition(actor=alice, case=complaint, to="filed")
        case_transition(actor=alice, case=complaint, to="decided", decision_result="granted")
        case_transition(actor=alice, case=complaint, to="resolved", outcome="won")
    assert "civil.limitation" not in open_keys(complaint)
    with at_moment(T0 + timedelta(days=1)):
        case_transition(actor=carol, case=complaint, to="in_review", note="商家重新联系")
    keys = open_keys(complaint)
    assert {"civil.limitation", "consumer.no_reason_return"} <= keys
    limitation = Deadline.objects.get(case=complaint, rule__key="civil.limitation", state="running")
    assert limitation.due_at == datetime(2029, 2, 28, 0, 0, tzinfo=SH)  # 24:00 on 02-27


def test_a_window_breached_before_closing_is_not_restarted(alice, carol, complaint):
    with at_moment(T0):
        case_transition(actor=alice, case=complaint, to="filed")
    sweep_deadlines(now=T0 + timedelta(days=10))  # the no-reason return ran out 03-06
    with at_moment(T0 + timedelta(days=11)):
        case_transition(actor=alice, case=complaint, to="decided", decision_result="rejected")
        case_transition(actor=alice, case=complaint, to="resolved", outcome="lost")
    with at_moment(T0 + timedelta(days=12)):
        case_transition(actor=carol, case=complaint, to="in_review")
    returns = Deadline.objects.filter(case=complaint, rule__key="consumer.no_reason_return")
    assert [d.state for d in returns] == ["breached"]


def test_an_old_breach_no_longer_flags_the_reopened_case(alice, carol, complaint, api_as):
    with at_moment(T0):
        case_transition(actor=alice, case=complaint, to="filed")
    sweep_deadlines(now=T0 + timedelta(days=10))
    assert Case.objects.get(pk=complaint.pk).breached_open
    with at_moment(T0 + timedelta(days=11)):
        case_transition(actor=alice, case=complaint, to="decided", decision_result="granted")
        case_transition(actor=alice, case=complaint, to="resolved", outcome="won")
    with at_moment(T0 + timedelta(days=12)):
        case_transition(actor=carol, case=complaint, to="in_review")
    case = Case.objects.get(pk=complaint.pk)
    assert not case.breached_open
    assert deadlines_breached(actor=alice) == []
    with at_moment(T0 + timedelta(days=12, hours=1)):
        response = api_as(alice).get("/api/v1/cases/", {"overdue": "true"}, secure=True)
    assert response.status_code == 200, response.content
    assert all(row["reference"] != case.reference for row in response.json()["results"])

    # A breach after reopening flags it again.
    sweep_deadlines(now=T0 + timedelta(days=40))
    assert Case.objects.get(pk=complaint.pk).breached_open

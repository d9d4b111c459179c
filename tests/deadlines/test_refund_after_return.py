"""Issue 13: the consumer's refund after a return (消费者权益保护法 第二十五条: within seven days
of the merchant receiving the returned goods).

Before: any "response received" started it (a regulator's reply included) and each later reply
restarted it; it waited on the platform, so the platform asking for information paused it."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from cases.services import case_transition, case_update
from channels.services import contact_log
from deadlines.models import Deadline
from tests.shipped import ship_bodies

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 12, 10, 0, tzinfo=SH)
DETAILS = {
    "order_number": "TB-1",
    "amount_paid": "399.00",
    "merchant_name": "某某旗舰店",
    "purchased_on": "2026-02-20",
    "goods_received_on": "2026-02-25",
    "issue": "quality",
}


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen_now():
    with mock.patch("cases.clock.now", return_value=NOW):
        yield


@pytest.fixture
def complaint(alice, make_case):
    ship_bodies()
    return make_case(alice, kind="purchase_complaint", platform="taobao", details=DETAILS)


def log(alice, case, filing_type, when, **fields):
    return contact_log(
        actor=alice,
        case=case,
        channel=fields.pop("channel", "in_app"),
        direction=fields.pop("direction", "inbound"),
        occurred_at=when,
        filing_type=filing_type,
        summary="记录",
        **fields,
    ).entry


def refunds(case):
    return list(
        Deadline.objects.filter(case=case, rule__key="consumer.refund_after_return").order_by("id")
    )


def test_it_starts_when_the_merchant_received_the_return_and_waits_on_the_merchant(
    alice, complaint
):
    log(alice, complaint, "return_received", at(2026, 3, 9, 15, 0))
    (refund,) = refunds(complaint)
    assert refund.waiting_on == "merchant"
    assert refund.due_at == at(2026, 3, 17, 0, 0)  # 7 days from 03-09: 24:00 on 03-16


def test_replies_never_start_or_reset_it(alice, complaint):
    log(alice, complaint, "response_received", at(2026, 3, 5, 9, 0))
    log(
        alice,
        complaint,
        "response_received",
        at(2026, 3, 6, 9, 0),
        channel="regulator",
        body="12315",
    )
    assert refunds(complaint) == []
    log(alice, complaint, "return_received", at(2026, 3, 9, 15, 0))
    log(alice, complaint, "response_received", at(2026, 3, 10, 9, 0))
    (refund,) = refunds(complaint)
    assert (refund.state, refund.started_at) == ("running", at(2026, 3, 9, 15, 0))


def test_the_platform_asking_for_information_does_not_pause_it(alice, complaint):
    log(alice, complaint, "return_received", at(2026, 3, 9, 15, 0))
    for to in ("filed", "info_requested"):
        case_transition(actor=alice, case=complaint, to=to)
    (refund,) = refunds(complaint)
    assert refund.state == "running"
    assert refund.due_at == at(2026, 3, 17, 0, 0)


def test_the_date_in_the_details_starts_it_too(alice, complaint):
    case_update(
        actor=alice, case=complaint, details={**DETAILS, "return_received_on": "2026-03-02"}
    )
    (refund,) = refunds(complaint)
    assert refund.started_at == at(2026, 3, 2, 0, 0)
    assert refund.due_at == at(2026, 3, 10, 0, 0)  # 24:00 on 03-09, a Monday
    assert refund.due_at < NOW  # overdue already: the merchant is late


def test_the_clock_says_whom_it_waits_on(client, alice, complaint):
    log(alice, complaint, "return_received", at(2026, 3, 9, 15, 0))
    client.force_login(alice)
    page = client.get(complaint.get_absolute_url(), secure=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Waiting on the merchant (某某旗舰店)" in page.content.decode()

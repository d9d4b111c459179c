"""Issue 13: periods set by law roll over a rest day or statutory holiday (民法典 第二百零三条),
and the user sees both dates when one moved.

Before: civil.limitation and five other statutory rules did not roll over — a limitation
ending on Labour Day showed the holiday, one from 2024-02-29 showed a Sunday."""

import re
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from deadlines.models import Deadline, DeadlineRule
from deadlines.services import compute_due, rule_snapshot
from deadlines.staff import deadline_extend

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db

STATUTORY = [
    "consumer.no_reason_return",
    "consumer.refund_after_return",
    "ecom.counter_notice_wait",
    "arbitration.accept",
    "legal_aid.decision",
    "civil.limitation",
    "court.filing_decision",
    "court.appeal",
]


def at(*args):
    return datetime(*args, tzinfo=SH)


def text_of(response) -> str:
    """The page's text, tags removed."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def due(key, start):
    return compute_due(snapshot=rule_snapshot(DeadlineRule.objects.get(key=key)), start=start)


@pytest.mark.parametrize("key", STATUTORY)
def test_every_statutory_period_in_days_months_or_years_rolls_over_and_says_why(key):
    rule = DeadlineRule.objects.get(key=key)
    assert rule.roll_over
    assert "第二百零三条" in rule.roll_over_reason or "第八十五条" in rule.roll_over_reason
    assert rule.roll_over_reason_zh


def test_platform_periods_do_not_roll_over_and_say_why():
    for rule in DeadlineRule.objects.filter(key__startswith="appeal.window"):
        assert not rule.roll_over
        assert "agreement" in rule.roll_over_reason, rule.key


def test_every_rule_says_why_it_rolls_over_or_not():
    assert not DeadlineRule.objects.filter(roll_over_reason="").exists()


def test_a_limitation_ending_on_labour_day_ends_after_the_holiday():
    # Harm learned of 2023-05-01: three years end 2026-05-01, inside the 05-01…05-05 break.
    result = due("civil.limitation", at(2023, 5, 1, 0, 0))
    assert result.due_at == at(2026, 5, 7, 0, 0)  # 24:00 on 05-06, the first working day
    assert result.rolled_from == date(2026, 5, 1)


def test_a_limitation_from_a_leap_day_ends_on_the_monday_not_the_sunday():
    result = due("civil.limitation", at(2024, 2, 29, 0, 0))
    # 2027-02-28 is a Sunday: the period ends on Monday 03-01 (provisional: 2027 unpublished).
    assert result.due_at == at(2027, 3, 2, 0, 0)
    assert result.rolled_from == date(2027, 2, 28)
    assert result.provisional


def test_the_clock_shows_the_original_and_the_moved_date(
    alice, carol, make_case, django_user_model
):
    case = make_case(
        alice,
        kind="purchase_complaint",
        platform="taobao",
        details={
            "order_number": "TB-1",
            "amount_paid": "99.00",
            "merchant_name": "某店",
            "purchased_on": "2026-04-20",
            "goods_received_on": "2026-04-25",  # + 7 days = 05-02, inside the May break
            "issue": "quality",
        },
    )
    clock = Deadline.objects.get(case=case, rule__key="consumer.no_reason_return")
    assert clock.rolled_from == date(2026, 5, 2)
    assert clock.due_at == at(2026, 5, 7, 0, 0)

    client = Client()
    client.force_login(alice)
    with mock.patch("cases.clock.now", return_value=at(2026, 4, 26, 9, 0)):
        zh = client.get(case.get_absolute_url(), secure=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        en = client.get(case.get_absolute_url(), secure=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "原定 5月2日，遇法定节假日或休息日顺延至 5月6日。" in text_of(zh)
    assert "Originally due 2 May; a statutory holiday or rest day moved it to 6 May." in (
        text_of(en)
    )
    # Each date stays on one line in a narrow column.
    assert '<span class="nowrap">5月6日</span>' in zh.content.decode()
    assert "民法典" in text_of(zh)  # the reason, in Chinese

    # Extended by staff, the clock is no longer "originally due … moved to …".
    carol = django_user_model.objects.get(username="carol")
    with mock.patch("cases.clock.now", return_value=at(2026, 4, 26, 9, 0)):
        deadline_extend(actor=carol, deadline=clock, reason="平台同意延期", hours=24)
    clock.refresh_from_db()
    assert clock.rolled_from is None
    with mock.patch("cases.clock.now", return_value=at(2026, 4, 26, 9, 0)):
        assert "原定" not in text_of(
            client.get(case.get_absolute_url(), secure=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
        )

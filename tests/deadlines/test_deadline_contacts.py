"""Clocks started and settled by contacts — the Zammad bug classes as regression tests."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from cases.services import case_transition
from channels.services import contact_correct, contact_log
from deadlines.models import Deadline

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 6, 10, 0, tzinfo=SH)


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen_now():
    with mock.patch("cases.clock.now", return_value=NOW):
        yield


def log(actor, case, **fields):
    defaults = {
        "channel": "regulator",
        "direction": "outbound",
        "occurred_at": NOW - timedelta(hours=1),
        "filing_type": "report",
        "summary": "提交举报",
    }
    return contact_log(actor=actor, case=case, **(defaults | fields)).entry


def clocks(case, **filters):
    return list(Deadline.objects.filter(case=case, **filters).order_by("id"))


def test_a_report_to_12315_starts_its_clock_from_when_it_happened(alice, alice_case):
    log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    (clock,) = clocks(alice_case, rule__key="samr.report_verify")
    assert clock.state == "running"
    assert clock.due_at == at(2026, 3, 24, 0, 0)  # 15 working days from 03-02


def test_a_consumers_complaint_and_its_acceptance(alice, make_case):
    case = make_case(alice, kind="purchase_complaint", platform="taobao")
    log(alice, case, body="12315", filing_type="complaint", occurred_at=at(2026, 3, 2, 9, 0))
    log(alice, case, body="12315", filing_type="accepted", direction="inbound")

    accept = Deadline.objects.get(case=case, rule__key="samr.accept_decision")
    assert accept.state == "met"
    assert Deadline.objects.get(case=case, rule__key="samr.mediation_max").state == "running"


def test_a_refusal_meets_the_acceptance_clock_and_starts_no_mediation(alice, make_case):
    case = make_case(alice, kind="purchase_complaint", platform="taobao")
    log(alice, case, body="12315", filing_type="complaint", occurred_at=at(2026, 3, 2, 9, 0))
    log(alice, case, body="12315", filing_type="refused", direction="inbound")
    assert Deadline.objects.get(case=case, rule__key="samr.accept_decision").state == "met"
    assert not Deadline.objects.filter(case=case, rule__key="samr.mediation_max").exists()


def test_any_other_answer_from_12315_does_not_start_mediation(alice, make_case):
    # Before: every "decision received" from 12315 started the 45 working days, a refusal too.
    case = make_case(alice, kind="purchase_complaint", platform="taobao")
    log(alice, case, body="12315", filing_type="complaint", occurred_at=at(2026, 3, 2, 9, 0))
    log(alice, case, body="12315", filing_type="decision_received", direction="inbound")
    assert not Deadline.objects.filter(case=case, rule__key="samr.mediation_max").exists()


def test_the_end_of_mediation_meets_it_without_starting_another(alice, make_case):
    case = make_case(alice, kind="purchase_complaint", platform="taobao")
    log(alice, case, body="12315", filing_type="complaint", occurred_at=at(2026, 3, 2, 9, 0))
    log(alice, case, body="12315", filing_type="accepted", direction="inbound")
    log(alice, case, body="12315", filing_type="mediation_ended", direction="inbound")
    mediation = Deadline.objects.filter(case=case, rule__key="samr.mediation_max")
    assert [d.state for d in mediation] == ["met"]
    assert not Deadline.objects.filter(case=case, state__in=["running", "paused"]).exclude(
        rule__key__in=["consumer.no_reason_return", "civil.limitation"]
    )


def test_a_sellers_message_does_not_stop_the_platforms_clock(alice, alice_case):
    case_transition(actor=alice, case=alice_case, to="filed")
    log(alice, alice_case, channel="in_app", body="douyin_shop", filing_type="inquiry")
    log(alice, alice_case, channel="in_app", body="douyin_shop", filing_type="follow_up")
    (first,) = clocks(alice_case, rule__key="platform.first_response")
    assert first.state == "running"


def test_a_reply_settles_the_clock_it_answers_and_only_that_one(alice, alice_case):
    log(alice, alice_case, body="12315")
    log(alice, alice_case, channel="arbitration", body="arbitration", filing_type="application")
    log(
        alice,
        alice_case,
        channel="arbitration",
        body="arbitration",
        filing_type="response_received",
        direction="inbound",
    )

    assert clocks(alice_case, rule__key="arbitration.accept")[0].state == "met"
    assert clocks(alice_case, rule__key="samr.report_verify")[0].state == "running"


def test_a_new_filing_resets_only_its_own_clock(alice, alice_case):
    case_transition(actor=alice, case=alice_case, to="filed")
    log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 5, 9, 0))

    reports = clocks(alice_case, rule__key="samr.report_verify")
    assert [c.state for c in reports] == ["cancelled", "running"]
    assert reports[1].started_at == at(2026, 3, 5, 9, 0)
    assert clocks(alice_case, rule__key="platform.first_response")[0].state == "running"


def test_a_follow_up_date_runs_a_clock_until_that_day(alice, alice_case):
    log(
        alice,
        alice_case,
        channel="phone",
        body="douyin_shop",
        filing_type="inquiry",
        follow_up_on=date(2026, 3, 9),
    )
    (follow,) = clocks(alice_case, rule__key="follow_up")
    assert follow.due_at == at(2026, 3, 10, 0, 0)  # 24:00 on 03-09
    assert follow.warn_at == at(2026, 3, 9, 0, 0)  # "on the day": that morning


def test_correcting_when_a_filing_happened_recomputes_its_clock(alice, alice_case):
    entry = log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    contact_correct(actor=alice, entry=entry, occurred_at=at(2026, 3, 3, 9, 0))
    reports = clocks(alice_case, rule__key="samr.report_verify")
    # The same clock, moved (a correction no longer cancels and restarts it).
    assert [c.state for c in reports] == ["running"]
    assert reports[0].due_at == at(2026, 3, 25, 0, 0)


def test_dates_in_the_details_run_their_clocks_and_follow_edits(alice, make_case):
    from cases.services import case_update
    from tests.conftest import DETAILS

    details = {
        **DETAILS["purchase_complaint"],
        "purchased_on": "2026-02-26",
        "goods_received_on": "2026-03-02",
    }
    case = make_case(alice, kind="purchase_complaint", platform="taobao", details=details)
    (ret,) = clocks(case, rule__key="consumer.no_reason_return")
    assert ret.due_at == at(2026, 3, 10, 0, 0)  # 7 natural days, 24:00 on 03-09

    case_update(actor=alice, case=case, details={**details, "harm_learned_on": "2026-03-01"})
    assert clocks(case, rule__key="civil.limitation")[0].due_at == at(2029, 3, 2, 0, 0)
    assert [c.state for c in clocks(case, rule__key="consumer.no_reason_return")] == ["running"]

    case_update(actor=alice, case=case, details={**details, "goods_received_on": "2026-03-03"})
    states = [c.state for c in clocks(case, rule__key="consumer.no_reason_return")]
    assert states == ["cancelled", "running"]
    assert clocks(case, rule__key="civil.limitation")[0].state == "cancelled"  # date removed


def test_a_server_in_utc_counts_dates_and_follow_ups_in_beijing_days(alice, make_case, settings):
    """Legal days are Beijing days, whatever TIME_ZONE the server runs with: the goods received
    on 03-02 give 7 days to 24:00 Beijing on 03-09, and a follow-up on 03-09 is due at 24:00
    Beijing that day (with UTC's days both were 8 hours late)."""
    from tests.conftest import DETAILS

    settings.TIME_ZONE = "UTC"
    details = {
        **DETAILS["purchase_complaint"],
        "purchased_on": "2026-02-26",
        "goods_received_on": "2026-03-02",
    }
    case = make_case(alice, kind="purchase_complaint", platform="taobao", details=details)
    (ret,) = clocks(case, rule__key="consumer.no_reason_return")
    assert ret.due_at == at(2026, 3, 10, 0, 0)

    log(alice, case, filing_type="follow_up", follow_up_on=date(2026, 3, 9))
    (follow_up,) = clocks(case, rule__key="follow_up")
    assert follow_up.due_at == at(2026, 3, 10, 0, 0)


# --- Issue 13: a correction changes only what its corrected facts drive ---------------------


def test_correcting_a_met_filing_does_not_restart_its_clock(alice, alice_case):
    entry = log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    log(alice, alice_case, body="12315", filing_type="response_received", direction="inbound")
    contact_correct(actor=alice, entry=entry, occurred_at=at(2026, 3, 3, 9, 0))
    reports = clocks(alice_case, rule__key="samr.report_verify")
    assert [c.state for c in reports] == ["met"]  # before: a second, running clock


def test_correcting_a_breached_filing_leaves_the_breach(alice, alice_case):
    entry = log(alice, alice_case, body="12315", occurred_at=at(2026, 1, 5, 9, 0))
    Deadline.objects.filter(contact=entry).update(state="breached", settled_at=NOW)
    contact_correct(
        actor=alice, entry=entry, external_reference="SAMR-1", occurred_at=at(2026, 1, 6, 9, 0)
    )
    assert [c.state for c in clocks(alice_case, rule__key="samr.report_verify")] == ["breached"]


def test_a_staff_pause_survives_a_corrected_moment(alice, carol, alice_case):
    from deadlines.staff import deadline_staff_pause

    entry = log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    (report,) = clocks(alice_case, rule__key="samr.report_verify")
    deadline_staff_pause(actor=carol, deadline=report, reason="等待监管部门补充材料")
    report.refresh_from_db()
    left = report.remaining
    contact_correct(actor=alice, entry=entry, occurred_at=at(2026, 3, 3, 9, 0))
    (report,) = clocks(alice_case, rule__key="samr.report_verify")
    assert (report.state, report.paused_by_staff) == ("paused", True)
    assert report.remaining == left + timedelta(days=1)  # one working day later
    assert report.started_at == at(2026, 3, 3, 9, 0)


def test_adding_a_follow_up_date_later_does_not_restart_a_paused_clock(alice, carol, alice_case):
    from deadlines.staff import deadline_staff_pause

    entry = log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    (report,) = clocks(alice_case, rule__key="samr.report_verify")
    deadline_staff_pause(actor=carol, deadline=report, reason="等待监管部门补充材料")
    contact_correct(actor=alice, entry=entry, follow_up_on=date(2026, 3, 9))
    (report,) = clocks(alice_case, rule__key="samr.report_verify")
    assert report.state == "paused"
    (follow,) = clocks(alice_case, rule__key="follow_up")
    assert follow.due_at == at(2026, 3, 10, 0, 0)


def test_a_corrected_moment_moves_the_running_clock_and_says_why(alice, alice_case):
    from deadlines.templatetags.deadlines import deadline_reason

    entry = log(alice, alice_case, body="12315", occurred_at=at(2026, 3, 2, 9, 0))
    contact_correct(actor=alice, entry=entry, occurred_at=at(2026, 3, 3, 9, 0))
    (report,) = clocks(alice_case, rule__key="samr.report_verify")
    assert report.due_at == at(2026, 3, 25, 0, 0)
    event = alice_case.events.filter(kind="deadline_recomputed").get()
    with translation.override("en"):
        assert deadline_reason(event) == "The contact it counts from was corrected."

"""Support staff pause, resume and extend clocks by hand, with a reason: the remaining time is
kept exactly, a staff pause outlives info_requested, extensions only ever add time, and each
change is on the timeline (with who, why, old and new due) and tells the seller."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cases.models import CaseEvent
from cases.services import case_transition
from config.errors import ConflictError, DomainError
from deadlines.models import Deadline
from deadlines.staff import deadline_extend, deadline_staff_pause, deadline_staff_resume
from notifications.models import Notification

SH = ZoneInfo("Asia/Shanghai")
REASON = "平台春节放假，暂停计时"


@pytest.fixture(autouse=True)
def _english_messages():
    """The services' messages are read in English here, whatever language an earlier test's
    request left active in this thread."""
    with translation.override("en"):
        yield


def at(*args):
    return datetime(*args, tzinfo=SH)


@contextmanager
def moment(when):
    with mock.patch("cases.clock.now", return_value=when):
        yield


def move(actor, case, to, when):
    case.refresh_from_db()
    with moment(when):
        case_transition(
            actor=actor, case=case, to=to, decision_result="rejected" if to == "decided" else None
        )


def clock(case, key) -> Deadline:
    return Deadline.objects.get(case=case, rule__key=key, state__in=["running", "paused"])


def pause(actor, deadline, when, reason=REASON):
    with moment(when):
        return deadline_staff_pause(actor=actor, deadline=deadline, reason=reason)


def resume(actor, deadline, when, reason="平台已恢复处理"):
    with moment(when):
        return deadline_staff_resume(actor=actor, deadline=deadline, reason=reason)


def extend(actor, deadline, when, reason="平台书面同意延期", **amount):
    with moment(when):
        return deadline_extend(actor=actor, deadline=deadline, reason=reason, **amount)


@pytest.fixture
def in_review(alice, alice_case):
    """Filed Monday 2026-03-02, in review Wednesday: the decision clock runs 7 working days,
    to 03-13 24:00."""
    move(alice, alice_case, "filed", at(2026, 3, 2, 10, 0))
    move(alice, alice_case, "in_review", at(2026, 3, 4, 10, 0))
    decision = clock(alice_case, "platform.decision")
    assert decision.due_at == at(2026, 3, 14, 0, 0)
    return alice_case


# --- Pause and resume ---------------------------------------------------------------------


def test_pause_then_resume_keeps_the_remaining_working_time_exactly(carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 6, 12, 0))  # a Friday, noon

    decision.refresh_from_db()
    assert (decision.state, decision.paused_by_staff) == ("paused", True)
    # The rest of Friday (12 h) and 03-09…03-13 (5 working days).
    assert decision.remaining == timedelta(days=5)
    assert decision.warn_at is None

    resume(carol, decision, at(2026, 3, 10, 12, 0))  # Tuesday noon
    decision.refresh_from_db()
    assert (decision.state, decision.paused_by_staff) == ("running", False)
    # 12 h + 5 working days from Tue 12:00: the rest of Tue, then Wed…Tue → 03-17 24:00.
    assert decision.due_at == at(2026, 3, 18, 0, 0)
    assert decision.warn_at == at(2026, 3, 17, 0, 0)
    assert decision.remaining is None


def test_a_staff_pause_outlives_leaving_info_requested(alice, carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 5, 12, 0))
    move(alice, in_review, "info_requested", at(2026, 3, 6, 10, 0))
    move(alice, in_review, "in_review", at(2026, 3, 9, 10, 0))

    decision.refresh_from_db()
    assert (decision.state, decision.paused_by_staff) == ("paused", True)
    assert decision.remaining == timedelta(days=6)
    # Entering in_review again starts no twin while the held clock waits.
    assert Deadline.objects.filter(case=in_review, rule__key="platform.decision").count() == 1


def test_an_info_requested_pause_is_not_a_staff_pause(alice, in_review):
    move(alice, in_review, "info_requested", at(2026, 3, 6, 12, 0))
    decision = clock(in_review, "platform.decision")
    assert (decision.state, decision.paused_by_staff) == ("paused", False)

    move(alice, in_review, "in_review", at(2026, 3, 10, 12, 0))
    decision.refresh_from_db()
    assert decision.state == "running"
    assert decision.due_at == at(2026, 3, 18, 0, 0)


def test_staff_can_hold_a_clock_info_requested_paused_without_changing_its_time(
    alice, carol, in_review
):
    move(alice, in_review, "info_requested", at(2026, 3, 6, 12, 0))
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 9, 9, 0))

    decision.refresh_from_db()
    assert (decision.state, decision.paused_by_staff) == ("paused", True)
    assert decision.remaining == timedelta(days=5)
    assert decision.paused_at == at(2026, 3, 6, 12, 0)

    move(alice, in_review, "in_review", at(2026, 3, 10, 12, 0))
    decision.refresh_from_db()
    assert decision.state == "paused"


def test_a_move_that_answers_a_held_clock_meets_it(alice, carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 5, 12, 0))
    move(alice, in_review, "decided", at(2026, 3, 9, 10, 0))
    decision.refresh_from_db()
    assert decision.state == "met"


def test_closing_the_case_cancels_a_held_clock(alice, carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 5, 12, 0))
    move(alice, in_review, "withdrawn", at(2026, 3, 9, 10, 0))
    decision.refresh_from_db()
    assert decision.state == "cancelled"


def test_pausing_twice_resuming_a_running_clock_and_touching_a_settled_one_conflict(
    alice, carol, in_review
):
    decision = clock(in_review, "platform.decision")
    with pytest.raises(ConflictError, match="running"):
        resume(carol, decision, at(2026, 3, 5, 9, 0))
    pause(carol, decision, at(2026, 3, 5, 12, 0))
    with pytest.raises(ConflictError, match="already paused"):
        pause(carol, decision, at(2026, 3, 5, 13, 0))

    first_response = Deadline.objects.get(case=in_review, rule__key="platform.first_response")
    assert first_response.state == "met"
    for action in (pause, resume):
        with pytest.raises(ConflictError) as refused:
            action(carol, first_response, at(2026, 3, 5, 14, 0))
        assert refused.value.code == "deadline_settled"
    with pytest.raises(ConflictError):
        extend(carol, first_response, at(2026, 3, 5, 14, 0), hours=2)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(carol, in_review, reason):
    decision = clock(in_review, "platform.decision")
    with pytest.raises(DomainError) as refused:
        pause(carol, decision, at(2026, 3, 5, 12, 0), reason=reason)
    assert refused.value.field == "reason"
    assert "reason" in str(refused.value.message).lower()
    decision.refresh_from_db()
    assert decision.state == "running"


def test_a_reason_has_a_maximum_length(carol, in_review):
    decision = clock(in_review, "platform.decision")
    with pytest.raises(DomainError) as refused:
        pause(carol, decision, at(2026, 3, 5, 12, 0), reason="长" * 2001)
    assert refused.value.field == "reason"


def test_only_support_staff_change_a_clock_by_hand(alice, in_review):
    decision = clock(in_review, "platform.decision")
    for action, amount in ((pause, {}), (resume, {}), (extend, {"hours": 3})):
        with pytest.raises(Http404):
            action(alice, decision, at(2026, 3, 5, 12, 0), **amount)
    decision.refresh_from_db()
    assert (decision.state, decision.due_at) == ("running", at(2026, 3, 14, 0, 0))


# --- Extend -------------------------------------------------------------------------------


def test_extending_by_working_days_counts_from_the_old_due_moment(carol, in_review):
    decision = clock(in_review, "platform.decision")
    # Due Friday 03-13 24:00; two working days more skip the weekend: Tuesday 03-17 24:00.
    extend(carol, decision, at(2026, 3, 5, 12, 0), working_days=2)
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 18, 0, 0)
    assert decision.warn_at == at(2026, 3, 17, 0, 0)  # one day before, recomputed
    assert decision.provisional is False


def test_extending_by_working_days_skips_holidays_and_counts_adjusted_working_days(
    alice, carol, make_case
):
    # National Day 2025: 10-01…10-08 off; 09-28 (Sunday) and 10-11 (Saturday) working days.
    case = make_case(alice)
    move(alice, case, "filed", at(2025, 9, 22, 10, 0))
    first_response = clock(case, "platform.first_response")
    assert first_response.due_at == at(2025, 9, 29, 0, 0)  # 09-23…26 and Sunday 09-28
    extend(carol, first_response, at(2025, 9, 23, 9, 0), working_days=3)
    first_response.refresh_from_db()
    assert first_response.due_at == at(2025, 10, 10, 0, 0)  # 09-29, 09-30, then 10-09
    extend(carol, first_response, at(2025, 9, 23, 9, 5), working_days=2)
    first_response.refresh_from_db()
    assert first_response.due_at == at(2025, 10, 12, 0, 0)  # 10-10 and Saturday 10-11


def test_extending_by_hours_adds_wall_time(carol, in_review):
    decision = clock(in_review, "platform.decision")
    extend(carol, decision, at(2026, 3, 5, 12, 0), hours=36)
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 15, 12, 0)


def test_extending_to_a_new_due_moment(carol, in_review):
    decision = clock(in_review, "platform.decision")
    extend(carol, decision, at(2026, 3, 5, 12, 0), due_at=at(2026, 3, 20, 18, 0))
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 20, 18, 0)
    # One working day before: when the last working day begins.
    assert decision.warn_at == at(2026, 3, 20, 0, 0)


def test_extending_into_an_unpublished_year_is_provisional_unless_a_moment_is_set(carol, in_review):
    decision = clock(in_review, "platform.decision")
    extend(carol, decision, at(2026, 3, 5, 12, 0), working_days=250)
    decision.refresh_from_db()
    assert decision.due_at.year == 2027
    assert decision.provisional is True

    extend(carol, decision, at(2026, 3, 5, 12, 5), due_at=at(2027, 6, 1, 0, 0))
    decision.refresh_from_db()
    assert decision.provisional is False


@pytest.mark.parametrize(
    ("amount", "field"),
    [
        ({"due_at": datetime(2026, 3, 13, 12, 0, tzinfo=SH)}, "due_at"),  # earlier
        ({"due_at": datetime(2026, 3, 14, 0, 0, tzinfo=SH)}, "due_at"),  # the same
        ({"due_at": datetime(2026, 3, 20, 0, 0)}, "due_at"),  # no time zone
        ({"working_days": 0}, "working_days"),
        ({"working_days": -2}, "working_days"),
        ({"working_days": 251}, "working_days"),
        ({"hours": 0}, "hours"),
        ({}, "working_days"),
        ({"working_days": 1, "hours": 2}, "hours"),
        # The range is the service's, for the web form as for the API.
        ({"due_at": datetime(2300, 1, 1, tzinfo=SH)}, "due_at"),
        ({"due_at": datetime(1, 1, 1, 4, 0, tzinfo=SH)}, "due_at"),
    ],
)
def test_an_extension_never_shortens_and_needs_exactly_one_sensible_amount(
    carol, in_review, amount, field
):
    decision = clock(in_review, "platform.decision")
    with pytest.raises(DomainError) as refused:
        extend(carol, decision, at(2026, 3, 5, 12, 0), **amount)
    assert refused.value.field == field
    assert not isinstance(refused.value, ConflictError)
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 14, 0, 0)
    assert not CaseEvent.objects.filter(case=in_review, kind="deadline_extended").exists()


def test_an_extension_that_is_already_past_is_refused(carol, in_review):
    decision = clock(in_review, "platform.decision")
    # Not swept yet at 03-16; two hours more would still be in the past.
    with pytest.raises(DomainError, match="already passed"):
        extend(carol, decision, at(2026, 3, 16, 9, 0), hours=2)


def test_extending_a_paused_clock_adds_to_its_remaining_time(carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 6, 12, 0))
    extend(carol, decision, at(2026, 3, 7, 10, 0), working_days=2)
    decision.refresh_from_db()
    assert decision.state == "paused"
    assert decision.remaining == timedelta(days=7)

    resume(carol, decision, at(2026, 3, 10, 12, 0))
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 20, 0, 0)  # two working days after 03-17 24:00


def test_a_paused_clock_cannot_get_a_due_moment_or_calendar_time_in_working_days(
    alice, carol, in_review
):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 6, 12, 0))
    with pytest.raises(ConflictError) as refused:
        extend(carol, decision, at(2026, 3, 7, 10, 0), due_at=at(2026, 4, 1, 0, 0))
    assert refused.value.field == "due_at"

    # seller.reply is an hour clock: paused by staff, it takes hours, not working days.
    move(alice, in_review, "info_requested", at(2026, 3, 9, 10, 0))
    reply = clock(in_review, "seller.reply")
    pause(carol, reply, at(2026, 3, 9, 12, 0))
    with pytest.raises(DomainError) as refused:
        extend(carol, reply, at(2026, 3, 9, 13, 0), working_days=1)
    assert refused.value.field == "working_days"
    extend(carol, reply, at(2026, 3, 9, 13, 0), hours=24)
    reply.refresh_from_db()
    assert reply.remaining == timedelta(hours=22 + 24)


# --- The record ---------------------------------------------------------------------------


def test_each_action_is_an_event_with_who_why_and_old_and_new_due(carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 6, 12, 0), reason="平台春节放假")
    extend(carol, decision, at(2026, 3, 7, 10, 0), reason="平台同意延期", working_days=1)
    resume(carol, decision, at(2026, 3, 10, 12, 0), reason="平台恢复处理")
    extend(carol, decision, at(2026, 3, 11, 9, 0), reason="再延两天", working_days=2)

    events = list(
        CaseEvent.objects.filter(case=in_review, actor=carol, kind__startswith="deadline_")
    )
    assert [(e.kind, e.note) for e in events] == [
        ("deadline_paused", "平台春节放假"),
        ("deadline_extended", "平台同意延期"),
        ("deadline_resumed", "平台恢复处理"),
        ("deadline_extended", "再延两天"),
    ]
    paused, extended_paused, resumed, extended = events
    for event in events:
        assert event.changes["deadline"]["id"] == decision.pk
        assert event.changes["deadline"]["rule"] == "platform.decision"
    assert datetime.fromisoformat(paused.changes["due_at"]["old"]) == at(2026, 3, 14)
    assert paused.changes["due_at"]["new"] is None
    assert paused.changes["remaining"] == {"old": None, "new": "P5DT00H00M00S"}
    assert extended_paused.changes["remaining"] == {
        "old": "P5DT00H00M00S",
        "new": "P6DT00H00M00S",
    }
    # The resume records the working time it ran out from (the recompute reads it).
    assert resumed.changes["remaining"] == {"old": "P6DT00H00M00S", "new": None}
    assert datetime.fromisoformat(resumed.changes["due_at"]["new"]) == at(2026, 3, 19)
    assert extended_paused.changes["by"] == {"working_days": 1}
    assert extended.changes["by"] == {"working_days": 2}
    assert {k: datetime.fromisoformat(v) for k, v in extended.changes["due_at"].items()} == {
        "old": at(2026, 3, 19),
        "new": at(2026, 3, 21),
    }
    in_review.refresh_from_db()
    assert in_review.updated_at == at(2026, 3, 11, 9, 0)


def test_the_owner_is_told_and_the_staff_member_is_not(alice, carol, in_review):
    decision = clock(in_review, "platform.decision")
    pause(carol, decision, at(2026, 3, 6, 12, 0))
    event = CaseEvent.objects.get(case=in_review, kind="deadline_paused", actor=carol)
    [notification] = Notification.objects.filter(event=event)
    assert notification.recipient == alice
    assert notification.kind == "case_changed"
    assert not Notification.objects.filter(recipient=carol).exists()


def test_a_refused_action_writes_nothing(carol, in_review):
    decision = clock(in_review, "platform.decision")
    before = CaseEvent.objects.count(), Notification.objects.count()
    with pytest.raises(ConflictError):
        resume(carol, decision, at(2026, 3, 5, 12, 0))
    assert (CaseEvent.objects.count(), Notification.objects.count()) == before


# --- Web pages ----------------------------------------------------------------------------


class HttpsClient(Client):
    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


def web(user):
    client = HttpsClient()
    client.force_login(user)
    return client


def action_url(case, deadline, action):
    return reverse(f"deadlines:{action}", args=[case.reference, deadline.pk])


def post(user, url, data, when):
    with moment(when):
        return web(user).post(url, data)


@pytest.mark.parametrize("action", ["pause", "resume", "extend"])
def test_staff_get_a_page_per_action(carol, in_review, action):
    decision = clock(in_review, "platform.decision")
    with moment(at(2026, 3, 5, 12, 0)):
        response = web(carol).get(action_url(in_review, decision, action))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Platform&#x27;s decision" in html
    assert 'name="reason"' in html
    assert ('name="working_days"' in html) == (action == "extend")


@pytest.mark.parametrize("action", ["pause", "resume", "extend"])
def test_sellers_get_404_on_the_actions_even_on_their_own_case(alice, bob, in_review, action):
    decision = clock(in_review, "platform.decision")
    url = action_url(in_review, decision, action)
    for seller in (alice, bob):
        assert web(seller).get(url).status_code == 404
        response = post(seller, url, {"reason": "x", "hours": "2"}, at(2026, 3, 5, 12, 0))
        assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.state == "running" and decision.due_at == at(2026, 3, 14)


def test_a_clock_of_another_case_is_404(alice, carol, in_review, make_case):
    other = make_case(alice)
    decision = clock(in_review, "platform.decision")
    assert web(carol).get(action_url(other, decision, "pause")).status_code == 404
    missing = reverse("deadlines:pause", args=[in_review.reference, 999999])
    assert web(carol).get(missing).status_code == 404


def test_staff_pause_on_the_web_and_come_back_to_the_clocks(alice, carol, in_review):
    decision = clock(in_review, "platform.decision")
    response = post(
        carol,
        action_url(in_review, decision, "pause"),
        {"reason": "平台春节放假"},
        at(2026, 3, 6, 12, 0),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{in_review.get_absolute_url()}#clocks"
    decision.refresh_from_db()
    assert (decision.state, decision.paused_by_staff) == ("paused", True)
    event = CaseEvent.objects.get(case=in_review, kind="deadline_paused")
    assert (event.actor, event.note) == (carol, "平台春节放假")


def test_a_missing_reason_redisplays_the_form(carol, in_review):
    decision = clock(in_review, "platform.decision")
    response = post(
        carol, action_url(in_review, decision, "pause"), {"reason": "  "}, at(2026, 3, 6, 12, 0)
    )
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    decision.refresh_from_db()
    assert decision.state == "running"


def test_resuming_a_running_clock_is_a_conflict_shown_on_the_form(carol, in_review):
    decision = clock(in_review, "platform.decision")
    response = post(
        carol, action_url(in_review, decision, "resume"), {"reason": "恢复"}, at(2026, 3, 6, 12, 0)
    )
    assert response.status_code == 409
    assert "nothing to resume" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # The service's rule and words, the same as the API's.
        ({}, "give exactly one"),
        ({"working_days": "1", "hours": "3"}, "give exactly one"),
        ({"working_days": "0"}, "greater than or equal to 1"),
        ({"due_on": "2026-03-12"}, "later than the current one"),
        ({"due_on": "2300-01-01"}, "between 2000 and 2200"),
        ({"due_on": "9999-12-31"}, "between 2000 and 2200"),  # 24:00 is past year 9999
    ],
)
def test_a_bad_extension_redisplays_the_form_with_what_was_typed(carol, in_review, data, message):
    decision = clock(in_review, "platform.decision")
    response = post(
        carol,
        action_url(in_review, decision, "extend"),
        {"reason": "平台同意延期", **data},
        at(2026, 3, 6, 12, 0),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "平台同意延期" in html
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 14)


def test_extending_to_a_day_ends_at_24_00_that_day_in_the_users_zone(carol, in_review):
    decision = clock(in_review, "platform.decision")
    response = post(
        carol,
        action_url(in_review, decision, "extend"),
        {"reason": "平台书面同意延期至 3 月 20 日", "due_on": "2026-03-20"},
        at(2026, 3, 6, 12, 0),
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.due_at == at(2026, 3, 21, 0, 0)

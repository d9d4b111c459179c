import importlib
import threading
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from cases.choices import EventKind, Priority
from cases.models import Case, CaseEvent
from deadlines.calendar import next_warning, warning_moments
from deadlines.choices import DeadlineState
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import rule_snapshot
from deadlines.sweep import sweep_deadlines
from deadlines.tasks import sweep_deadlines_task
from notifications.choices import NotificationKind
from notifications.models import Notification

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai

SHIPPED_RULES = importlib.import_module("cases.migrations.0006_deadline_rules").RULES


def _rule(key: str) -> DeadlineRule:
    # Transactional tests flush the shipped rules; put back the one a test needs.
    rule = DeadlineRule.objects.filter(key=key).first()
    if rule is None:
        rule = DeadlineRule.objects.create(**next(r for r in SHIPPED_RULES if r["key"] == key))
    return rule


@pytest.fixture
def make_deadline(db):
    """A clock created directly: the sweep's input is rows, however they were started."""

    def make(case, *, key="samr.accept_decision", due_at=NOW, warn_at=None, **fields):
        rule = _rule(key)
        fields.setdefault("started_at", due_at - timedelta(days=10))
        return Deadline.objects.create(
            case=case,
            rule=rule,
            rule_snapshot=rule_snapshot(rule),
            waiting_on=rule.waiting_on,
            due_at=due_at,
            warn_at=warn_at,
            **fields,
        )

    return make


def _events(kind, **filters):
    return CaseEvent.objects.filter(kind=kind, **filters)


def _refresh(deadline):
    deadline.refresh_from_db()
    return deadline


# --- Breaching ------------------------------------------------------------------------------


def test_a_due_clock_is_breached_once_however_often_the_sweep_runs(alice_case, make_deadline):
    deadline = make_deadline(alice_case, due_at=NOW - timedelta(minutes=1))

    first = sweep_deadlines(now=NOW)
    second = sweep_deadlines(now=NOW + timedelta(minutes=1))

    assert (first.breached, second.breached) == (1, 0)
    deadline = _refresh(deadline)
    assert deadline.state == DeadlineState.BREACHED
    assert deadline.settled_at == NOW
    assert deadline.warn_at is None
    [event] = _events(EventKind.DEADLINE_BREACHED, case=alice_case)
    assert event.actor is None
    assert event.created_at == NOW
    assert event.changes["deadline"] == {
        "id": deadline.pk,
        "rule": "samr.accept_decision",
        "due_at": deadline.due_at.isoformat(),
        "waiting_on": "body",
    }
    [notification] = Notification.objects.filter(kind=NotificationKind.DEADLINE_BREACHED)
    assert (notification.recipient, notification.case, notification.deadline) == (
        alice_case.owner,
        alice_case,
        deadline,
    )
    assert notification.email_sent_at is None
    assert notification.read_at is None


def test_a_clock_due_exactly_now_is_breached(alice_case, make_deadline):
    deadline = make_deadline(alice_case, due_at=NOW)
    assert sweep_deadlines(now=NOW).breached == 1
    assert _refresh(deadline).state == DeadlineState.BREACHED


def test_clocks_not_yet_due_are_left_alone(alice_case, make_deadline):
    deadline = make_deadline(
        alice_case, due_at=NOW + timedelta(seconds=1), warn_at=NOW + timedelta(hours=1)
    )

    assert sweep_deadlines(now=NOW) == (0, 0)

    deadline = _refresh(deadline)
    assert (deadline.state, deadline.warnings_sent) == (DeadlineState.RUNNING, 0)
    assert deadline.warn_at == NOW + timedelta(hours=1)
    assert not CaseEvent.objects.filter(kind__startswith="deadline_").exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("state", [DeadlineState.PAUSED, DeadlineState.MET, "cancelled"])
def test_paused_and_settled_clocks_are_never_breached(alice_case, make_deadline, state):
    deadline = make_deadline(
        alice_case,
        due_at=NOW - timedelta(days=30),
        warn_at=NOW - timedelta(days=31),
        state=state,
        remaining=timedelta(days=2),
    )

    result = sweep_deadlines(now=NOW)

    assert (result.breached, result.warned) == (0, 0)
    assert _refresh(deadline).state == state
    assert not Notification.objects.exists()


def test_a_backlog_is_worked_off_in_capped_runs_oldest_first(alice_case, make_deadline):
    clocks = [
        make_deadline(alice_case, due_at=NOW - timedelta(hours=hours)) for hours in (1, 5, 3, 4, 2)
    ]
    oldest_first = sorted(clocks, key=lambda d: d.due_at)

    runs = [sweep_deadlines(now=NOW, limit=2).breached for _ in range(4)]

    assert runs == [2, 2, 1, 0]
    breached_in_order = [
        e.changes["deadline"]["id"]
        for e in _events(EventKind.DEADLINE_BREACHED).order_by("created_at", "id")
    ]
    assert breached_in_order == [d.pk for d in oldest_first]


def test_breaches_and_warnings_share_the_cap_breaches_first(alice_case, make_deadline):
    for hours in (1, 2):
        make_deadline(alice_case, due_at=NOW - timedelta(hours=hours))
    for days in (1, 2):
        make_deadline(
            alice_case, due_at=NOW + timedelta(days=days), warn_at=NOW - timedelta(minutes=1)
        )

    assert sweep_deadlines(now=NOW, limit=3) == (1, 2)  # (warned, breached)
    assert sweep_deadlines(now=NOW, limit=3) == (1, 0)
    assert sweep_deadlines(now=NOW, limit=3) == (0, 0)


def test_a_clock_past_due_with_a_warning_pending_is_breached_not_warned(alice_case, make_deadline):
    deadline = make_deadline(
        alice_case, due_at=NOW - timedelta(hours=1), warn_at=NOW - timedelta(days=1)
    )

    assert sweep_deadlines(now=NOW) == (0, 1)
    assert _refresh(deadline).warnings_sent == 0
    assert not _events(EventKind.DEADLINE_WARNED).exists()


# --- Breach actions -------------------------------------------------------------------------


def test_raise_priority_makes_the_case_urgent(alice_case, make_deadline):
    # platform.decision: on breach notify, raise_priority, suggest.
    make_deadline(alice_case, key="platform.decision", due_at=NOW - timedelta(minutes=5))
    assert alice_case.priority == Priority.NORMAL

    sweep_deadlines(now=NOW)

    alice_case.refresh_from_db()
    assert alice_case.priority == Priority.URGENT
    assert alice_case.updated_at == NOW
    [event] = _events(EventKind.DEADLINE_BREACHED)
    assert event.changes["priority"] == {"old": "normal", "new": "urgent"}
    assert event.changes["suggestion"] == ("The platform is late: escalate to an external body.")
    assert event.changes["suggestion_zh"] == "平台逾期未处理，可向外部机构升级。"
    assert "window_closed" not in event.changes


def test_raise_priority_on_an_urgent_case_records_no_change(alice, make_case, make_deadline):
    case = make_case(alice, priority=Priority.URGENT)
    make_deadline(case, key="platform.decision", due_at=NOW - timedelta(minutes=5))
    make_deadline(case, key="platform.decision", due_at=NOW - timedelta(minutes=4))

    sweep_deadlines(now=NOW)

    assert all("priority" not in e.changes for e in _events(EventKind.DEADLINE_BREACHED))


def test_two_clocks_of_one_case_raise_its_priority_once(alice_case, make_deadline):
    make_deadline(alice_case, key="platform.decision", due_at=NOW - timedelta(minutes=5))
    make_deadline(alice_case, key="platform.decision", due_at=NOW - timedelta(minutes=4))

    sweep_deadlines(now=NOW)

    changes = [e.changes for e in _events(EventKind.DEADLINE_BREACHED).order_by("id")]
    assert [("priority" in c) for c in changes] == [True, False]


def test_close_window_is_recorded_for_the_timeline(alice_case, make_deadline):
    # civil.limitation: on breach notify, close_window.
    make_deadline(alice_case, key="civil.limitation", due_at=NOW - timedelta(minutes=5))

    sweep_deadlines(now=NOW)

    [event] = _events(EventKind.DEADLINE_BREACHED)
    assert event.changes["window_closed"] is True
    assert "priority" not in event.changes
    alice_case.refresh_from_db()
    assert alice_case.priority == Priority.NORMAL


def test_a_rule_without_notify_writes_no_notification(alice_case, make_deadline):
    deadline = make_deadline(alice_case, due_at=NOW - timedelta(minutes=5))
    deadline.rule_snapshot["on_breach"] = []
    deadline.save()

    sweep_deadlines(now=NOW)

    assert _events(EventKind.DEADLINE_BREACHED).count() == 1
    assert not Notification.objects.exists()


def test_the_snapshot_decides_not_the_rule_edited_since(alice_case, make_deadline):
    deadline = make_deadline(alice_case, key="platform.decision", due_at=NOW - timedelta(hours=1))
    DeadlineRule.objects.filter(pk=deadline.rule_id).update(on_breach=[])

    sweep_deadlines(now=NOW)

    alice_case.refresh_from_db()
    assert alice_case.priority == Priority.URGENT
    assert Notification.objects.count() == 1


def test_notify_reaches_owner_and_assignee(alice_case, carol, make_deadline):
    alice_case.assignee = carol
    alice_case.save()
    make_deadline(alice_case, due_at=NOW - timedelta(minutes=5))

    sweep_deadlines(now=NOW)

    recipients = Notification.objects.filter(kind=NotificationKind.DEADLINE_BREACHED)
    assert sorted(n.recipient.username for n in recipients) == ["alice", "carol"]


def test_an_owner_assigned_to_their_own_case_is_notified_once(alice_case, make_deadline):
    alice_case.assignee = alice_case.owner
    alice_case.save()
    make_deadline(alice_case, due_at=NOW - timedelta(minutes=5))

    sweep_deadlines(now=NOW)

    assert list(Notification.objects.values_list("recipient", flat=True)) == [alice_case.owner_id]


# --- Warnings -------------------------------------------------------------------------------


def test_warnings_go_out_at_each_moment_and_never_twice(alice_case, carol, make_deadline):
    # civil.limitation warns 90, 30 and 7 days before the due moment.
    alice_case.assignee = carol
    alice_case.save()
    due = datetime(2029, 10, 1, 16, 0, tzinfo=UTC)
    moments = [due - timedelta(days=days) for days in (90, 30, 7)]
    deadline = make_deadline(alice_case, key="civil.limitation", due_at=due, warn_at=moments[0])

    def sweep_at(at):
        with mock.patch("cases.clock.now", return_value=at):
            return sweep_deadlines().warned

    timeline = [
        (moments[0] - timedelta(seconds=1), 0, 0, moments[0]),
        (moments[0], 1, 1, moments[1]),
        (moments[0] + timedelta(minutes=1), 0, 1, moments[1]),
        (moments[1] - timedelta(days=1), 0, 1, moments[1]),
        (moments[1] + timedelta(minutes=3), 1, 2, moments[2]),
        (moments[1] + timedelta(minutes=4), 0, 2, moments[2]),
        (moments[2], 1, 3, None),
        (due - timedelta(seconds=1), 0, 3, None),
    ]
    for at, warned, sent, next_at in timeline:
        assert sweep_at(at) == warned, at
        deadline = _refresh(deadline)
        assert (deadline.warnings_sent, deadline.warn_at) == (sent, next_at), at

    assert deadline.state == DeadlineState.RUNNING
    events = list(_events(EventKind.DEADLINE_WARNED).order_by("created_at"))
    assert [e.created_at for e in events] == [
        moments[0],
        moments[1] + timedelta(minutes=3),
        moments[2],
    ]
    assert [e.changes["warning"] for e in events] == [1, 2, 3]
    warnings = Notification.objects.filter(kind=NotificationKind.DEADLINE_WARNING)
    assert warnings.count() == 6  # three warnings, to alice and to carol
    assert (
        sorted(warnings.values_list("recipient__username", flat=True))
        == ["alice"] * 3 + ["carol"] * 3
    )

    assert sweep_deadlines(now=due) == (0, 1)


def test_a_late_sweep_sends_one_warning_not_every_one_it_missed(alice_case, make_deadline):
    due = NOW + timedelta(days=5)
    deadline = make_deadline(
        alice_case, key="civil.limitation", due_at=due, warn_at=due - timedelta(days=90)
    )

    assert sweep_deadlines(now=NOW).warned == 1

    deadline = _refresh(deadline)
    assert (deadline.warnings_sent, deadline.warn_at) == (1, None)
    assert Notification.objects.count() == 1


def test_hour_rules_warn_in_hours():
    snapshot = {"unit": "hours", "warn_before": [4, 1]}
    due = NOW
    assert warning_moments(snapshot, due) == [due - timedelta(hours=4), due - timedelta(hours=1)]
    assert next_warning(snapshot, due, after=due - timedelta(hours=4)) == due - timedelta(hours=1)
    assert next_warning(snapshot, due, after=due - timedelta(hours=1)) is None


@pytest.mark.django_db
def test_day_rules_warn_in_days_and_working_day_rules_in_working_days():
    # NOW is Monday 10:00 in Shanghai; a clock due at its 24:00 (Tuesday 00:00).
    due = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    natural = {"unit": "natural_days", "warn_before": [1, 3]}
    assert warning_moments(natural, due) == [due - timedelta(days=3), due - timedelta(days=1)]
    working = {"unit": "working_days", "warn_before": [1, 3]}
    # 1 working day left: Monday 00:00; 3 left: Thursday 00:00 (not Friday, the natural 3).
    assert warning_moments(working, due) == [due - timedelta(days=5), due - timedelta(days=1)]
    assert warning_moments({"unit": "years", "warn_before": []}, due) == []


# --- Cost, task and schedule ----------------------------------------------------------------


def test_an_empty_sweep_costs_a_fixed_handful_of_queries(
    alice_case, make_deadline, django_assert_num_queries
):
    for days in (1, 2, 3):
        make_deadline(
            alice_case, due_at=NOW + timedelta(days=days), warn_at=NOW + timedelta(hours=days)
        )
    # Each phase: savepoint, one SELECT … FOR UPDATE SKIP LOCKED, release.
    with django_assert_num_queries(6):
        assert sweep_deadlines(now=NOW) == (0, 0)


def test_a_sweep_of_many_clocks_does_not_query_per_clock(
    alice, make_case, make_deadline, django_assert_num_queries
):
    cases = [make_case(alice) for _ in range(3)]
    for case in cases:
        for minutes in (1, 2, 3):
            make_deadline(case, key="platform.decision", due_at=NOW - timedelta(minutes=minutes))
            make_deadline(case, due_at=NOW + timedelta(days=2), warn_at=NOW - timedelta(hours=1))

    # Each phase: savepoint, claim, updates, one INSERT of events, the recipients' e-mail
    # preference, one INSERT of notifications, release; the warnings read the calendar's
    # overrides once for the batch (the year their next warnings fall in).
    with django_assert_num_queries(16):
        assert sweep_deadlines(now=NOW) == (9, 9)


def test_the_task_sweeps_at_the_clocks_now(alice_case, make_deadline):
    make_deadline(alice_case, due_at=NOW - timedelta(minutes=1))

    with mock.patch("cases.clock.now", return_value=NOW):
        result = sweep_deadlines_task.delay().get()

    assert result == {"warned": 0, "breached": 1}


def test_beat_sweeps_deadlines_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-deadlines"]
    assert entry["task"] == sweep_deadlines_task.name == "deadlines.tasks.sweep_deadlines_task"
    assert entry["schedule"] == 60


# --- Exactly once under concurrency (PostgreSQL) --------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_breach_each_clock_exactly_once(make_user, make_case, make_deadline):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is checked on PostgreSQL (CI sets DATABASE_URL)")
    owner, staff = make_user("dana"), make_user("erin", role="staff")
    cases = []
    for _ in range(10):
        case = make_case(owner)
        case.assignee = staff
        case.save()
        cases.append(case)
    clocks = [
        make_deadline(cases[i % 10], key="platform.decision", due_at=NOW - timedelta(minutes=i + 1))
        for i in range(50)
    ]
    threads_count = 4
    barrier = threading.Barrier(threads_count)
    results, errors = [], []

    def sweep_until_done():
        try:
            barrier.wait()
            # Small batches, so the sweeps interleave many times.
            while (result := sweep_deadlines(now=NOW, limit=3)).breached:
                results.append(result.breached)
        except Exception as error:  # collected, asserted empty below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_until_done) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A sweep may stop while another still held the last clocks of a busy case; one more run
    # finds whatever is left.
    results.append(sweep_deadlines(now=NOW).breached)

    assert errors == []
    assert sum(results) == 50
    assert set(Deadline.objects.values_list("state", flat=True)) == {DeadlineState.BREACHED}
    breached_ids = [
        e.changes["deadline"]["id"] for e in CaseEvent.objects.filter(kind="deadline_breached")
    ]
    assert sorted(breached_ids) == sorted(d.pk for d in clocks)
    # Owner and assignee, once per clock.
    assert Notification.objects.filter(kind="deadline_breached").count() == 100
    assert set(Case.objects.values_list("priority", flat=True)) == {Priority.URGENT}
    raised = [
        e for e in CaseEvent.objects.filter(kind="deadline_breached") if "priority" in e.changes
    ]
    assert len(raised) == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_warn_each_clock_exactly_once(make_user, make_case, make_deadline):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is checked on PostgreSQL (CI sets DATABASE_URL)")
    owner = make_user("dana")
    cases = [make_case(owner) for _ in range(5)]
    for i in range(50):
        make_deadline(
            cases[i % 5],
            key="civil.limitation",
            due_at=NOW + timedelta(days=20),
            warn_at=NOW - timedelta(minutes=i),
        )
    barrier = threading.Barrier(4)
    errors = []

    def sweep_until_done():
        try:
            barrier.wait()
            while sweep_deadlines(now=NOW, limit=3).warned:
                pass
        except Exception as error:  # collected, asserted empty below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep_until_done) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sweep_deadlines(now=NOW)

    assert errors == []
    assert set(Deadline.objects.values_list("warnings_sent", flat=True)) == {1}
    assert CaseEvent.objects.filter(kind="deadline_warned").count() == 50
    assert Notification.objects.filter(kind="deadline_warning").count() == 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_clock_whose_case_is_being_changed_waits_for_the_next_run(
    make_user, make_case, make_deadline
):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is checked on PostgreSQL (CI sets DATABASE_URL)")
    case = make_case(make_user("dana"))
    deadline = make_deadline(case, due_at=NOW - timedelta(minutes=1))
    locked, release = threading.Event(), threading.Event()

    def hold_the_case():
        # As a service does: lock the case, then (here: later) touch its clocks.
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=case.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_case)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        # Would block (and, with the service's next step, deadlock) if it waited for the case.
        assert sweep_deadlines(now=NOW).breached == 0
        assert _refresh(deadline).state == DeadlineState.RUNNING
    finally:
        release.set()
        holder.join()

    assert sweep_deadlines(now=NOW).breached == 1


def test_on_the_day_warns_at_the_start_of_the_last_day():
    """warn_before 0 ("on the day", a follow-up's) warns at 00:00 of the day, a day before
    its 24:00 (it never warned: 0 was dropped); an hour rule has no such day."""
    due = datetime(2026, 3, 10, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 03-09 24:00
    assert warning_moments({"unit": "until_date", "warn_before": [0]}, due) == [
        due - timedelta(days=1)
    ]
    assert warning_moments({"unit": "natural_days", "warn_before": [2, 0]}, due) == [
        due - timedelta(days=2),
        due - timedelta(days=1),
    ]
    assert warning_moments({"unit": "hours", "warn_before": [0]}, due) == []

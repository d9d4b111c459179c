"""Calendar edits recompute the running clocks over the changed days, in the background and
only after the edit commits; paused clocks meet the new calendar when they resume; editing a
rule leaves running clocks alone."""

import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.duration import duration_iso_string

from cases.choices import EventKind
from cases.models import Case, CaseEvent
from cases.services import case_transition
from config.errors import DomainError
from deadlines import recompute
from deadlines.calendar_services import (
    calendar_override_delete,
    calendar_override_save,
    calendar_refresh,
    published_year_save,
)
from deadlines.choices import DeadlineState
from deadlines.models import (
    CalendarLibraryState,
    CalendarOverride,
    Deadline,
    DeadlineRule,
    PublishedYear,
)
from deadlines.recompute import clocks_recompute, recomputed_due
from deadlines.staff import deadline_extend
from deadlines.templatetags.deadlines import deadline_reason

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def now():
    """Move cases.clock: everything reads the time from it, the background task included."""
    with mock.patch("cases.clock.now") as patched:

        def move_to(when):
            patched.return_value = when

        move_to(at(2026, 3, 3, 12, 0))
        yield move_to


@pytest.fixture
def move(alice, alice_case, now):
    def do(to, when, case=alice_case):
        now(when)
        case_transition(actor=alice, case=Case.objects.get(pk=case.pk), to=to)
        return {d.rule_snapshot["key"]: d for d in Deadline.objects.filter(case=case)}

    return do


@pytest.fixture
def first_response(move, now):
    """platform.first_response (5 working days) from Mon 2026-03-02 10:00: due 03-09 24:00."""
    clock = move("filed", at(2026, 3, 2, 10, 0))["platform.first_response"]
    assert clock.due_at == at(2026, 3, 10)
    now(at(2026, 3, 3, 12, 0))
    return clock


def holiday(day: str, *, actor=None, **fields) -> CalendarOverride:
    fields.setdefault("source", "国务院办公厅通知")
    override = CalendarOverride(date=date.fromisoformat(day), is_working_day=False, **fields)
    return calendar_override_save(actor=actor, override=override)


def _recomputed(case=None):
    events = CaseEvent.objects.filter(kind=EventKind.DEADLINE_RECOMPUTED)
    return list(events.filter(case=case) if case else events)


def _refresh(deadline):
    deadline.refresh_from_db()
    return deadline


# --- Running clocks -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_holiday_inside_a_running_clock_moves_it_one_working_day_later(
    first_response, alice_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-04")  # a Wednesday the clock counted

    clock = _refresh(first_response)
    assert clock.due_at == at(2026, 3, 11)  # 03-10 24:00
    assert clock.warn_at == at(2026, 3, 10)  # one day before, still ahead
    assert clock.state == DeadlineState.RUNNING
    [event] = _recomputed(alice_case)
    assert event.actor is None
    assert event.created_at == at(2026, 3, 3, 12, 0)
    assert event.changes["due_at"] == {
        "old": at(2026, 3, 10).isoformat(),
        "new": at(2026, 3, 11).isoformat(),
    }
    assert event.changes["deadline"]["id"] == clock.pk
    assert event.changes["deadline"]["due_at"] == at(2026, 3, 11).isoformat()
    assert event.changes["calendar_days"] == ["2026-03-04"]
    assert "provisional" not in event.changes


@pytest.mark.django_db
def test_a_holiday_outside_the_span_changes_nothing(
    first_response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-20")
        holiday("2026-02-27")  # before it started

    assert _refresh(first_response).due_at == at(2026, 3, 10)
    assert _recomputed() == []


@pytest.mark.django_db
def test_deleting_the_holiday_moves_the_clock_back(
    first_response, alice_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override = holiday("2026-03-04")
    assert _refresh(first_response).due_at == at(2026, 3, 11)

    with django_capture_on_commit_callbacks(execute=True):
        assert calendar_override_delete(actor=None, overrides=[override]) == 1

    assert not CalendarOverride.objects.exists()
    assert _refresh(first_response).due_at == at(2026, 3, 10)
    _, second = _recomputed(alice_case)
    assert second.changes["due_at"] == {
        "old": at(2026, 3, 11).isoformat(),
        "new": at(2026, 3, 10).isoformat(),
    }


@pytest.mark.django_db
def test_changing_an_override_recomputes_over_its_old_and_new_day(
    first_response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override = holiday("2026-03-04")
    assert _refresh(first_response).due_at == at(2026, 3, 11)

    override.date = date(2026, 3, 25)  # a typo corrected: the holiday is later
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_override_save(actor=None, override=override)
    assert len(callbacks) == 1

    assert _refresh(first_response).due_at == at(2026, 3, 10)
    assert _recomputed()[-1].changes["calendar_days"] == ["2026-03-04", "2026-03-25"]


@pytest.mark.django_db
def test_editing_only_the_source_or_note_recomputes_nothing(
    first_response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override = holiday("2026-03-04")
    override.source, override.note = "国办发明电 2026 1 号", "typo"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_override_save(actor=None, override=override)
    assert callbacks == []


@pytest.mark.django_db
def test_a_working_day_added_inside_the_span_brings_the_clock_earlier(
    move, now, django_capture_on_commit_callbacks
):
    # From Thu 2026-09-24: 09-25 is the Mid-Autumn Festival, then 09-28, 09-29, 09-30, the
    # National Day break 10-01…10-07, and 10-08, 10-09: due 10-09 24:00.
    clock = move("filed", at(2026, 9, 24, 10, 0))["platform.first_response"]
    assert clock.due_at == at(2026, 10, 10)
    now(at(2026, 9, 25, 9, 0))

    with django_capture_on_commit_callbacks(execute=True):
        calendar_override_save(
            actor=None,
            override=CalendarOverride(date=date(2026, 10, 7), is_working_day=True, source="x"),
        )

    assert _refresh(clock).due_at == at(2026, 10, 9)


@pytest.mark.django_db
def test_an_override_in_another_region_moves_no_clock(
    first_response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-04", region="hk")

    assert CalendarOverride.objects.get().region == "HK"  # stored as the calendar reads it
    assert _refresh(first_response).due_at == at(2026, 3, 10)
    assert _recomputed() == []


@pytest.mark.django_db
def test_an_override_in_an_unpublished_year_makes_the_last_day_certain(
    move, now, django_capture_on_commit_callbacks
):
    # 2027's schedule is not published (chinesecalendar 1.11): a clock ending there is
    # provisional until staff enter the days it depends on.
    clock = move("filed", at(2026, 12, 30, 10, 0))["platform.first_response"]
    assert clock.provisional
    now(at(2026, 12, 30, 11, 0))
    last_day = clock.due_at.astimezone(SH).date() - timedelta(days=1)
    days = [
        date(2026, 12, 31) + timedelta(days=n)
        for n in range((last_day - date(2026, 12, 31)).days + 1)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        for day in days:
            calendar_override_save(
                actor=None,
                override=CalendarOverride(
                    date=day,
                    is_working_day=day.weekday() < 5 and day != date(2027, 1, 1),
                    source="x",
                ),
            )

    # The days are entered, but the year is final only once staff mark it published.
    assert _refresh(clock).provisional
    with django_capture_on_commit_callbacks(execute=True):
        published_year_save(
            actor=None,
            published=PublishedYear(
                region="CN", year=2027, source="国务院办公厅通知", published_on=date(2026, 11, 4)
            ),
        )
    clock = _refresh(clock)
    assert not clock.provisional
    event = _recomputed()[-1]
    assert event.changes["provisional"] == {"old": True, "new": False}
    assert event.changes["calendar_reason"]["kind"] == "year_published"
    with translation.override("en"):
        assert deadline_reason(event) == "The official holiday schedule for 2027 was published."


@pytest.mark.django_db
def test_hour_clocks_never_move(alice, alice_case, move, now, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=alice_case.pk).update(priority="urgent")
    clock = move("filed", at(2026, 3, 2, 10, 0))["platform.first_response.urgent"]

    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-03")

    assert _refresh(clock).due_at == at(2026, 3, 3, 10, 0)
    assert _recomputed() == []


# --- Paused and resumed clocks --------------------------------------------------------------


@pytest.fixture
def decision(move, now):
    """platform.decision (7 working days) from Wed 2026-03-04 10:00, paused Fri 03-06 12:00
    with 12 h + 5 working days left."""
    move("filed", at(2026, 3, 2, 10, 0))
    clock = move("in_review", at(2026, 3, 4, 10, 0))["platform.decision"]
    assert clock.due_at == at(2026, 3, 14)
    clock = move("info_requested", at(2026, 3, 6, 12, 0))["platform.decision"]
    assert clock.state == DeadlineState.PAUSED
    assert clock.remaining == timedelta(days=5)
    return clock


@pytest.mark.django_db
def test_a_paused_clock_keeps_its_time_and_resumes_on_the_new_calendar(
    decision, move, now, django_capture_on_commit_callbacks
):
    now(at(2026, 3, 7, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-10")  # a Tuesday ahead of it

    paused = _refresh(decision)
    assert (paused.state, paused.remaining) == (DeadlineState.PAUSED, timedelta(days=5))
    assert _recomputed() == []

    clock = move("in_review", at(2026, 3, 9, 12, 0))["platform.decision"]  # Monday noon
    # The 5 working days after Monday, Tuesday off: Wed…Fri and Mon, Tue: 03-17 24:00.
    assert clock.due_at == at(2026, 3, 18)


@pytest.mark.django_db
def test_a_resumed_clock_is_recomputed_from_its_resume_with_the_time_it_had_left(
    decision, move, now, alice_case, django_capture_on_commit_callbacks
):
    clock = move("in_review", at(2026, 3, 9, 12, 0))["platform.decision"]
    assert clock.due_at == at(2026, 3, 17)  # 12 h of Monday, then Tue…Fri and Mon
    now(at(2026, 3, 9, 15, 0))

    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-11")

    assert _refresh(clock).due_at == at(2026, 3, 18)
    [event] = _recomputed(alice_case)
    assert event.changes["due_at"]["old"] == at(2026, 3, 17).isoformat()

    # A holiday during the pause (or before it) is not counted twice.
    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-06")
    assert _refresh(clock).due_at == at(2026, 3, 18)


def _event(kind, when, deadline, **changes):
    """An unsaved event as the deadline services write it."""
    return CaseEvent(
        kind=kind, created_at=when, changes={"deadline": {"id": deadline.pk}, **changes}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("recorded", [True, False], ids=["remaining-recorded", "older-events"])
def test_a_resumed_clock_is_recomputed_with_or_without_the_remaining_time_on_its_event(
    first_response, recorded
):
    """Resume events written before they recorded the time left are replayed from the
    start instead: the same result."""
    # Started Mon 03-02 10:00 (due 03-09 24:00); paused Wed 03-04 10:00 keeping the 3 working
    # days after Wednesday (Thu, Fri, Mon); resumed Mon 03-09 10:00: Tue, Wed, Thu → 03-12 24:00.
    clock = first_response
    left = timedelta(days=3)
    extra = {"remaining": {"old": duration_iso_string(left), "new": None}} if recorded else {}
    history = [
        _event(EventKind.DEADLINE_PAUSED, at(2026, 3, 4, 10, 0), clock),
        _event(EventKind.DEADLINE_RESUMED, at(2026, 3, 9, 10, 0), clock, **extra),
    ]
    assert recomputed_due(clock, history).due_at == at(2026, 3, 13)

    CalendarOverride.objects.create(date=date(2026, 3, 11), is_working_day=False, source="x")
    assert recomputed_due(clock, history).due_at == at(2026, 3, 14)  # Tue, Thu, Fri


@pytest.mark.django_db
def test_a_clock_staff_extended_by_working_days_follows_the_calendar(
    first_response, carol, now, django_capture_on_commit_callbacks
):
    now(at(2026, 3, 9, 9, 0))
    clock = deadline_extend(
        actor=carol, deadline=first_response, reason="平台系统故障", working_days=2
    )
    assert clock.due_at == at(2026, 3, 12)  # 03-09 24:00 plus Tue and Wed

    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-11")  # one of the days it was given
        holiday("2026-03-04")  # one of the days it counted first

    assert _refresh(clock).due_at == at(2026, 3, 14)  # Thu and Fri instead, then 03-13 24:00


@pytest.mark.django_db
def test_a_moment_staff_set_by_hand_stands(
    first_response, carol, now, django_capture_on_commit_callbacks
):
    now(at(2026, 3, 9, 9, 0))
    clock = deadline_extend(
        actor=carol, deadline=first_response, reason="平台承诺", due_at=at(2026, 3, 12, 18, 0)
    )

    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-04")
        holiday("2026-03-11")

    assert _refresh(clock).due_at == at(2026, 3, 12, 18, 0)
    assert _recomputed() == []


@pytest.mark.django_db
def test_time_staff_added_while_paused_is_kept_through_the_resume(
    decision, move, carol, now, django_capture_on_commit_callbacks
):
    now(at(2026, 3, 7, 9, 0))
    deadline_extend(actor=carol, deadline=decision, reason="材料需要公证", working_days=1)
    clock = move("in_review", at(2026, 3, 9, 12, 0))["platform.decision"]
    assert clock.due_at == at(2026, 3, 18)  # 12 h + 6 working days from Monday noon
    now(at(2026, 3, 9, 15, 0))

    with django_capture_on_commit_callbacks(execute=True):
        holiday("2026-03-12")

    assert _refresh(clock).due_at == at(2026, 3, 19)


@pytest.mark.django_db
def test_recomputing_with_no_calendar_change_writes_nothing(
    decision, move, alice_case, make_case, alice, now
):
    """The recomputation reproduces every clock exactly as the services computed it."""
    move("in_review", at(2026, 3, 9, 12, 0))
    other = make_case(alice, kind="purchase_complaint")
    move("filed", at(2026, 3, 2, 10, 0), case=other)
    now(at(2026, 3, 9, 15, 0))
    # The resumed decision clock and the other case's first response.
    running = Deadline.objects.filter(state=DeadlineState.RUNNING).count()
    assert running == 2

    result = clocks_recompute(region="CN", dates=[date(2026, 3, 9 + n) for n in range(10)])

    assert (result.examined, result.changed, result.skipped) == (running, 0, [])
    assert _recomputed() == []


# --- Batches --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_many_clocks_are_recomputed_a_batch_at_a_time(
    alice, make_case, move, now, django_capture_on_commit_callbacks
):
    clocks = [
        move("filed", at(2026, 3, 2, 10, 0), case=make_case(alice))["platform.first_response"]
        for _ in range(5)
    ]
    now(at(2026, 3, 3, 12, 0))
    CalendarOverride.objects.create(date=date(2026, 3, 4), is_working_day=False, source="x")

    with mock.patch.object(recompute, "_recompute_batch", wraps=recompute._recompute_batch) as spy:
        result = clocks_recompute(region="CN", dates=[date(2026, 3, 4)], batch_size=2)

    assert spy.call_count == 3
    assert [len(call.args[0]) for call in spy.call_args_list] == [2, 2, 1]
    assert (result.examined, result.changed) == (5, 5)
    assert {_refresh(c).due_at for c in clocks} == {at(2026, 3, 11)}
    assert len(_recomputed()) == 5


# --- After commit, and only then ------------------------------------------------------------


@pytest.mark.django_db
def test_the_recompute_is_enqueued_only_after_the_edit_commits(
    first_response, django_capture_on_commit_callbacks
):
    with mock.patch("deadlines.tasks.clocks_recompute") as work:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            holiday("2026-03-04")
        # Inside the transaction nothing ran: the task would not see the new row yet.
        work.assert_not_called()
        assert len(callbacks) == 1

        callbacks[0]()
        work.assert_called_once()
        assert work.call_args.kwargs["dates"] == [date(2026, 3, 4)]


@pytest.mark.django_db
def test_an_edit_that_rolls_back_moves_no_clock(first_response, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        holiday("2026-03-04")
        raise RuntimeError("the admin's request failed after saving")

    assert callbacks == []
    assert not CalendarOverride.objects.exists()
    assert _refresh(first_response).due_at == at(2026, 3, 10)


@pytest.mark.django_db
def test_a_second_override_for_the_same_day_is_refused(first_response):
    holiday("2026-03-04")
    with pytest.raises(DomainError):
        holiday("2026-03-04", region="cn")


def test_the_worker_registers_the_recompute_task():
    """A worker imports only each app's `tasks` module; CasesConfig.ready registers ours."""
    code = (
        "from config.celery import app; app.loader.import_default_modules(); "
        "print('deadlines.tasks.recompute_clocks_task' in app.tasks)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


# --- Through the admin ----------------------------------------------------------------------


@pytest.fixture
def admin_web(client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
def test_staff_add_and_delete_a_holiday_in_the_admin_and_the_clock_follows(
    admin_web, first_response, django_capture_on_commit_callbacks
):
    data = {"date": "2026-03-04", "region": "cn", "source": "国务院办公厅通知", "note": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post(
            reverse("admin:deadlines_calendaroverride_add"), data, secure=True
        )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.region, override.is_working_day) == ("CN", False)
    assert _refresh(first_response).due_at == at(2026, 3, 11)

    url = reverse("admin:deadlines_calendaroverride_delete", args=[override.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_web.post(url, {"post": "yes"}, secure=True).status_code == 302
    assert _refresh(first_response).due_at == at(2026, 3, 10)


@pytest.mark.django_db
def test_deleting_several_overrides_in_the_admin_recomputes_once(
    admin_web, first_response, django_capture_on_commit_callbacks
):
    for day in ("2026-03-04", "2026-03-05"):
        CalendarOverride.objects.create(date=day, is_working_day=False, source="x")
    data = {
        "action": "delete_selected",
        "_selected_action": list(CalendarOverride.objects.values_list("pk", flat=True)),
        "post": "yes",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_web.post(
            reverse("admin:deadlines_calendaroverride_changelist"), data, secure=True
        )
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert len(callbacks) == 1
    # The clock was computed before the rows existed, so it was already right: nothing moves.
    assert _refresh(first_response).due_at == at(2026, 3, 10)
    assert _recomputed() == []


@pytest.mark.django_db
def test_editing_a_rule_does_not_rewrite_running_clocks(
    admin_web, first_response, alice_case, django_capture_on_commit_callbacks
):
    from tests.deadlines.test_deadline_admin import _form_data

    rule = DeadlineRule.objects.get(key="platform.first_response")
    data = _form_data(rule)
    data["duration"] = "10"
    data["warn_before"] = "[3]"
    url = reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post(
            url, data, secure=True, follow=True, headers={"accept-language": "en"}
        )
    assert response.status_code == 200
    assert "keep the rule as it was" in response.content.decode()

    clock = _refresh(first_response)
    assert (clock.due_at, clock.warn_at) == (at(2026, 3, 10), at(2026, 3, 9))
    assert clock.rule_snapshot["duration"] == 5
    assert clock.rule_snapshot["warn_before"] == [1]
    # Not even a calendar recomputation uses the edited rule: the snapshot counts.
    CalendarOverride.objects.create(date=date(2026, 3, 4), is_working_day=False, source="x")
    clocks_recompute(region="CN", dates=[date(2026, 3, 4)])
    assert _refresh(clock).due_at == at(2026, 3, 11)
    assert _recomputed(alice_case)[0].changes["due_at"]["new"] == at(2026, 3, 11).isoformat()


# --- Busy rows (PostgreSQL) -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_clock_whose_case_is_busy_is_skipped_and_retried(make_user, make_case):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is checked on PostgreSQL (CI sets DATABASE_URL)")
    from deadlines.services import rule_snapshot
    from deadlines.tasks import recompute_clocks_task

    key = "platform.first_response"
    rule = DeadlineRule.objects.filter(key=key).first()
    if rule is None:  # transactional tests flush the shipped rules
        import importlib

        rules = importlib.import_module("cases.migrations.0006_deadline_rules").RULES
        rule = DeadlineRule.objects.create(**next(r for r in rules if r["key"] == key))
    case = make_case(make_user("dana"))
    clock = Deadline.objects.create(
        case=case,
        rule=rule,
        rule_snapshot=rule_snapshot(rule),
        waiting_on=rule.waiting_on,
        started_at=at(2026, 3, 2, 10, 0),
        due_at=at(2026, 3, 10),
    )
    CalendarOverride.objects.create(date=date(2026, 3, 4), is_working_day=False, source="x")
    locked, release = threading.Event(), threading.Event()

    def hold_the_case():
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
        with mock.patch.object(recompute_clocks_task, "apply_async") as retry:
            result = recompute_clocks_task(region="CN", dates=["2026-03-04"])
        assert result["skipped"] == [clock.pk]
        assert retry.call_args.kwargs["kwargs"]["ids"] == [clock.pk]
        assert _refresh(clock).due_at == at(2026, 3, 10)
    finally:
        release.set()
        holder.join()

    result = recompute_clocks_task(region="CN", dates=["2026-03-04"], ids=[clock.pk])
    assert (result["changed"], result["skipped"]) == (1, [])
    assert _refresh(clock).due_at == at(2026, 3, 11)


@pytest.mark.django_db
def test_newer_calendar_libraries_recompute_the_running_clocks_once(move, now):
    clock = move("filed", at(2026, 12, 30, 10, 0))["platform.first_response"]
    assert clock.provisional  # ends in 2027, which chinesecalendar 1.11 does not carry
    # The first run records the libraries; nothing moves.
    assert calendar_refresh(region="CN", now=at(2026, 12, 30, 11, 0)) is None
    assert calendar_refresh(region="CN", now=at(2026, 12, 30, 11, 0)) is None
    # A deploy brings a chinesecalendar that publishes 2027 (the record says otherwise).
    CalendarLibraryState.objects.update(libraries="holidays 0.1; chinesecalendar 1.0")
    real_is_workday = chinese_calendar.is_workday

    def with_2027(day):  # 2027 as a newer release might publish it: weekdays, no holiday
        return day.weekday() < 5 if day.year == 2027 else real_is_workday(day)

    with (
        mock.patch(
            "deadlines.calendar.library_published_years",
            return_value=(*range(2004, 2027), 2027),
        ),
        mock.patch("chinese_calendar.is_workday", with_2027),
    ):
        updated = calendar_refresh(region="CN", now=at(2026, 12, 30, 12, 0))
        assert updated and "chinesecalendar" in updated
        clock = _refresh(clock)
        assert not clock.provisional
        event = _recomputed()[-1]
        assert event.changes["calendar_reason"]["kind"] == "libraries_updated"
        # Run again by the next deploy: nothing to do.
        assert calendar_refresh(region="CN", now=at(2026, 12, 30, 13, 0)) is None

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from cases.choices import CaseKind, EventKind
from cases.models import Case, CaseEvent
from channels.models import ChannelEntry
from deadlines.choices import DeadlineState
from deadlines.models import Deadline
from deadlines.sweep import sweep_deadlines
from demo.loader import parse

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = parse()["password"]


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_demo_data_covers_every_kind_in_several_states_and_prints_the_logins():
    output = _seed(force=True)

    assert {"lina", "wanghao", "zhouyun", "admin"} <= set(
        User.objects.values_list("username", flat=True)
    )
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="zhouyun").is_support_staff
    assert User.objects.get(username="lina").check_password(DEMO_PASSWORD)
    assert {"lina", "wanghao", "zhouyun", "admin", DEMO_PASSWORD} <= set(output.split())

    cases = Case.objects.all()
    assert set(cases.values_list("kind", flat=True)) == set(CaseKind.values)
    assert len(set(cases.values_list("status", flat=True))) >= 5
    assert len(set(cases.values_list("owner", flat=True))) >= 2


def test_timelines_were_written_by_the_services_in_order():
    _seed(force=True)

    for case in Case.objects.all():
        events = list(case.events.order_by("id"))
        assert events[0].kind == EventKind.CREATED
        times = [event.created_at for event in events]
        assert times == sorted(times), case.reference
        moves = [e for e in events if e.kind == EventKind.STATUS_CHANGED]
        assert (moves[-1].to_status if moves else "draft") == case.status
        assert case.updated_at == times[-1]
    assert CaseEvent.objects.filter(kind=EventKind.NOTE).exists()
    assert CaseEvent.objects.filter(actor__username="zhouyun").exists()


def test_demo_cases_have_contacts_logged_through_the_service():
    _seed(force=True)

    contacts = ChannelEntry.objects.select_related("case", "body")
    assert contacts.count() == CaseEvent.objects.filter(kind=EventKind.CONTACT_LOGGED).count()
    deposit = Case.objects.get(title__startswith="退店五周")
    on_deposit = contacts.filter(case=deposit)
    assert (
        on_deposit.filter(channel="phone", body__slug="douyin_shop")
        .exclude(external_reference="")
        .exists()
    )
    assert on_deposit.filter(filing_type="exit_application").exists()
    # The merchant reports the platform to 12315; the consumer complains.
    assert on_deposit.filter(body__slug="12315", filing_type="report").exists()
    purchase = Case.objects.get(kind=CaseKind.PURCHASE_COMPLAINT, owner__username="lina")
    assert contacts.filter(case=purchase, body__slug="12315", filing_type="complaint").exists()
    assert contacts.filter(
        case__kind=CaseKind.CONTENT_TAKEDOWN, filing_type="counter_notice"
    ).exists()
    assert contacts.filter(direction="inbound").exists()
    assert contacts.filter(follow_up_on__isnull=False).exists()
    assert contacts.filter(evidence__isnull=False).exists()
    # Some were logged after they happened, as in life.
    assert any(c.logged_at - c.occurred_at > datetime.timedelta(days=1) for c in contacts)
    for contact in contacts:
        assert contact.occurred_at <= contact.logged_at
        assert contact.summary and contact.counterpart


def test_demo_clocks_warn_and_run_out_minutes_after_seeding():
    """`make run` seeds, then starts the worker with its minute sweep: some clocks must move
    while someone watches."""
    seeded = timezone.now()
    _seed(force=True)
    soon = seeded + datetime.timedelta(minutes=10)

    clocks = Deadline.objects.all()
    states = set(clocks.values_list("state", flat=True))
    assert {DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MET} <= states
    running = clocks.filter(state=DeadlineState.RUNNING)
    # Both still ahead when the worker starts, and within ten minutes. (Near midnight a
    # day-period clock of the older stories may fall in the window too: find ours by rule.)
    due_soon = running.filter(due_at__gt=seeded, due_at__lte=soon)
    warn_soon = running.filter(warn_at__gt=seeded, warn_at__lte=soon)
    runs_out = due_soon.get(rule_snapshot__key="seller.reply")
    warns = warn_soon.get(rule_snapshot__key="platform.first_response.urgent")
    assert runs_out.case.status == "info_requested"
    # The platform's clock on that case waits, keeping its time.
    paused = runs_out.case.deadlines.get(state=DeadlineState.PAUSED)
    assert paused.waiting_on == "platform" and paused.remaining > datetime.timedelta(0)
    assert warns.case.priority == "urgent"

    # What the worker's sweep does with them in the next ten minutes.
    sweep_deadlines(now=seeded + datetime.timedelta(minutes=1))
    sweep_deadlines(now=soon)
    runs_out.refresh_from_db()
    warns.refresh_from_db()
    assert runs_out.state == DeadlineState.BREACHED
    assert (warns.state, warns.warnings_sent) == (DeadlineState.RUNNING, 1)
    assert CaseEvent.objects.filter(
        kind=EventKind.DEADLINE_WARNED, case=runs_out.case
    ).exists()  # warned at the first tick: its warning moment had passed


def test_running_it_twice_creates_nothing_new():
    _seed(force=True)
    counts = (
        User.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        ChannelEntry.objects.count(),
    )

    output = _seed(force=True)

    assert (
        User.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
        ChannelEntry.objects.count(),
    ) == counts
    assert "0 new users, 0 new cases" in output


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        _seed()
    assert not Case.objects.exists()


def test_demo_conversations_have_a_question_answered_and_one_waiting():
    _seed(force=True)

    deposit = Case.objects.get(title__startswith="退店五周")
    authors = list(
        deposit.messages.order_by("created_at").values_list("author__username", flat=True)
    )
    assert authors == ["lina", "zhouyun"]
    assert deposit.awaiting_reply_since is None  # support answered
    waiting = Case.objects.filter(awaiting_reply_since__isnull=False)
    assert [case.owner.username for case in waiting] == ["wanghao"]
    assert CaseEvent.objects.filter(kind=EventKind.MESSAGE).count() == 3


def test_demo_logins_prints_just_the_logins_table():
    out = StringIO()
    call_command("demo_logins", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo logins / 演示账号"
    assert [line.split()[:2] for line in lines[1:5]] == [
        [username, DEMO_PASSWORD] for username in ("lina", "wanghao", "zhouyun", "admin")
    ]
    assert "李娜" in lines[1]
    assert not User.objects.exists()  # it reads the data file, not the database

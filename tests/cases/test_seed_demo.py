import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from cases.choices import CaseKind, EventKind
from cases.management.commands.seed_demo import DEMO_PASSWORD
from cases.models import Case, CaseEvent
from channels.models import ChannelEntry

pytestmark = pytest.mark.django_db


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

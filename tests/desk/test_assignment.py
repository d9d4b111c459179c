"""Staff take, assign, reassign and unassign a case: audited on the timeline, the new assignee
told (never twice, never when it is themselves), the owner told who has it; sellers reach
none of it (404)."""

import itertools
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from cases.choices import EventKind
from cases.models import Case, CaseEvent
from config.errors import DomainError
from desk.assignment import case_assign, case_take, staff_members
from notifications.choices import NotificationKind
from notifications.delivery import notification_text
from notifications.models import Notification

EN = {"accept-language": "en"}


@pytest.fixture
def dave(make_user):
    return make_user("dave", role="staff")


def _events(case):
    return list(CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).order_by("id"))


def _notified(case) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(case=case).select_related("recipient")
    return sorted((n.recipient.username, n.kind) for n in rows)


def assign_url(case):
    return reverse("desk-bulk:assign", kwargs={"reference": case.reference})


# --- Service --------------------------------------------------------------------------------


def test_assigning_saves_the_assignee_and_writes_the_event(alice_case, carol, dave):
    case = case_assign(actor=carol, case=alice_case, assignee=dave, note="抖店专员")

    assert case.assignee == dave
    assert Case.objects.get(pk=alice_case.pk).assignee == dave
    [event] = _events(alice_case)
    assert event.actor == carol
    assert event.changes == {"assignee": {"old": None, "new": "dave"}}
    assert event.note == "抖店专员"


def test_the_new_assignee_and_the_owner_are_notified_not_the_actor(
    alice_case, carol, dave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=carol, case=alice_case, assignee=dave)

    assert _notified(alice_case) == [
        ("alice", NotificationKind.CASE_CHANGED),
        ("dave", NotificationKind.ASSIGNED),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.cn", "dave@example.cn"]


def test_taking_a_case_notifies_the_owner_only(alice_case, carol):
    case = case_take(actor=carol, case=alice_case)

    assert case.assignee == carol
    assert _notified(alice_case) == [("alice", NotificationKind.CASE_CHANGED)]
    [event] = _events(alice_case)
    assert event.changes == {"assignee": {"old": None, "new": "carol"}}


def test_reassigning_tells_the_previous_assignee_once_and_the_new_one_once(
    alice_case, carol, dave, make_user
):
    erin = make_user("erin", role="staff")
    case_assign(actor=carol, case=alice_case, assignee=dave)
    Notification.objects.all().delete()

    case_assign(actor=erin, case=alice_case, assignee=carol)

    assert _notified(alice_case) == [
        ("alice", NotificationKind.CASE_CHANGED),
        ("carol", NotificationKind.ASSIGNED),
        ("dave", NotificationKind.CASE_CHANGED),
    ]
    assert _events(alice_case)[-1].changes == {"assignee": {"old": "dave", "new": "carol"}}


def test_unassigning_records_nobody_and_tells_the_previous_assignee(alice_case, carol, dave):
    case_assign(actor=carol, case=alice_case, assignee=dave)
    Notification.objects.all().delete()

    case = case_assign(actor=carol, case=alice_case, assignee=None)

    assert case.assignee is None
    assert _events(alice_case)[-1].changes == {"assignee": {"old": "dave", "new": None}}
    assert _notified(alice_case) == [
        ("alice", NotificationKind.CASE_CHANGED),
        ("dave", NotificationKind.CASE_CHANGED),
    ]


def test_assigning_to_whom_it_already_is_writes_nothing(alice_case, carol, dave):
    case_assign(actor=carol, case=alice_case, assignee=dave)
    case_assign(actor=carol, case=alice_case, assignee=dave)

    assert len(_events(alice_case)) == 1
    assert Notification.objects.filter(case=alice_case).count() == 2


def test_a_seller_cannot_assign(alice, alice_case, carol):
    with pytest.raises(Http404):
        case_assign(actor=alice, case=alice_case, assignee=carol)
    assert _events(alice_case) == []


@pytest.mark.parametrize("who", ["alice", "inactive"])
def test_only_active_staff_can_be_assigned(alice, alice_case, carol, make_user, who):
    assignee = alice if who == "alice" else make_user("frank", role="staff", is_active=False)
    with pytest.raises(DomainError) as error:
        case_assign(actor=carol, case=alice_case, assignee=assignee)
    assert error.value.field == "assignee"
    assert Case.objects.get(pk=alice_case.pk).assignee is None


def test_staff_members_are_active_staff_and_superusers(alice, carol, dave, make_user):
    make_user("frank", role="staff", is_active=False)
    make_user("root", is_superuser=True)
    assert [u.username for u in staff_members()] == ["carol", "dave", "root"]


def test_the_notification_names_who_assigned_it(alice_case, carol, dave):
    case_assign(actor=carol, case=alice_case, assignee=dave)
    notification = Notification.objects.get(recipient=dave)
    with translation.override("en"):
        assert notification_text(notification) == "carol assigned the case to you"


def test_the_owner_is_told_who_has_the_case_now(alice_case, carol, dave):
    def told_alice():
        notification = Notification.objects.filter(recipient__username="alice").first()
        Notification.objects.filter(recipient__username="alice").delete()
        with translation.override("en"):
            return notification_text(notification)

    case_take(actor=carol, case=alice_case)
    assert told_alice() == "carol took the case"
    case_assign(actor=carol, case=alice_case, assignee=dave)
    assert told_alice() == "carol assigned the case to dave"
    case_assign(actor=carol, case=alice_case, assignee=None)
    assert told_alice() == "carol unassigned the case"


# --- Web ------------------------------------------------------------------------------------


def test_the_case_page_shows_the_assignment_card_to_staff_only(client, alice, alice_case, carol):
    client.force_login(carol)
    page = client.get(alice_case.get_absolute_url(), secure=True, headers=EN).content.decode()
    assert 'id="assignment"' in page
    assert "Nobody is handling this case yet." in page
    assert "Take it" in page
    assert '<option value="carol"' in page

    client.force_login(alice)
    page = client.get(alice_case.get_absolute_url(), secure=True, headers=EN).content.decode()
    assert 'id="assignment"' not in page
    assert "Take it" not in page


def test_staff_takes_a_case_from_its_page(client, alice_case, carol):
    client.force_login(carol)
    response = client.post(assign_url(alice_case), {"take": "1"}, secure=True, headers=EN)

    assert response.status_code == 302
    assert response["Location"].endswith(f"{alice_case.get_absolute_url()}#assignment")
    assert Case.objects.get(pk=alice_case.pk).assignee == carol
    page = client.get(response["Location"], secure=True, headers=EN).content.decode()
    assert "You are handling this case." in page
    # The timeline says who has it now.
    timeline = page[page.index('class="event event-assigned"') :]
    assert "Assigned" in timeline[:400]
    assert "<ins>carol</ins>" in timeline


def test_staff_assigns_reassigns_and_unassigns(client, alice_case, carol, dave):
    client.force_login(carol)
    client.post(assign_url(alice_case), {"assignee": "dave"}, secure=True)
    assert Case.objects.get(pk=alice_case.pk).assignee == dave

    client.post(assign_url(alice_case), {"assignee": str(carol.pk)}, secure=True)
    assert Case.objects.get(pk=alice_case.pk).assignee == carol

    response = client.post(assign_url(alice_case), {"assignee": "none"}, secure=True, headers=EN)
    assert Case.objects.get(pk=alice_case.pk).assignee is None
    page = client.get(response["Location"], secure=True, headers=EN).content.decode()
    assert "Nobody is handling this case now." in page
    assert [e.changes["assignee"] for e in _events(alice_case)] == [
        {"old": None, "new": "dave"},
        {"old": "dave", "new": "carol"},
        {"old": "carol", "new": None},
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assignee": "alice"}, "“alice” is not an active support staff member."),
        ({"assignee": "nobody-here"}, "“nobody-here” is not an active support staff member."),
        ({}, "Choose who handles the case, or “Nobody”."),
        ({"assignee": "dave", "note": "x" * 2001}, "Ensure this value has at most 2000"),
    ],
)
def test_bad_input_redisplays_the_form_with_the_error(
    client, alice, alice_case, carol, dave, data, message
):
    client.force_login(carol)
    response = client.post(assign_url(alice_case), data, secure=True, headers=EN)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.get(pk=alice_case.pk).assignee is None
    assert _events(alice_case) == []


def test_a_refused_assignment_keeps_the_chosen_assignee_and_the_note(
    client, alice_case, carol, dave
):
    client.force_login(carol)
    data = {"assignee": "dave", "note": "x" * 2001}
    page = client.post(assign_url(alice_case), data, secure=True, headers=EN).text
    assert '<option value="dave" selected>' in page
    assert 'value="none" selected' not in page
    assert 'value="' + "x" * 2001 + '"' in page


def test_a_seller_cannot_assign_even_their_own_case(client, alice, alice_case, carol):
    client.force_login(alice)
    for data in ({"take": "1"}, {"assignee": "carol"}):
        assert client.post(assign_url(alice_case), data, secure=True).status_code == 404
    assert Case.objects.get(pk=alice_case.pk).assignee is None


def test_another_sellers_case_and_a_missing_one_are_404(client, bob, alice_case, carol):
    client.force_login(bob)
    assert client.post(assign_url(alice_case), {"take": "1"}, secure=True).status_code == 404
    client.force_login(carol)
    missing = reverse("desk-bulk:assign", kwargs={"reference": "RC-2026-999999"})
    assert client.post(missing, {"take": "1"}, secure=True).status_code == 404


def test_assigning_takes_a_post(client, alice, alice_case, carol):
    client.force_login(carol)
    assert client.get(assign_url(alice_case), secure=True).status_code == 405
    # A seller is told there is nothing here, whatever the method.
    client.force_login(alice)
    assert client.get(assign_url(alice_case), secure=True).status_code == 404
    assert client.get(reverse("desk-bulk:bulk"), secure=True).status_code == 404


def test_an_anonymous_visitor_goes_to_the_login_page(client, alice_case):
    response = client.post(assign_url(alice_case), {"take": "1"}, secure=True)
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_each_see_the_one_before(alice_case, carol, make_user):
    """Under the row lock, each assignment reads the assignee the previous one wrote: the
    timeline is a chain (old of one = new of the one before), never two from "nobody"."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is checked on PostgreSQL (CI sets DATABASE_URL)")
    staff = [make_user(f"staff{i}", role="staff") for i in range(6)]
    barrier = threading.Barrier(len(staff))
    errors = []

    def assign(member):
        try:
            barrier.wait()
            case_assign(actor=carol, case=alice_case, assignee=member)
        except Exception as error:  # collected, asserted empty below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(member,)) for member in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    chain = [e.changes["assignee"] for e in _events(alice_case)]
    assert len(chain) == len(staff)
    assert chain[0]["old"] is None
    for before, after in itertools.pairwise(chain):
        assert after["old"] == before["new"]
    assert Case.objects.get(pk=alice_case.pk).assignee.username == chain[-1]["new"]

"""The admin is another interface over the services: edits leave an event, the status and the
timeline cannot be changed there."""

import pytest
from django.urls import reverse

from cases.choices import EventKind
from cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    root = make_user("root", role="staff", is_superuser=True, is_staff=True)
    client.force_login(root)
    return client


def _change_form_data(case, **overrides):
    data = {
        "platform": case.platform,
        "platform_account": case.platform_account,
        "party_role": case.party_role,
        "title": case.title,
        "description": case.description,
        "priority": case.priority,
        "platform_reference": case.platform_reference,
        "details": '{"store_id": "DS-88231", "deposit_amount": "2000.00"}',
        "amount_claimed": "",
        "amount_recovered": "",
        "currency": case.currency,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_case_list_searches_by_reference_with_a_fixed_number_of_queries(
    admin_client, alice, bob, make_case, django_assert_max_num_queries
):
    cases = [make_case(alice), make_case(bob, title="快手账号被误封")]
    for _ in range(10):
        make_case(bob)
    url = reverse("admin:cases_case_changelist")

    with django_assert_max_num_queries(10):
        response = admin_client.get(url, secure=True)
    assert response.status_code == 200

    response = admin_client.get(url, {"q": cases[1].reference}, secure=True)
    assert response.status_code == 200
    assert cases[1].reference in response.text
    assert cases[0].reference not in response.text


def test_editing_a_case_goes_through_the_service_and_writes_an_event(admin_client, alice_case):
    url = reverse("admin:cases_case_change", args=[alice_case.pk])
    assert admin_client.get(url, secure=True).status_code == 200

    response = admin_client.post(
        url,
        _change_form_data(alice_case, title="抖店保证金 2000 元未退", status="resolved"),
        secure=True,
    )

    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.title == "抖店保证金 2000 元未退"
    assert alice_case.status == "draft"  # read-only in the admin: posting it changes nothing
    event = alice_case.events.get(kind=EventKind.FIELDS_CHANGED)
    assert event.changes == {
        "title": {"old": "抖店保证金迟迟不退", "new": "抖店保证金 2000 元未退"}
    }
    assert event.actor.username == "root"


def test_invalid_details_are_refused_in_the_form(admin_client, alice_case):
    url = reverse("admin:cases_case_change", args=[alice_case.pk])

    response = admin_client.post(
        url, _change_form_data(alice_case, details='{"store_id": "DS-1"}'), secure=True
    )

    assert response.status_code == 200  # the form again, with the error
    assert "deposit_amount" in response.text
    alice_case.refresh_from_db()
    assert alice_case.details["deposit_amount"] == "2000.00"
    assert not alice_case.events.filter(kind=EventKind.FIELDS_CHANGED).exists()


def test_cases_cannot_be_added_or_deleted_in_the_admin(admin_client, alice_case):
    assert admin_client.get(reverse("admin:cases_case_add"), secure=True).status_code == 403
    delete = reverse("admin:cases_case_delete", args=[alice_case.pk])
    assert admin_client.post(delete, {"post": "yes"}, secure=True).status_code == 403
    assert Case.objects.filter(pk=alice_case.pk).exists()


def test_events_are_read_only_in_the_admin(admin_client, alice_case):
    event = alice_case.events.get()
    change = reverse("admin:cases_caseevent_change", args=[event.pk])

    assert (
        admin_client.get(reverse("admin:cases_caseevent_changelist"), secure=True).status_code
        == 200
    )
    assert admin_client.get(change, secure=True).status_code == 200  # view only
    assert admin_client.post(change, {"note": "rewritten"}, secure=True).status_code == 403
    assert admin_client.get(reverse("admin:cases_caseevent_add"), secure=True).status_code == 403
    delete = reverse("admin:cases_caseevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}, secure=True).status_code == 403
    assert CaseEvent.objects.get(pk=event.pk).note == ""

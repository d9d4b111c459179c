"""Bad values in the staff queue's query string are form errors (400), never a 500."""

import pytest
from django.test import Client

EN = {"accept-language": "en"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/", "/staff/export.csv"])
@pytest.mark.parametrize(
    "query",
    ["created_to=9999-12-31", "created_from=0001-01-01", "updated_to=9999-12-31"],
)
def test_a_date_at_the_end_of_the_calendar_is_a_form_error(carol, alice_case, url, query):
    client = Client(headers=EN)
    client.force_login(carol)
    response = client.get(f"{url}?{query}", secure=True)
    assert response.status_code == 400
    assert b"Ensure this value is" in response.content


@pytest.fixture
def staff(carol):
    client = Client(headers=EN)
    client.force_login(carol)
    return client


@pytest.mark.django_db
def test_an_assignee_written_in_other_digits_is_a_form_error(staff, alice_case):
    # "²" passes str.isdigit() but not int(): it was a 500.
    url = f"/staff/cases/{alice_case.reference}/assign/"
    response = staff.post(url, {"assignee": "²"}, secure=True)
    assert response.status_code == 400
    assert "“²” is not an active support staff member." in response.text
    bulk = staff.post(
        "/staff/bulk/",
        {"case": alice_case.reference, "action": "assign", "assignee": "²"},
        secure=True,
    )
    assert bulk.status_code == 400 and "not an active support staff member" in bulk.text


@pytest.mark.django_db
def test_a_nul_in_a_reference_is_a_404_or_a_form_error(staff, alice, alice_case):
    for url in ("/cases/RC%00X/", "/staff/cases/RC%00X/assign/"):
        method = staff.post if url.endswith("assign/") else staff.get
        assert method(url, {"take": "on"}, secure=True).status_code == 404
    response = staff.post(
        "/staff/bulk/",
        {"case": [alice_case.reference, "RC\x00X"], "action": "priority", "priority": "urgent"},
        secure=True,
    )
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text
    alice_case.refresh_from_db()
    assert alice_case.priority != "urgent"  # nothing changed

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

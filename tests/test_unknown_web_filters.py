"""Issue 14: the web case list and the staff dashboard refuse unknown filter keys as the API
does: a form error and a 400, not a silent 200 with the list unfiltered."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_case_list_refuses_an_unknown_filter(alice):
    response = client_for(alice).get("/cases/", {"stauts": "filed"}, secure=True)
    assert response.status_code == 400  # was a 200 listing every case
    assert "Unknown filter “stauts”." in response.content.decode()
    # The list's own parameters are not filters.
    assert client_for(alice).get("/cases/", {"page": "2"}, secure=True).status_code == 200


def test_the_staff_dashboard_refuses_an_unknown_filter(carol):
    response = client_for(carol).get("/staff/dashboard/", {"platfrom": "douyin"}, secure=True)
    assert response.status_code == 400
    assert "Unknown filter “platfrom”." in response.content.decode()

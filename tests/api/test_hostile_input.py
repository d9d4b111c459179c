"""Issue 14, hostile input to the API: what answered 500 or an HTML page now answers a JSON
400, 404 or 405 with a message."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_as, alice):
    client = api_as(alice)
    client.raise_request_exception = False
    return client


def test_options_on_a_view_that_takes_no_body_describes_it(api):
    response = api.options("/api/v1/notifications/read-all/", secure=True)
    assert response.status_code == 200  # was a 500
    assert response.json()["name"]
    assert "POST" not in response.json().get("actions", {})


@pytest.mark.parametrize("ordering", ["--priority", "---created_at", "-", "--"])
def test_an_ordering_with_extra_dashes_is_a_400_naming_the_parameter(api, ordering):
    response = api.get("/api/v1/cases/", {"ordering": ordering}, secure=True)
    assert response.status_code == 400  # was a 500
    assert response.json()["field"] == "ordering"


def test_json_nested_2000_deep_is_a_400(api):
    deep = "[" * 2000 + "]" * 2000
    response = api.post("/api/v1/cases/", data=deep, content_type="application/json", secure=True)
    assert response.status_code == 400  # was a 500 (RecursionError)
    assert response["Content-Type"].startswith("application/json")
    assert "JSON" in response.json()["detail"]  # "The JSON is nested too deeply." (or zh)


def test_an_unsafe_method_on_an_unknown_api_path_is_a_json_404(alice):
    # A browser session with CSRF checks on: Django answered its HTML CSRF page (403).
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(alice)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing/", secure=True)
        assert response.status_code == 404, method
        assert response.json()["code"] == "not_found"


def test_a_path_with_an_encoded_newline_is_a_json_404():
    response = APIClient().get("/api/v1/cases%0A/", secure=True)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")  # was the HTML 404 page


def test_trace_is_a_json_405(api):
    response = api.generic("TRACE", "/api/v1/cases/", secure=True)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


def test_an_empty_cursor_is_the_first_page(api, alice, make_case):
    make_case(alice)
    first = api.get("/api/v1/cases/", secure=True).json()
    empty = api.get("/api/v1/cases/", {"cursor": ""}, secure=True)
    assert empty.status_code == 200  # was a 400 "not a valid cursor"
    assert empty.json()["results"] == first["results"]


@pytest.mark.parametrize("value", [0, 12.5, True, ["RC-1"], {"a": 1}])
def test_a_number_or_boolean_where_the_schema_says_text_is_refused(api, value):
    from tests.conftest import DETAILS

    response = api.post(
        "/api/v1/cases/",
        {
            "kind": "deposit_refund",
            "platform": "douyin_shop",
            "title": "保证金未退",
            "details": DETAILS["deposit_refund"],
            "platform_reference": value,
        },
        format="json",
        secure=True,
    )
    assert response.status_code == 400  # 0 was stored as "0"
    assert "platform_reference" in response.json()["errors"]


def test_bulk_references_must_be_text(api_as, carol):
    response = api_as(carol).post(
        "/api/v1/cases/bulk/",
        {"action": "status", "references": [1, 2], "status": "filed"},
        format="json",
        secure=True,
    )
    assert response.status_code == 400
    assert "references" in response.json()["errors"]

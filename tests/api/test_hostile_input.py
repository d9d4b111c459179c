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


# --- What schemathesis found over HTTP (bin/fuzz-api) ------------------------------------


def test_an_unsupported_method_on_a_staff_endpoint_is_a_405_for_a_seller_too(api):
    # The seller's 404 for a staff endpoint came before the method check: TRACE read 404.
    response = api.generic("TRACE", "/api/v1/cases/bulk/", secure=True)
    assert response.status_code == 405
    # What the seller may not use is still hidden as before.
    assert api.post("/api/v1/cases/bulk/", {}, format="json", secure=True).status_code == 404


def test_an_empty_time_filter_is_refused_not_ignored(api):
    response = api.get("/api/v1/cases/?updated_since=", secure=True)
    assert response.status_code == 400
    assert response.json()["field"] == "updated_since"


def test_an_amount_must_be_text(api):
    body = {
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "退店后保证金未退",
        "details": {"store_id": "DS-1", "deposit_amount": "2000.00"},
    }
    refused = api.post("/api/v1/cases/", {**body, "amount_claimed": 0}, format="json", secure=True)
    assert refused.status_code == 400
    assert refused.json()["field"] == "amount_claimed"
    accepted = api.post(
        "/api/v1/cases/", {**body, "amount_claimed": "2000.00"}, format="json", secure=True
    )
    assert accepted.status_code == 201, accepted.content


def test_a_json_flag_must_be_true_or_false(api, alice_case):
    url = f"/api/v1/cases/{alice_case.reference}/messages/"
    refused = api.post(url, {"body": "请尽快处理", "internal": 0}, format="json", secure=True)
    assert refused.status_code == 400
    assert refused.json()["field"] == "internal"
    sent = api.post(url, {"body": "请尽快处理", "internal": False}, format="json", secure=True)
    assert sent.status_code == 201


def test_an_empty_capture_date_on_an_upload_is_refused(api, alice_case):
    from tests.api.evidence_helpers import upload
    from tests.evidence import corpus

    response = upload(api, alice_case, corpus.png(), captured_on="")
    assert response.status_code == 400
    assert response.json()["field"] == "captured_on"
    assert not alice_case.evidence.exists()


@pytest.mark.parametrize("ordering", ["", ",", "updated_at,", "updated_at, created_at"])
def test_an_ordering_that_does_not_match_the_schema_is_refused(api, ordering):
    response = api.get("/api/v1/cases/", {"ordering": ordering}, secure=True)
    assert response.status_code == 400
    assert response.json()["field"] == "ordering"


def test_an_empty_date_in_the_details_is_refused_and_leaving_it_out_is_not(api):
    body = {
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "退店后保证金未退",
        "details": {"store_id": "DS-1", "deposit_amount": "2000.00", "exit_applied_on": ""},
    }
    refused = api.post("/api/v1/cases/", body, format="json", secure=True)
    assert refused.status_code == 400
    assert refused.json()["field"] == "details.exit_applied_on"
    del body["details"]["exit_applied_on"]
    assert api.post("/api/v1/cases/", body, format="json", secure=True).status_code == 201


@pytest.mark.parametrize("query", ["assigned=", "status=", "status=filed&status=", "page_size="])
def test_an_empty_filter_value_is_refused_naming_it(api, query):
    response = api.get(f"/api/v1/cases/?{query}", secure=True)
    assert response.status_code == 400
    assert response.json()["code"] == "empty_parameter"
    assert response.json()["field"] == query.split("=")[0]


def test_an_empty_search_or_cursor_is_still_allowed(api):
    assert api.get("/api/v1/cases/?search=&cursor=", secure=True).status_code == 200


def test_a_null_detail_is_refused(api):
    body = {
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "退店后保证金未退",
        "details": {"store_id": "DS-1", "deposit_amount": "2000.00", "exit_applied_on": None},
    }
    response = api.post("/api/v1/cases/", body, format="json", secure=True)
    assert response.status_code == 400
    assert response.json()["field"] == "details.exit_applied_on"


@pytest.mark.parametrize("value", [0, 2000, True, ["DS-1"], {"id": "DS-1"}])
def test_a_detail_that_is_not_text_is_refused(api, value):
    body = {
        "kind": "deposit_refund",
        "platform": "douyin_shop",
        "title": "退店后保证金未退",
        "details": {"store_id": value, "deposit_amount": "2000.00"},
    }
    response = api.post("/api/v1/cases/", body, format="json", secure=True)
    assert response.status_code == 400
    assert response.json()["field"] == "details.store_id"

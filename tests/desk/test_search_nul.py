"""A NUL in a search term never reaches the database (PostgreSQL refuses it with a 500)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=al%00pha", "q=al%00pha&export=csv"])
def test_the_seller_list_search_drops_a_nul(alice, make_case, query):
    case = make_case(owner=alice, title="alpha")
    client = Client(headers={"accept-language": "en"})
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/cases/?{query}", secure=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert case.reference.encode() in body
    assert not any("\x00" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_the_queue_search_drops_a_nul(alice, carol, make_case):
    case = make_case(owner=alice, title="alpha")
    client = Client(headers={"accept-language": "en"})
    client.force_login(carol)
    response = client.get("/staff/?q=al%00pha&status=all", secure=True)
    assert response.status_code == 200
    assert [row.reference for row in response.context["cases"]] == [case.reference]

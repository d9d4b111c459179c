"""GET /api/v1/cases/: filters, ordering on an allow-list, keyset pagination, fixed queries."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest

from cases.models import Case
from cases.services import case_transition, case_update
from conversations.services import message_post
from tests.api.conftest import LIST_URL, case_url
from tests.conftest import DETAILS


def refs(response):
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_case_json_is_exactly_the_contract(alice_api, alice, make_case):
    case = make_case(alice, amount_claimed="2000", platform_account="抖店-8823")
    row = alice_api.get(LIST_URL).json()["results"][0]
    assert list(row) == [
        "reference",
        "kind",
        "platform",
        "platform_account",
        "party_role",
        "title",
        "description",
        "status",
        "priority",
        "outcome",
        "decision_result",
        "decision_notified_at",
        "amount_claimed",
        "amount_recovered",
        "currency",
        "platform_reference",
        "details",
        "owner",
        "assignee",
        "next_deadline",
        "awaiting_reply_since",
        "created_at",
        "updated_at",
    ]
    assert row["reference"] == case.reference
    assert row["kind"] == "deposit_refund"
    assert row["party_role"] == "merchant"
    assert row["status"] == "draft"
    assert row["outcome"] is None
    assert row["decision_result"] is None
    assert row["decision_notified_at"] is None
    assert row["amount_claimed"] == "2000.00"
    assert row["amount_recovered"] is None
    assert row["currency"] == "CNY"
    assert row["details"] == DETAILS["deposit_refund"]
    assert row["owner"] == "alice"
    assert row["assignee"] is None
    assert row["next_deadline"] is None
    # ISO 8601 with an offset, and the same instant as stored.
    created = datetime.datetime.fromisoformat(row["created_at"])
    assert created.utcoffset() is not None
    assert created == case.created_at


def test_assignee_is_a_username(alice_api, alice, carol, make_case):
    case = make_case(alice)
    Case.objects.filter(pk=case.pk).update(assignee=carol)
    assert alice_api.get(LIST_URL).json()["results"][0]["assignee"] == "carol"


@pytest.fixture
def assorted(alice, carol, make_case):
    """Four cases of Alice's that differ in one filterable field each."""
    draft = make_case(alice, title="保证金")
    urgent = make_case(alice, kind="account_ban", platform="kuaishou", priority="urgent")
    filed = make_case(alice, kind="store_removal", platform="taobao")
    case_transition(actor=alice, case=filed, to="filed")
    assigned = make_case(alice, kind="content_takedown", platform="douyin")
    Case.objects.filter(pk=assigned.pk).update(assignee=carol)
    return {"draft": draft, "urgent": urgent, "filed": filed, "assigned": assigned}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=filed", {"filed"}),
        ("status=filed&status=draft", {"filed", "draft", "urgent", "assigned"}),
        ("kind=account_ban", {"urgent"}),
        ("platform=taobao", {"filed"}),
        ("platform=taobao&platform=kuaishou", {"filed", "urgent"}),
        ("priority=urgent", {"urgent"}),
        ("assignee=carol", {"assigned"}),
        ("assignee=nobody", set()),
        ("status=draft&kind=deposit_refund", {"draft"}),
    ],
)
def test_filters(alice_api, assorted, query, expected):
    got = set(refs(alice_api.get(f"{LIST_URL}?{query}")))
    assert got == {assorted[name].reference for name in expected}


def test_updated_since_returns_cases_changed_at_or_after(alice_api, alice, make_case):
    old = make_case(alice)
    new = make_case(alice)
    Case.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    Case.objects.filter(pk=new.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    )
    # 2026-03-01T20:00+08:00 is exactly 12:00 UTC: included (>=).
    for since in ("2026-03-01T20:00:00%2B08:00", "2026-03-01T12:00:00Z", "2026-02-01T00:00Z"):
        assert refs(alice_api.get(f"{LIST_URL}?updated_since={since}")) == [new.reference]
    assert refs(alice_api.get(f"{LIST_URL}?updated_since=2026-03-01T12:00:01Z")) == []


def test_updated_since_takes_an_unencoded_plus(alice_api, alice, make_case):
    # "+08:00" typed into a URL arrives as " 08:00".
    make_case(alice)
    response = alice_api.get(f"{LIST_URL}?updated_since=2026-01-01T00:00:00+08:00")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "since",
    [
        "yesterday",
        "2026-10-01",  # no time, no offset
        "2026-10-01T08:00:00",  # no offset: ambiguous
        "2026-10-01T08:00:00%2B23:00",  # Python accepts, PostgreSQL would not
        "2026-10-01T08:00:00-15:59",
        "0001-01-01T00:00:00%2B01:00",  # overflows when normalised to UTC
        "9999-12-31T23:59:59Z",
        "1900-01-01T00:00:00Z",
        "2026-13-45T99:99:99Z",
    ],
)
def test_bad_updated_since_is_a_400_not_a_500(alice_api, alice_case, since):
    response = alice_api.get(f"{LIST_URL}?updated_since={since}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]
    assert response.json()["detail"]


@pytest.mark.parametrize("offset", ["%2B14:00", "-12:00", "%2B05:45", "Z"])
def test_every_real_offset_is_accepted(alice_api, alice_case, offset):
    response = alice_api.get(f"{LIST_URL}?updated_since=2020-01-01T00:00:00{offset}")
    assert refs(response) == [alice_case.reference]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("statuss=filed", "statuss"),
        ("overdu=true", "overdu"),
        ("q=保证金", "q"),
        ("status=filed&owner=bob", "owner"),
    ],
)
def test_unknown_query_parameter_is_a_400_naming_the_allowed_ones(
    alice_api, alice_case, query, param
):
    response = alice_api.get(f"{LIST_URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["field"] == param
    assert param in body["detail"]
    for allowed in ("status", "kind", "platform", "priority", "assignee", "updated_since"):
        assert allowed in body["detail"]


def test_unknown_filter_value_is_a_400(alice_api, alice_case):
    response = alice_api.get(f"{LIST_URL}?status=lost")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


@pytest.mark.parametrize("ordering", ["title", "owner", "-id", "updated_at,-updated_at", "a,,b"])
def test_unknown_or_repeated_ordering_is_a_400_naming_the_allowed_keys(
    alice_api, alice_case, ordering
):
    response = alice_api.get(f"{LIST_URL}?ordering={ordering}")
    assert response.status_code == 400
    assert "updated_at" in response.json()["detail"]
    assert "created_at" in response.json()["detail"]


def test_default_order_is_most_recently_updated_first(alice_api, alice, make_case):
    first, second, third = (make_case(alice) for _ in range(3))
    case_update(actor=alice, case=first, title="最新修改")
    assert refs(alice_api.get(LIST_URL)) == [first.reference, third.reference, second.reference]


def test_ordering_by_several_keys(alice_api, alice, make_case):
    normal_old = make_case(alice)
    urgent = make_case(alice, priority="urgent")
    normal_new = make_case(alice)
    response = alice_api.get(f"{LIST_URL}?ordering=-priority,-created_at")
    assert refs(response) == [urgent.reference, normal_new.reference, normal_old.reference]
    response = alice_api.get(f"{LIST_URL}?ordering=reference")
    assert refs(response) == sorted([normal_old.reference, urgent.reference, normal_new.reference])


def walk(client, url, direction="next"):
    """Follow the links to the end; return every page's references."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        pages.append(refs(response))
        url = response.json()[direction]
    return pages


@pytest.mark.parametrize("ordering", ["-updated_at", "status", "-priority,created_at", "kind"])
def test_cursor_pagination_walks_every_case_once_both_ways(alice_api, alice, make_case, ordering):
    # Many ties on status/kind/priority: the cursor must not skip or repeat any of them.
    cases = [
        make_case(alice, priority="urgent" if i % 3 == 0 else "normal", kind=kind)
        for i, kind in enumerate(["deposit_refund", "account_ban"] * 6)
    ]
    for case in cases[::4]:
        case_transition(actor=alice, case=case, to="filed")
    pages = walk(alice_api, f"{LIST_URL}?ordering={ordering}&page_size=5")
    assert [len(page) for page in pages] == [5, 5, 2]
    seen = [ref for page in pages for ref in page]
    assert sorted(seen) == sorted(c.reference for c in cases)
    assert seen == refs(alice_api.get(f"{LIST_URL}?ordering={ordering}&page_size=100"))

    # And back from the last page with the "previous" links.
    last = alice_api.get(f"{LIST_URL}?ordering={ordering}&page_size=5")
    while last.json()["next"]:
        last = alice_api.get(last.json()["next"])
    back = walk(alice_api, last.json()["previous"], direction="previous")
    assert back == pages[-2::-1]


def test_first_and_last_pages_have_no_previous_and_next(alice_api, alice_case):
    body = alice_api.get(LIST_URL).json()
    assert body["next"] is None
    assert body["previous"] is None


def test_cursor_keeps_the_filters(alice_api, alice, make_case):
    for _ in range(3):
        make_case(alice, priority="urgent")
    make_case(alice)
    pages = walk(alice_api, f"{LIST_URL}?priority=urgent&page_size=2")
    assert [len(page) for page in pages] == [2, 1]


@pytest.mark.parametrize("size", ["0", "101", "-1", "ten"])
def test_page_size_is_1_to_100(alice_api, alice_case, size):
    response = alice_api.get(f"{LIST_URL}?page_size={size}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.parametrize(
    "cursor", ["garbage", "eyJvIjpbIi11cGRhdGVkX2F0Il19", "eyJvIjoxfQ", "%FF", "e30"]
)
def test_a_forged_cursor_is_a_400(alice_api, alice_case, cursor):
    response = alice_api.get(f"{LIST_URL}?cursor={cursor}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_a_cursor_holding_a_nul_is_a_400(alice_api, alice_case):
    import base64
    import json

    payload = {"o": ["reference", "id"], "r": False, "v": ["RC\u0000", 1]}
    cursor = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    response = alice_api.get(f"{LIST_URL}?ordering=reference&cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_a_cursor_from_another_ordering_is_a_400(alice_api, alice, make_case):
    for _ in range(3):
        make_case(alice)
    next_url = alice_api.get(f"{LIST_URL}?page_size=1").json()["next"]
    response = alice_api.get(next_url.replace("page_size=1", "page_size=1&ordering=status"))
    assert response.status_code == 400


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_does_not_grow_with_cases(
    alice_api, alice, carol, make_case, django_assert_num_queries, count
):
    for i in range(count):
        case = make_case(alice, amount_claimed=Decimal(i))
        if i % 2:
            Case.objects.filter(pk=case.pk).update(assignee=carol)
    alice_api.get(LIST_URL)  # the token's first use records last_used_at
    # 1 token (+ its user), 1 page of cases with owner and assignee joined.
    with django_assert_num_queries(2):
        response = alice_api.get(f"{LIST_URL}?page_size=100&status=draft&ordering=-priority")
    assert len(response.json()["results"]) == count


def test_staff_list_query_count(carol_api, alice, bob, make_case, django_assert_num_queries):
    for owner in (alice, bob) * 10:
        make_case(owner)
    carol_api.get(LIST_URL)
    with django_assert_num_queries(2):
        assert len(refs(carol_api.get(f"{LIST_URL}?page_size=100"))) == 20


def test_filtered_list_walks_an_index_instead_of_sorting_distinct_rows(api_as, alice, make_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_case(alice)
    client = api_as(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            "/api/v1/cases/?status=draft&status=filed&kind=deposit_refund", secure=True
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    assert not any("DISTINCT" in q["sql"].upper() for q in queries.captured_queries)


def test_a_case_says_since_when_the_sellers_message_waits_for_an_answer(
    alice, carol, alice_case, alice_api
):
    t0 = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)
    assert alice_api.get(case_url(alice_case)).json()["awaiting_reply_since"] is None
    with mock.patch("cases.clock.now", return_value=t0):
        message_post(actor=alice, case=alice_case, body="保证金什么时候退？")
    detail = alice_api.get(case_url(alice_case)).json()["awaiting_reply_since"]
    (row,) = alice_api.get(LIST_URL).json()["results"]
    assert detail == row["awaiting_reply_since"] == "2026-11-20T10:00:00+08:00"
    message_post(actor=carol, case=alice_case, body="已联系平台。")
    assert alice_api.get(case_url(alice_case)).json()["awaiting_reply_since"] is None

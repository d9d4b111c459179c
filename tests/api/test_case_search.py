"""GET /api/v1/cases/ with the staff desk's search and filters: search (Chinese substrings),
party_role, assigned (me/none/any), due_within, created_after/created_before, updated_before;
bad values and unknown keys are 400 naming the field; sellers only find their own cases; the
query count does not grow with the page."""

import datetime

import pytest

from cases import clock
from cases.models import Case
from conversations.services import message_post
from tests.api.conftest import LIST_URL


def refs(response):
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


@pytest.fixture
def cases(alice, bob, make_case):
    return {
        "deposit": make_case(alice, title="抖店保证金迟迟不退"),
        "ban": make_case(alice, kind="account_ban", title="账号被封", platform_reference="APL-889"),
        "bobs": make_case(bob, title="鲍勃的保证金"),
    }


def test_search_finds_a_chinese_substring_among_your_own_cases(alice_api, bob_api, cases):
    assert refs(alice_api.get(LIST_URL, {"search": "保证金"})) == [cases["deposit"].reference]
    assert refs(bob_api.get(LIST_URL, {"search": "保证金"})) == [cases["bobs"].reference]
    assert refs(alice_api.get(LIST_URL, {"search": "鲍勃"})) == []


def test_staff_search_every_case_and_by_seller(carol_api, cases):
    found = refs(carol_api.get(LIST_URL, {"search": "保证金"}))
    assert sorted(found) == sorted([cases["deposit"].reference, cases["bobs"].reference])
    assert refs(carol_api.get(LIST_URL, {"search": "BOB"})) == [cases["bobs"].reference]
    assert refs(carol_api.get(LIST_URL, {"search": "apl-8"})) == [cases["ban"].reference]


def test_assigned_me_none_any(carol_api, carol, cases):
    Case.objects.filter(pk=cases["ban"].pk).update(assignee=carol)
    assert refs(carol_api.get(LIST_URL, {"assigned": "me"})) == [cases["ban"].reference]
    assert len(refs(carol_api.get(LIST_URL, {"assigned": "none"}))) == 2
    assert len(refs(carol_api.get(LIST_URL, {"assigned": "any"}))) == 3


def test_party_role_due_within_and_date_ranges(carol_api, cases):
    now = clock.now()
    # Only the deposit case has a clock due (the others' dates started theirs: stopped here).
    Case.objects.update(next_due_at=None)
    Case.objects.filter(pk=cases["deposit"].pk).update(next_due_at=now + datetime.timedelta(days=1))
    Case.objects.filter(pk=cases["bobs"].pk).update(
        created_at=now - datetime.timedelta(days=30), updated_at=now - datetime.timedelta(days=30)
    )
    role = cases["ban"].party_role

    assert cases["ban"].reference in refs(carol_api.get(LIST_URL, {"party_role": role}))
    assert refs(carol_api.get(LIST_URL, {"due_within": 2})) == [cases["deposit"].reference]
    week_ago = (now - datetime.timedelta(days=7)).isoformat()
    assert refs(carol_api.get(LIST_URL, {"created_before": week_ago})) == [cases["bobs"].reference]
    assert refs(carol_api.get(LIST_URL, {"updated_before": week_ago})) == [cases["bobs"].reference]
    assert cases["bobs"].reference not in refs(carol_api.get(LIST_URL, {"created_after": week_ago}))


@pytest.mark.parametrize(
    "params, field",
    [
        ({"assigned": "someone"}, "assigned"),
        ({"due_within": "-1"}, "due_within"),
        ({"due_within": "soon"}, "due_within"),
        ({"party_role": "landlord"}, "party_role"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"search": "x" * 101}, "search"),
        ({"q": "保证金"}, "q"),
    ],
)
def test_bad_values_and_unknown_keys_are_400_naming_the_field(alice_api, params, field):
    response = alice_api.get(LIST_URL, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize("count", [1, 60])
@pytest.mark.parametrize("head, queries", [(500, 3), (1, 4)])
def test_search_query_count_does_not_grow_with_rows(
    carol_api, alice, make_case, django_assert_num_queries, monkeypatch, count, head, queries
):
    from cases import search as selectors

    monkeypatch.setattr(selectors, "SEARCH_HEAD", head)
    monkeypatch.setattr(selectors, "SEARCH_COMMON", 100)
    for _ in range(count):
        make_case(alice)
    carol_api.get(LIST_URL)  # the token's first use records last_used_at
    # 1 token (+ its user), the test of the list's first cases, then 1 page of cases; a rare
    # term in a list longer than the head reads its matching ids in between.
    with django_assert_num_queries(queries):
        response = carol_api.get(LIST_URL, {"search": "保证金", "page_size": 100})
    assert len(refs(response)) == count


def test_the_api_filters_cases_awaiting_our_reply(alice, carol, make_case, carol_api):
    waiting = make_case(alice)
    quiet = make_case(alice)
    message_post(actor=alice, case=waiting, body="请尽快处理")

    def refs(value):
        response = carol_api.get("/api/v1/cases/", {"awaiting_reply": value})
        assert response.status_code == 200
        return {row["reference"] for row in response.json()["results"]}

    assert refs("true") == {waiting.reference}
    assert refs("false") == {quiet.reference}
    response = carol_api.get("/api/v1/cases/", {"awaiting_reply": "soon"})
    assert response.status_code == 400
    assert "awaiting_reply" in response.json()["errors"]


def test_a_seller_filtering_on_awaiting_reply_sees_only_their_own(
    alice, bob, make_case, alice_api, bob_api
):
    hers = make_case(alice)
    his = make_case(bob)
    message_post(actor=alice, case=hers, body="请尽快处理")
    message_post(actor=bob, case=his, body="也请处理我的")

    for client, own in ((alice_api, hers), (bob_api, his)):
        response = client.get("/api/v1/cases/", {"awaiting_reply": "true"})
        assert [row["reference"] for row in response.json()["results"]] == [own.reference]

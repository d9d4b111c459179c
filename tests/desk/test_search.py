"""Search, on the staff queue and the seller's case list (one function: cases.search.
case_search): reference, title, description, platform reference, contact reference numbers and
the seller's username, Chinese substrings included; a seller only ever finds their own cases."""

import datetime

import pytest
from django.test import Client

from cases import clock
from cases.choices import Status
from cases.services import case_transition
from channels.services import contact_log

EN = {"accept-language": "en"}


def _client(user):
    client = Client(headers=EN)
    client.force_login(user)
    return client


def _queue(user, q, **params):
    response = _client(user).get("/staff/", {"q": q, "status": "all", **params}, secure=True)
    assert response.status_code == 200
    return [case.reference for case in response.context["cases"]]


def _seller_list(user, q):
    response = _client(user).get("/cases/", {"q": q}, secure=True)
    assert response.status_code == 200
    return [case.reference for case in response.context["page"].object_list]


# case_search's three ways to the same cases (see its docstring), forced on these few cases:
STRATEGIES = {
    # the list is shorter than the head: its rows are tested
    "rows": {},
    # one case is the head and a term is never common: the ids come from the indexes
    "ids": {"SEARCH_HEAD": 1, "SEARCH_COMMON": 2},
    # … and more ids match than the probe reads: rows are tested after all
    "ids-overflow": {"SEARCH_HEAD": 1, "SEARCH_COMMON": 2, "SEARCH_ID_LIMIT": 0},
    # a term found once among the first cases is common
    "common": {"SEARCH_HEAD": 1, "SEARCH_COMMON": 1},
}


@pytest.fixture(params=list(STRATEGIES))
def strategy(request, monkeypatch):
    from cases import search as selectors

    for name, value in STRATEGIES[request.param].items():
        monkeypatch.setattr(selectors, name, value)
    return request.param


@pytest.fixture
def cases(alice, bob, make_case):
    deposit = make_case(alice, title="抖店保证金迟迟不退", description="店铺已关闭三个月")
    ban = make_case(
        alice,
        kind="account_ban",
        title="Account banned without notice",
        platform_reference="APL-20261101-889",
    )
    other = make_case(bob, title="淘宝售后纠纷", description="买家恶意退款")
    contact_log(
        actor=bob,
        case=other,
        channel="phone",
        direction="outbound",
        occurred_at=clock.now() - datetime.timedelta(hours=2),
        counterpart="12315",
        filing_type="inquiry",
        external_reference="GD2026102200117",
        summary="打了电话",
    )
    return {"deposit": deposit, "ban": ban, "other": other}


@pytest.mark.parametrize(
    "q, expected",
    [
        ("保证金", ["deposit"]),  # a Chinese substring of the title
        ("保", ["deposit"]),  # one Chinese character still works
        ("三个月", ["deposit"]),  # the description
        ("apl-20261101", ["ban"]),  # the platform's reference, any case
        ("BANNED", ["ban"]),
        ("GD20261022", ["other"]),  # a contact's reference number
        ("bob", ["other"]),  # the seller's username
        ("没有这个词", []),
        ("100%", []),  # LIKE wildcards are taken literally
    ],
)
def test_staff_search_finds_each_field(carol, cases, strategy, q, expected):
    assert sorted(_queue(carol, q)) == sorted(cases[name].reference for name in expected)


def test_search_by_reference(carol, cases, strategy):
    reference = cases["ban"].reference
    assert _queue(carol, reference[-4:]) == [reference]


def test_a_reference_prefix_finds_its_cases_in_any_case(carol, cases, strategy):
    reference = cases["ban"].reference
    assert _queue(carol, reference.lower()) == [reference]
    everyone = sorted(case.reference for case in cases.values())
    assert sorted(_queue(carol, reference[:8].lower())) == everyone  # "rc-2026-"
    assert _queue(carol, reference + "9") == []


def test_search_combines_with_filters(carol, cases, strategy):
    assert _queue(carol, "保证金", kind="account_ban") == []


def test_a_seller_searches_only_their_own_cases(alice, bob, cases, strategy):
    assert _seller_list(alice, "保证金") == [cases["deposit"].reference]
    assert _seller_list(alice, "GD20261022") == []  # bob's contact
    assert _seller_list(alice, "淘宝") == []
    assert _seller_list(bob, "保证金") == []
    assert _seller_list(bob, "退款") == [cases["other"].reference]


def test_the_seller_list_has_a_labelled_search_box_keeping_the_text(alice, cases):
    page = _client(alice).get("/cases/", {"q": "保证金"}, secure=True).content.decode()
    assert '<label for="id_q">' in page and 'value="保证金"' in page


def test_a_too_long_search_on_the_seller_list_is_an_error_not_cut_short(alice, cases):
    client = _client(alice)
    response = client.get("/cases/", {"q": "保" * 101}, secure=True)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Search: Ensure this value has at most 100 characters (it has 101)." in page
    assert 'aria-invalid="true"' in page
    # The search is not applied: every one of the seller's cases is listed, none is exported.
    assert len(response.context["page"].object_list) == 2
    export = client.get("/cases/", {"q": "保" * 101, "export": "csv"}, secure=True)
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")
    assert _seller_list(alice, "保" * 100) == []  # at the limit it searches


def test_search_finds_a_case_once_even_with_many_matching_contacts(carol, bob, cases):
    for _ in range(3):
        contact_log(
            actor=bob,
            case=cases["other"],
            channel="phone",
            direction="outbound",
            occurred_at=clock.now() - datetime.timedelta(hours=1),
            counterpart="12315",
            filing_type="inquiry",
            external_reference="GD2026102200118",
            summary="又打了电话",
        )
    case_transition(actor=bob, case=cases["other"], to=Status.FILED)
    assert _queue(carol, "GD2026") == [cases["other"].reference]


# The queries case_search itself sends before the page: the head's test, then, on the id
# path, the ids. A strategy that quietly fell back to another path would change the count.
SEARCH_QUERIES = {"rows": 1, "ids": 2, "ids-overflow": 2, "common": 1}


def test_each_strategy_takes_its_own_path(carol, cases, strategy, django_assert_num_queries):
    from desk.selectors import QueueFilters, queue_cases

    # "rc-" is in every reference: the first case in queue order matches, for "common".
    with django_assert_num_queries(SEARCH_QUERIES[strategy] + 1):
        found = list(queue_cases(actor=carol, filters=QueueFilters(q="rc-", status="all")))
    assert len(found) == 3


@pytest.mark.django_db
def test_the_contacts_reference_numbers_are_read_from_their_own_table_not_joined_to_cases(alice):
    """The search tests the contacts' reference numbers with `case_id IN (SELECT case_id FROM
    channels_channelentry …)`, on that table's trigram index. Written through the case's
    `contacts` relation it joined cases_case inside the subquery, which PostgreSQL ran as a
    scan of every case for a common term (136 -> 229 ms at 100,000 cases)."""
    from cases.search import case_search
    from cases.selectors import cases_visible_to

    sql = str(case_search(cases_visible_to(alice), "TS-2026").query)
    assert 'FROM "channels_channelentry"' in sql
    assert 'JOIN "channels_channelentry"' not in sql

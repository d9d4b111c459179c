"""The case pages run a fixed number of queries, however many cases or events there are:
1 session + 1 user + 1 unread-notifications badge, then the page's own (list/dashboard: 2,
case page: 3, edit: 1)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client():
    return HttpsClient()


# Page → the most queries it may run (session, user, the navigation's unread-notifications
# badge, and the page's own).
BUDGET = {
    # counts per status, the open cases, the clocks due soon, the breached ones, the calendar
    # overrides their countdowns need; staff: the latest integrity check
    "dashboard": 9,
    "list": 5,  # paginator count, the page
    "list_filtered": 5,
    # the case with owner and assignee, the timeline with actors, the evidence, the contacts
    # (and their evidence, when there are any), the directory of bodies, the clocks, the
    # calendar overrides their countdowns need; the conversation's messages with their authors
    "detail": 12,
    "edit": 4,  # the case
}


def urls(case):
    return {
        "dashboard": reverse("cases:dashboard"),
        "list": reverse("cases:list"),
        "list_filtered": reverse("cases:list") + "?kind=deposit_refund&platform=douyin_shop&page=2",
        "detail": case.get_absolute_url(),
        "edit": reverse("cases:edit", kwargs={"reference": case.reference}),
    }


def seed(owners, make_case, n, staff):
    """n cases spread over the owners; the first has n notes (by staff) and n moves."""
    cases = [make_case(owners[i % len(owners)]) for i in range(n)]
    first = cases[0]
    for i in range(n):
        services.case_add_note(actor=staff, case=first, note=f"第 {i} 次催办")
    moves = ["filed"] + ["in_review", "info_requested"] * n
    for to in moves[:n]:
        services.case_transition(actor=staff, case=first, to=to)
    return first


def measure(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_query_count_does_not_grow_with_cases_or_events(
    request, client, alice, bob, carol, make_case, viewer
):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    counts = {}
    for n in (1, 50):
        case = seed([alice, bob], make_case, n, carol)
        counts[n] = {page: measure(client, url) for page, url in urls(case).items()}
    assert counts[1] == counts[50]
    for page, budget in BUDGET.items():
        assert counts[50][page] <= budget, page


# Not "page": that name is pytest-playwright's browser fixture and would make this a browser test.
@pytest.mark.parametrize("view", list(BUDGET))
def test_pages_stay_within_their_query_budget_with_many_rows(
    client, alice, carol, make_case, django_assert_max_num_queries, view
):
    case = seed([alice], make_case, 60, carol)
    client.force_login(alice)
    with django_assert_max_num_queries(BUDGET[view]):
        assert client.get(urls(case)[view]).status_code == 200


def _case_table_scans(queries) -> list[str]:
    """COUNT or GROUP BY queries over the cases table: what a million cases make slow."""
    return [
        q["sql"]
        for q in queries
        if 'FROM "cases_case"' in q["sql"] and ("COUNT(" in q["sql"] or "GROUP BY" in q["sql"])
    ]


def test_staff_counts_come_from_the_counts_table_not_a_scan(client, alice, bob, carol, make_case):
    seed([alice, bob], make_case, 5, carol)
    client.force_login(carol)
    with CaptureQueriesContext(connection) as queries:
        dashboard = client.get(reverse("cases:dashboard"))
        everything = client.get(reverse("cases:list"))
        waiting = client.get(reverse("cases:list") + "?status=info_requested")
    assert _case_table_scans(queries) == []
    assert dashboard.context["total"] == 5
    assert {row["status"]: row["count"] for row in dashboard.context["status_counts"]} == {
        "draft": 4,
        "info_requested": 1,  # the first case, moved five times
    }
    assert everything.context["page"].paginator.count == 5
    assert waiting.context["page"].paginator.count == 1
    assert [c.status for c in waiting.context["page"].object_list] == ["info_requested"]


def test_other_filters_and_sellers_still_count_their_rows(client, alice, bob, carol, make_case):
    seed([alice, bob], make_case, 5, carol)
    client.force_login(carol)
    response = client.get(reverse("cases:list") + "?status=draft&kind=deposit_refund")
    assert response.context["page"].paginator.count == 4
    client.force_login(alice)
    response = client.get(reverse("cases:dashboard"))
    assert response.context["total"] == 3  # her own: cases 1, 3 and 5 of the five

"""The staff queue at /staff/: urgency order from the denormalised clock columns, filters,
counts per status from the counts table, saved views, staff only, fixed query count."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases import clock
from cases.choices import Status
from cases.models import Case, CaseStatusCount
from cases.search import business_zone
from cases.services import case_transition
from deadlines.choices import DeadlineState
from deadlines.models import Deadline
from deadlines.services import case_refresh_urgency
from deadlines.staff import deadline_staff_pause
from deadlines.sweep import sweep_deadlines
from desk.models import SavedView
from tests.shipped import AppsAsMigrationsNameThem

URL = "/staff/"
EN = {"accept-language": "en"}


def _client(user=None):
    client = Client(headers=EN)
    if user is not None:
        client.force_login(user)
    return client


def _get(client, url=URL, **params):
    return client.get(url, params, secure=True)


def _refs(response):
    return [case.reference for case in response.context["cases"]]


def _filed(actor, make_case, **fields):
    case = make_case(actor, **fields)
    return case_transition(actor=actor, case=case, to=Status.FILED)


# --- Urgency columns kept up to date ----------------------------------------------------------


def test_next_due_is_the_earliest_running_clock_and_follows_pause_breach_and_close(
    alice, carol, make_case
):
    case = _filed(alice, make_case)
    running = Deadline.objects.filter(case=case, state=DeadlineState.RUNNING)
    assert running.exists(), "filing starts the platform's clock"
    case.refresh_from_db()
    first = running.order_by("due_at", "id").first()
    assert case.next_due_at == first.due_at
    assert case.next_due_rule == first.rule_snapshot["key"] == "platform.first_response"
    assert case.breached_open is False

    for deadline in list(running):
        deadline_staff_pause(actor=carol, deadline=deadline, reason="平台放假")
    case.refresh_from_db()
    assert (case.next_due_at, case.next_due_rule) == (None, "")

    Deadline.objects.filter(case=case).update(state=DeadlineState.RUNNING, remaining=None)
    case_refresh_urgency([case.pk])
    first_due = Deadline.objects.filter(case=case).order_by("due_at").first().due_at
    sweep_deadlines(now=first_due + timedelta(seconds=1))
    case.refresh_from_db()
    assert case.breached_open is True

    case_transition(actor=alice, case=case, to=Status.WITHDRAWN)
    case.refresh_from_db()
    assert (case.breached_open, case.next_due_at, case.next_due_rule) == (False, None, "")


def test_the_next_clock_rule_backfill_writes_what_the_refresh_writes(alice, make_case):
    import importlib

    migration = importlib.import_module("cases.migrations.0017_case_next_due_rule")
    filed, draft = _filed(alice, make_case), make_case(alice)
    Case.objects.update(next_due_rule="")

    migration.backfill(AppsAsMigrationsNameThem(), None)

    rules = dict(Case.objects.values_list("pk", "next_due_rule"))
    assert rules == {filed.pk: "platform.first_response", draft.pk: ""}


def test_queue_orders_breached_then_soonest_due_then_urgent_then_oldest_update(
    alice, carol, make_case
):
    now = clock.now()
    cases = {name: _filed(alice, make_case, title=name) for name in "ABCDEF"}
    Case.objects.update(next_due_at=None, breached_open=False)

    def set_(name, **fields):
        Case.objects.filter(pk=cases[name].pk).update(**fields)

    set_("A", updated_at=now - timedelta(days=1))  # no clock, normal, older
    set_("B", updated_at=now - timedelta(days=5))  # no clock, normal, oldest
    set_("C", priority="urgent", updated_at=now)  # no clock, urgent
    set_("D", next_due_at=now + timedelta(days=3))
    set_("E", next_due_at=now + timedelta(hours=2))
    set_("F", breached_open=True, next_due_at=now + timedelta(days=9))

    response = _get(_client(carol))

    order = [Case.objects.get(reference=ref).title for ref in _refs(response)]
    assert order == ["F", "E", "D", "C", "B", "A"]


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [URL, "/staff/export.csv", "/staff/views/", "delete"])
def test_a_seller_gets_404_on_every_queue_page(alice, carol, url):
    view = SavedView.objects.create(owner=carol, name="逾期", query="overdue=on")
    if url == "delete":
        url = f"/staff/views/{view.pk}/delete/"
    client = _client(alice)
    assert client.get(url, secure=True).status_code == 404
    assert client.post(url, secure=True).status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = _get(_client())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_navigation_links_to_the_staff_desk_for_staff_only(alice, carol):
    assert 'href="/staff/"' in _get(_client(carol), "/").content.decode()
    assert 'href="/staff/"' not in _get(_client(alice), "/").content.decode()


# --- Columns and filters ----------------------------------------------------------------------


def test_the_queue_shows_each_column(alice, carol, make_case):
    case = _filed(alice, make_case, platform_reference="DY-APPEAL-77")
    Case.objects.filter(pk=case.pk).update(assignee=carol, priority="urgent")

    page = _get(_client(carol)).content.decode()

    for text in (case.reference, "抖店保证金迟迟不退", "alice", "Douyin", "Urgent", "carol"):
        assert text in page
    assert "Next due" in page


def test_drafts_and_closed_cases_leave_the_default_queue_but_any_status_shows_them(
    alice, carol, make_case
):
    draft = make_case(alice, title="草稿")
    filed = _filed(alice, make_case)
    client = _client(carol)

    assert _refs(_get(client)) == [filed.reference]
    assert set(_refs(_get(client, status="all"))) == {draft.reference, filed.reference}
    assert _refs(_get(client, status="draft")) == [draft.reference]


def test_filters_by_assignee_me_unassigned_and_a_colleague(alice, carol, make_user, make_case):
    dave = make_user("dave", role="staff")
    mine, theirs, nobodys = (_filed(alice, make_case) for _ in range(3))
    Case.objects.filter(pk=mine.pk).update(assignee=carol)
    Case.objects.filter(pk=theirs.pk).update(assignee=dave)
    client = _client(carol)

    assert _refs(_get(client, assignee="me")) == [mine.reference]
    assert _refs(_get(client, assignee="none")) == [nobodys.reference]
    assert _refs(_get(client, assignee="dave")) == [theirs.reference]
    assert len(_refs(_get(client, assignee=""))) == 3


def test_filters_overdue_and_due_within_days(alice, carol, make_case):
    now = clock.now()
    late, soon, later, none = (_filed(alice, make_case) for _ in range(4))
    Case.objects.update(next_due_at=None, breached_open=False)
    Case.objects.filter(pk=late.pk).update(next_due_at=now - timedelta(hours=1))
    Case.objects.filter(pk=soon.pk).update(next_due_at=now + timedelta(days=1))
    Case.objects.filter(pk=later.pk).update(next_due_at=now + timedelta(days=10))
    Case.objects.filter(pk=none.pk).update(breached_open=True)
    client = _client(carol)

    assert set(_refs(_get(client, overdue="on"))) == {late.reference, none.reference}
    assert _refs(_get(client, due_within=2)) == [late.reference, soon.reference]


def test_filters_by_kind_platform_role_and_dates(alice, carol, make_case):
    old = _filed(alice, make_case, platform="taobao")
    new = _filed(alice, make_case, kind="account_ban", platform="douyin")
    Case.objects.filter(pk=old.pk).update(
        created_at=clock.now() - timedelta(days=40), updated_at=clock.now() - timedelta(days=40)
    )
    client = _client(carol)
    # The filters read whole business days (Asia/Shanghai): the dates too, not UTC's, or the
    # test fails from 16:00 UTC on, when Shanghai is a day ahead.
    today = clock.now().astimezone(business_zone()).date().isoformat()

    assert _refs(_get(client, kind="account_ban")) == [new.reference]
    assert _refs(_get(client, platform="taobao")) == [old.reference]
    assert _refs(_get(client, party_role=new.party_role, kind="account_ban")) == [new.reference]
    assert _refs(_get(client, created_from=today)) == [new.reference]
    old_day = (clock.now() - timedelta(days=40)).astimezone(business_zone()).date().isoformat()
    assert _refs(_get(client, updated_to=old_day)) == [old.reference]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "sleeping"}, "Status"),
        ({"assignee": "mallory"}, "Assignee"),
        ({"due_within": "-3"}, "Due within"),
        ({"due_within": "soon"}, "Due within"),
        ({"created_from": "2026-13-45"}, "Opened from"),
        ({"created_from": "2026-11-20", "created_to": "2026-11-01"}, "Opened until"),
        ({"colour": "red"}, "Unknown filter “colour”"),
        ({"page": "0"}, "Page: Ensure this value is greater than or equal to 1."),
    ],
)
def test_bad_filters_are_shown_as_errors_not_a_500(alice, carol, make_case, params, field):
    _filed(alice, make_case)

    response = _get(_client(carol), **params)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Some filters were not understood" in page
    assert field in page
    assert len(response.context["cases"]) == 1  # the rest of the queue still shows


# --- Counts per status ----------------------------------------------------------------------


def test_counts_per_status_follow_creation_and_moves_from_the_counts_table(
    alice, carol, make_case, django_assert_max_num_queries
):
    case = make_case(alice)
    case_transition(actor=alice, case=case, to=Status.FILED)
    make_case(alice)

    counts = {row.status: row.count for row in CaseStatusCount.objects.all()}
    assert (counts["draft"], counts["filed"]) == (1, 1)
    response = _get(_client(carol))
    shown = {row["status"]: row["count"] for row in response.context["counts"]}
    assert (shown["draft"], shown["filed"], shown["resolved"]) == (1, 1, 0)
    assert response.context["total"] == 2


def test_the_rebuild_command_recounts_after_a_bulk_load(alice, make_case):
    make_case(alice)
    CaseStatusCount.objects.update(count=99)

    call_command("desk_rebuild")

    counts = {row.status: row.count for row in CaseStatusCount.objects.all()}
    assert counts["draft"] == 1 and counts["filed"] == 0


# --- Pages, query counts and bulk form -------------------------------------------------------


def _many(alice, make_case, n):
    first = _filed(alice, make_case)
    fields = {f.attname: getattr(first, f.attname) for f in Case._meta.concrete_fields}
    fields.pop("id")
    Case.objects.bulk_create(
        [Case(**{**fields, "reference": f"RC-2026-9{i:05d}"}) for i in range(n - 1)]
    )


def test_query_count_is_the_same_for_1_and_100_rows(
    alice, carol, make_case, django_assert_max_num_queries
):
    client = _client(carol)
    _filed(alice, make_case)
    _get(client)  # warm the session
    with django_assert_max_num_queries(10) as one:
        assert len(_get(client, q="保证金").context["cases"]) == 1
    _many(alice, make_case, 100)
    with django_assert_max_num_queries(10) as hundred:
        response = _get(client, q="保证金", overdue="", status="filed")
    assert len(response.context["cases"]) == 50
    assert len(hundred.captured_queries) == len(one.captured_queries)


def test_the_queue_without_search_makes_one_query_less(
    alice, carol, make_case, django_assert_max_num_queries
):
    client = _client(carol)
    _many(alice, make_case, 60)
    _get(client)
    with django_assert_max_num_queries(9):
        assert len(_get(client).context["cases"]) == 50


def test_pages_of_50_with_next_and_previous(alice, carol, make_case):
    _many(alice, make_case, 60)
    client = _client(carol)

    first, second = _get(client), _get(client, page=2)

    assert len(first.context["cases"]) == 50 and first.context["has_next"]
    assert len(second.context["cases"]) == 10 and not second.context["has_next"]
    assert not set(_refs(first)) & set(_refs(second))
    assert "page=2" in first.content.decode()


def test_rows_carry_checkboxes_for_the_bulk_form_when_it_exists(alice, carol, make_case):
    case = _filed(alice, make_case)
    page = _get(_client(carol)).content.decode()

    assert f'action="{reverse("desk-bulk:bulk")}"' in page
    assert f'name="case" value="{case.reference}"' in page
    for name in ("action", "assignee", "priority", "status", "note", "next"):
        assert f'name="{name}"' in page


def test_the_search_box_is_labelled_and_focused_with_slash(carol):
    page = _get(_client(carol)).content.decode()
    assert '<label for="id_q">' in page
    assert 'aria-keyshortcuts="/"' in page
    assert "js/desk.js" in page


# --- Saved views ----------------------------------------------------------------------------


def test_staff_save_list_and_delete_their_own_views(carol):
    client = _client(carol)
    response = client.post(
        "/staff/views/", {"name": "逾期未分配", "query": "overdue=on&assignee=none"}, secure=True
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/?overdue=on&assignee=none"
    view = SavedView.objects.get(owner=carol)

    page = _get(client).content.decode()
    assert "逾期未分配" in page and "/staff/?overdue=on&amp;assignee=none" in page

    client.post(f"/staff/views/{view.pk}/delete/", secure=True)
    assert not SavedView.objects.exists()


def test_a_duplicate_or_empty_name_is_refused_with_a_message(carol):
    client = _client(carol)
    client.post("/staff/views/", {"name": "Mine", "query": "status=filed"}, secure=True)
    response = client.post(
        "/staff/views/", {"name": "Mine", "query": "x=1"}, secure=True, follow=True
    )
    assert "already have a view named" in response.content.decode()
    assert SavedView.objects.count() == 1


def test_another_staff_members_view_is_404_to_delete(carol, make_user):
    dave = make_user("dave", role="staff")
    view = SavedView.objects.create(owner=dave, name="Dave's", query="status=filed")

    response = _client(carol).post(f"/staff/views/{view.pk}/delete/", secure=True)

    assert response.status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()
    assert "Dave&#x27;s" not in _get(_client(carol)).content.decode()


def test_logging_a_contact_that_starts_a_clock_moves_next_due(alice, make_case):
    from channels.services import contact_log
    from tests.channels.web import contact_fields

    case = _filed(alice, make_case)
    Case.objects.filter(pk=case.pk).update(next_due_at=None)  # stale on purpose

    contact_log(actor=alice, case=case, **contact_fields())

    case.refresh_from_db()
    running = Deadline.objects.filter(case=case, state=DeadlineState.RUNNING)
    assert case.next_due_at == min(d.due_at for d in running)


def test_the_rebuild_command_can_refresh_urgency_after_a_bulk_load(alice, make_case):
    case = _filed(alice, make_case)
    expected = Case.objects.get(pk=case.pk).next_due_at
    Case.objects.update(next_due_at=None, breached_open=True)

    call_command("desk_rebuild", "--urgency")

    case.refresh_from_db()
    assert (case.next_due_at, case.breached_open) == (expected, False)


# --- The cached filter form -------------------------------------------------------------------


def test_the_cached_filter_form_follows_the_staff_list_language_and_query(carol, make_user):
    client = _client(carol)
    first = _get(client).content.decode()
    assert '<option value="erin">' not in first
    make_user("erin", role="staff")
    assert '<option value="erin">erin</option>' in _get(client).content.decode()

    chinese = _client(carol)
    chinese.cookies.load({"django_language": "zh-hans"})
    page = chinese.get(URL, headers={"accept-language": "zh-hans"}, secure=True).content.decode()
    assert "Unassigned</option>" not in page and "未分派</option>" in page

    assert 'value="保证金"' in _get(client, q="保证金").content.decode()
    for _ in range(2):  # the second answer comes from the cache: still the error, still 400
        response = _get(client, due_within="soon")
        assert response.status_code == 400
        assert "Due within (days): Enter a whole number." in response.content.decode()


def test_large_counts_are_written_with_thousands_separators_in_both_languages(carol):
    CaseStatusCount.objects.update_or_create(status="filed", defaults={"count": 1234567})
    for language in ("en", "zh-hans"):
        client = _client(carol)
        page = client.get(URL, headers={"accept-language": language}, secure=True)
        assert "<strong>1,234,567</strong>" in page.content.decode()


def test_the_cached_filter_form_shows_a_page_error_only_on_the_bad_page(alice, carol, make_case):
    _filed(alice, make_case)
    client = _client(carol)
    banner = "Some filters were not understood"

    bad = _get(client, page="999")
    assert bad.status_code == 400 and banner in bad.text
    good = _get(client)
    assert good.status_code == 200 and banner not in good.text
    other = _get(client, page="abc")
    assert other.status_code == 400 and "Page: Enter a whole number." in other.text
    # A page with errors offers no CSV (its link would download this page).
    assert "export.csv" not in other.text and "export.csv" in good.text


def test_the_cached_filter_form_is_keyed_to_the_release_of_its_template_and_form(monkeypatch):
    from django import forms

    from desk import views

    views.filters_fragment_version.cache_clear()
    before = views.filters_fragment_version()
    fields = {**views.QueueFilterForm.base_fields, "sla": forms.BooleanField(required=False)}
    monkeypatch.setattr(views.QueueFilterForm, "base_fields", fields)
    views.filters_fragment_version.cache_clear()
    try:
        assert views.filters_fragment_version() != before
    finally:
        monkeypatch.undo()
        views.filters_fragment_version.cache_clear()


def test_page_totals_and_chips_read_the_counts_the_same_way(db):
    from cases.counts import cases_counted, status_counts

    # A count gone below zero (rows written around the services) reads as none, everywhere.
    CaseStatusCount.objects.update_or_create(status="draft", defaults={"count": 5})
    CaseStatusCount.objects.update_or_create(status="filed", defaults={"count": -3})
    assert cases_counted() == sum(row["count"] for row in status_counts()) == 5
    assert cases_counted(status="filed") == 0
    assert cases_counted(status="draft") == 5

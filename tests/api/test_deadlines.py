"""Deadlines over the API: a case's clocks, `next_deadline` in the case JSON, the `overdue`
filter, the rules list; access and fixed query counts."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from cases.services import case_transition
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import case_refresh_urgency
from deadlines.sweep import sweep_deadlines
from tests.api.conftest import LIST_URL, case_url

SH = ZoneInfo("Asia/Shanghai")
FILED_AT = datetime(2026, 3, 2, 10, 0, tzinfo=SH)  # a Monday
RULES_URL = "/api/v1/deadline-rules/"


def at(*args):
    return datetime(*args, tzinfo=SH)


def move(actor, case, to, when):
    case.refresh_from_db()
    with mock.patch("cases.clock.now", return_value=when):
        case_transition(actor=actor, case=case, to=to)


@pytest.fixture
def filed(alice, alice_case):
    move(alice, alice_case, "filed", FILED_AT)
    return alice_case


def deadlines_url(case):
    return case_url(case, "case-deadlines", app="deadlines-api")


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def overdue(client, value):
    return [row["reference"] for row in results(client.get(f"{LIST_URL}?overdue={value}"))]


# --- A case's clocks ---------------------------------------------------------------------


def test_deadline_json_is_exactly_the_contract(alice_api, filed):
    [row] = results(alice_api.get(deadlines_url(filed)))
    assert list(row) == [
        "id",
        "rule",
        "name",
        "state",
        "started_at",
        "due_at",
        "warn_at",
        "provisional",
        "rolled_from",
        "waiting_on",
        "source",
        "remaining",
    ]
    assert row["rolled_from"] is None  # a working-day clock never rolls over
    clock = Deadline.objects.get(case=filed)
    assert row["id"] == clock.pk
    assert row["rule"] == "platform.first_response"
    assert row["state"] == "running"
    assert row["waiting_on"] == "platform"
    assert datetime.fromisoformat(row["started_at"]) == FILED_AT
    assert datetime.fromisoformat(row["due_at"]) == at(2026, 3, 10, 0, 0)  # 5 working days
    assert datetime.fromisoformat(row["warn_at"]) == at(2026, 3, 9, 0, 0)
    assert datetime.fromisoformat(row["due_at"]).utcoffset() is not None
    assert row["provisional"] is False
    assert row["source"] == clock.rule_snapshot["source"]
    assert row["remaining"] is None


def test_name_follows_the_request_language(alice_api, filed):
    snapshot = Deadline.objects.get(case=filed).rule_snapshot
    zh = results(alice_api.get(deadlines_url(filed), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    en = results(alice_api.get(deadlines_url(filed), HTTP_ACCEPT_LANGUAGE="en"))
    assert zh[0]["name"] == snapshot["name_zh"]
    assert en[0]["name"] == snapshot["name"]
    assert zh[0]["name"] != en[0]["name"]


def test_every_state_is_listed_and_a_paused_clock_tells_its_remaining_time(alice, alice_api, filed):
    move(alice, filed, "in_review", at(2026, 3, 4, 10, 0))
    move(alice, filed, "info_requested", at(2026, 3, 6, 12, 0))  # a Friday, noon
    rows = {row["rule"]: row for row in results(alice_api.get(deadlines_url(filed)))}
    assert {key: row["state"] for key, row in rows.items()} == {
        "platform.first_response": "met",
        "platform.decision": "paused",
        "seller.reply": "running",
    }
    # The rest of Friday and 5 working days, as ISO 8601.
    assert rows["platform.decision"]["remaining"] == "P5DT00H00M00S"
    assert rows["seller.reply"]["waiting_on"] == "seller"
    assert rows["seller.reply"]["remaining"] is None
    assert rows["platform.first_response"]["remaining"] is None


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", 200), ("bob", 404), ("carol", 200), ("anonymous", 401)],
)
def test_access(request, api_as, api_client, filed, persona, expected):
    client = api_client if persona == "anonymous" else api_as(request.getfixturevalue(persona))
    response = client.get(deadlines_url(filed))
    assert response.status_code == expected
    if expected == 200:
        assert len(response.json()["results"]) == 1
    else:
        assert "results" not in response.json()


def test_unknown_case_and_unknown_parameter(alice_api, filed):
    missing = alice_api.get("/api/v1/cases/RC-2026-999999/deadlines/")
    assert missing.status_code == 404
    assert alice_api.get(f"{deadlines_url(filed)}?state=running").status_code == 400


@pytest.mark.parametrize("count", [1, 20])
def test_clock_list_query_count_is_fixed(alice_api, filed, django_assert_num_queries, count):
    clock = Deadline.objects.get(case=filed)
    for _ in range(count - 1):
        clock.pk = None
        clock.save()
    alice_api.get(deadlines_url(filed))  # the token's first use records last_used_at
    # 1 token (+ its user), 1 case, 1 page of clocks with their rules joined.
    with django_assert_num_queries(3):
        assert len(results(alice_api.get(deadlines_url(filed)))) == count


# --- next_deadline in the case JSON ------------------------------------------------------


def test_next_deadline_is_null_for_a_draft(alice_api, alice_case):
    assert alice_api.get(case_url(alice_case)).json()["next_deadline"] is None
    assert results(alice_api.get(LIST_URL))[0]["next_deadline"] is None


def test_next_deadline_is_the_first_response_clock_after_filing(alice_api, filed):
    expected = {"kind": "platform.first_response", "state": "running"}
    detail = alice_api.get(case_url(filed)).json()["next_deadline"]
    row = results(alice_api.get(LIST_URL))[0]["next_deadline"]
    for shown in (detail, row):
        assert {key: shown[key] for key in ("kind", "state")} == expected
        assert datetime.fromisoformat(shown["due_at"]) == at(2026, 3, 10, 0, 0)
    assert detail == row


def test_next_deadline_is_the_earliest_running_clock_only(alice, alice_api, filed):
    move(alice, filed, "in_review", at(2026, 3, 4, 10, 0))
    move(alice, filed, "info_requested", at(2026, 3, 6, 12, 0))
    # The platform's clock is paused, the first response met: the seller's reply is next.
    shown = alice_api.get(case_url(filed)).json()["next_deadline"]
    assert shown["kind"] == "seller.reply"
    assert datetime.fromisoformat(shown["due_at"]) == at(2026, 3, 7, 12, 0)
    assert results(alice_api.get(LIST_URL))[0]["next_deadline"] == shown
    # Once the seller's clock has run out (breached by the sweep), nothing is next.
    sweep_deadlines(now=at(2026, 3, 7, 12, 0))
    assert Deadline.objects.get(case=filed, rule_snapshot__key="seller.reply").state == "breached"
    assert alice_api.get(case_url(filed)).json()["next_deadline"] is None
    assert results(alice_api.get(LIST_URL))[0]["next_deadline"] is None


def test_the_etag_changes_with_the_next_deadline(alice, alice_api, alice_case):
    before = alice_api.get(case_url(alice_case))["ETag"]
    # Only the clock changed: the case row is as it was.
    rule = DeadlineRule.objects.get(key="platform.first_response")
    Deadline.objects.create(
        case=alice_case,
        rule=rule,
        rule_snapshot={"key": rule.key, "name": rule.name},
        waiting_on="platform",
        started_at=FILED_AT,
        due_at=at(2026, 3, 10, 0, 0),
    )
    after = alice_api.get(case_url(alice_case))
    assert after["ETag"] != before
    assert alice_api.get(case_url(alice_case), HTTP_IF_NONE_MATCH=before).status_code == 200
    unchanged = alice_api.get(case_url(alice_case), HTTP_IF_NONE_MATCH=after["ETag"])
    assert unchanged.status_code == 304


@pytest.mark.parametrize("count", [1, 50])
def test_case_list_query_count_does_not_grow_with_clocks(
    alice, alice_api, make_case, django_assert_num_queries, count
):
    for i in range(count):
        case = make_case(alice)
        if i % 2:
            move(alice, case, "filed", FILED_AT)
    alice_api.get(LIST_URL)
    # 1 token (+ its user), 1 page of cases with owner, assignee and next clock.
    with django_assert_num_queries(2):
        rows = results(alice_api.get(f"{LIST_URL}?page_size=100"))
    assert len(rows) == count
    assert sum(row["next_deadline"] is not None for row in rows) == count // 2


def test_case_read_query_count(alice_api, filed, django_assert_num_queries):
    alice_api.get(case_url(filed))
    # 1 token (+ its user), 1 case with owner and assignee, 1 next running clock.
    with django_assert_num_queries(3):
        assert alice_api.get(case_url(filed)).json()["next_deadline"] is not None


# --- overdue -----------------------------------------------------------------------------


def test_overdue_filter_follows_the_clock(alice, alice_api, make_case, filed):
    draft = make_case(alice)
    due = at(2026, 3, 10, 0, 0)
    with mock.patch("cases.clock.now", return_value=due - timedelta(seconds=1)):
        assert overdue(alice_api, "true") == []
        assert set(overdue(alice_api, "false")) == {filed.reference, draft.reference}
    with mock.patch("cases.clock.now", return_value=due):
        assert overdue(alice_api, "true") == [filed.reference]
        assert overdue(alice_api, "false") == [draft.reference]


def test_a_breached_clock_is_overdue_whatever_the_time(alice_api, filed):
    [clock] = Deadline.objects.filter(case=filed)
    sweep_deadlines(now=clock.due_at)
    with mock.patch("cases.clock.now", return_value=FILED_AT):
        assert overdue(alice_api, "true") == [filed.reference]


def test_a_breached_clock_on_a_closed_case_is_not_overdue(alice, alice_api, filed):
    [clock] = Deadline.objects.filter(case=filed)
    sweep_deadlines(now=clock.due_at)
    move(alice, filed, "withdrawn", clock.due_at + timedelta(hours=1))
    with mock.patch("cases.clock.now", return_value=clock.due_at + timedelta(days=1)):
        assert overdue(alice_api, "true") == []


def test_settled_and_paused_clocks_are_not_overdue(alice, alice_api, filed):
    move(alice, filed, "in_review", at(2026, 3, 4, 10, 0))
    move(alice, filed, "info_requested", at(2026, 3, 6, 12, 0))
    Deadline.objects.filter(case=filed, state="running").update(state="met")
    case_refresh_urgency([filed.pk])  # what the services do after settling a clock
    with mock.patch("cases.clock.now", return_value=at(2027, 1, 1)):
        assert overdue(alice_api, "true") == []


def test_overdue_combines_with_other_filters_and_sees_only_your_cases(
    alice_api, bob, make_case, filed
):
    move(bob, make_case(bob), "filed", FILED_AT)
    with mock.patch("cases.clock.now", return_value=at(2026, 4, 1)):
        assert overdue(alice_api, "true") == [filed.reference]
        url = f"{LIST_URL}?overdue=true&status=draft"
        assert results(alice_api.get(url)) == []


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", "maybe"])
def test_an_invalid_overdue_value_is_refused(alice_api, value):
    response = alice_api.get(f"{LIST_URL}?overdue={value}")
    assert response.status_code == 400
    assert "overdue" in response.content.decode()


# --- Rules -------------------------------------------------------------------------------


def test_rules_list_the_active_rules(alice_api):
    DeadlineRule.objects.filter(key="seller.reply").update(active=False)
    rows = results(alice_api.get(RULES_URL, HTTP_ACCEPT_LANGUAGE="en"))
    keys = [row["key"] for row in rows]
    assert keys == sorted(DeadlineRule.objects.filter(active=True).values_list("key", flat=True))
    assert "seller.reply" not in keys
    row = next(row for row in rows if row["key"] == "platform.first_response")
    assert list(row) == [
        "key",
        "name",
        "trigger",
        "trigger_statuses",
        "trigger_filing_type",
        "trigger_bodies",
        "trigger_detail",
        "case_kinds",
        "platforms",
        "priority",
        "duration",
        "unit",
        "decision_results",
        "roll_over",
        "roll_over_reason",
        "warn_before",
        "on_breach",
        "waiting_on",
        "met_by_statuses",
        "met_by_filing_types",
        "source",
        "secondary",
    ]
    assert row["roll_over_reason"] == rule_reason("platform.first_response")
    rule = DeadlineRule.objects.get(key="platform.first_response")
    assert row["name"] == rule.name
    assert row["trigger"] == "status_entered"
    assert row["trigger_statuses"] == rule.trigger_statuses
    assert (row["trigger_filing_type"], row["trigger_detail"]) == (None, None)
    assert (row["duration"], row["unit"], row["waiting_on"]) == (5, "working_days", "platform")


def rule_reason(key):
    return DeadlineRule.objects.get(key=key).roll_over_reason


def test_rule_names_follow_the_request_language(alice_api):
    rows = results(alice_api.get(RULES_URL, HTTP_ACCEPT_LANGUAGE="zh-hans"))
    names = {row["key"]: row["name"] for row in rows}
    rule = DeadlineRule.objects.get(key="platform.first_response")
    assert names[rule.key] == rule.name_zh


def test_rules_need_a_sign_in_and_a_known_parameter(
    api_client, alice_api, django_assert_num_queries
):
    assert api_client.get(RULES_URL).status_code == 401
    assert alice_api.get(f"{RULES_URL}?active=false").status_code == 400
    alice_api.get(RULES_URL)  # the token's first use records last_used_at
    active = DeadlineRule.objects.filter(active=True).count()
    # 1 token (+ its user), 1 page of rules.
    with django_assert_num_queries(2):
        rows = results(alice_api.get(RULES_URL))
    assert len(rows) == active > 20


def test_a_remaining_time_is_given_in_whole_seconds(alice, alice_api, filed):
    """RFC 3339 durations (the schema's `format: duration`) have no fraction of a second:
    "P0DT23H59M59.928984S" was refused by schema validation (found by bin/fuzz-api)."""
    move(alice, filed, "in_review", at(2026, 3, 4, 10, 0))
    Deadline.objects.filter(case=filed, rule__key="platform.decision").update(
        state="paused", remaining=timedelta(hours=23, minutes=59, seconds=59.928984)
    )
    rows = {row["rule"]: row for row in results(alice_api.get(deadlines_url(filed)))}
    assert rows["platform.decision"]["remaining"] == "P0DT23H59M59S"

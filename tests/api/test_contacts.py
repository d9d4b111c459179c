"""Logging, listing, reading and correcting a case's contacts through the API."""

import datetime

import pytest

from cases.choices import EventKind
from cases.services import case_transition
from channels.api import ContactInputSerializer
from channels.models import ChannelEntry
from channels.services import CORRECTABLE_FIELDS
from tests.api.contact_helpers import (
    CONTACT_FIELDS,
    SHANGHAI,
    contact_url,
    hours_ago,
    list_url,
    log,
    make_body,
    payload,
)
from tests.api.evidence_helpers import attach
from tests.evidence import corpus


@pytest.fixture
def douyin_desk(db):
    return make_body(
        "douyin_shop", kind="platform", platform="douyin_shop", name="Douyin shop", name_zh="抖店"
    )


@pytest.fixture
def samr(db):
    return make_body(
        "12315", name="12315", name_zh="全国12315平台", consumer_only_filings=["complaint"]
    )


def _nothing_logged(case):
    assert not ChannelEntry.objects.filter(case=case).exists()
    assert not case.events.filter(kind=EventKind.CONTACT_LOGGED).exists()


# --- Log -----------------------------------------------------------------------------------


def test_logging_answers_201_with_the_contact_json(alice_api, alice, alice_case, douyin_desk):
    item = attach(alice, alice_case, data=corpus.PDF, name="通知.pdf", kind="platform_notice")
    follow_up = (hours_ago(2).astimezone(SHANGHAI).date() + datetime.timedelta(days=3)).isoformat()
    sent = payload(body="douyin_shop", follow_up_on=follow_up, evidence=[str(item.pk)])

    response = alice_api.post(list_url(alice_case), sent, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == CONTACT_FIELDS | {"suggested_status"}
    entry = ChannelEntry.objects.get(case=alice_case)
    assert response["Location"] == f"http://testserver{contact_url(entry)}"
    assert body["id"] == entry.pk
    assert body["body"] == "douyin_shop"
    assert body["evidence"] == [str(item.pk)]
    assert body["logged_by"] == "alice"
    assert body["corrected_at"] is None
    assert body["follow_up_on"] == sent["follow_up_on"]
    assert body["external_reference"] == "GD2026102200117"
    # Shown in the reader's time zone (Asia/Shanghai by default), the same instant as sent.
    assert body["occurred_at"].endswith("+08:00")
    assert datetime.datetime.fromisoformat(body["occurred_at"]) == datetime.datetime.fromisoformat(
        sent["occurred_at"]
    )
    # A draft case: nothing to suggest.
    assert body["suggested_status"] is None
    event = alice_case.events.get(kind=EventKind.CONTACT_LOGGED)
    assert event.actor == alice
    assert event.changes["contact"]["id"] == entry.pk


def test_occurred_at_keeps_the_instant_sent_with_any_offset(alice_api, alice_case):
    sent = hours_ago(30).replace(microsecond=0)
    new_york = sent.astimezone(datetime.timezone(datetime.timedelta(hours=-5))).isoformat()

    response = alice_api.post(list_url(alice_case), payload(occurred_at=new_york), format="json")

    assert response.status_code == 201, response.content
    assert ChannelEntry.objects.get().occurred_at == sent
    utc = sent.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    assert (
        alice_api.post(list_url(alice_case), payload(occurred_at=utc), format="json").json()[
            "occurred_at"
        ]
        == sent.astimezone(SHANGHAI).isoformat()
    )


def test_body_and_optional_fields_may_be_null_or_left_out(alice_api, alice_case):
    response = alice_api.post(
        list_url(alice_case),
        payload(body=None, follow_up_on=None, counterpart=..., external_reference=...),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["body"], body["follow_up_on"], body["evidence"]) == (None, None, [])
    assert (body["counterpart"], body["external_reference"]) == ("", "")


def test_counterpart_defaults_to_the_bodys_name(alice_api, alice_case, douyin_desk):
    response = alice_api.post(
        list_url(alice_case), payload(body="douyin_shop", counterpart=...), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["counterpart"] in ("抖店", "Douyin shop")


def _over_the_offset_limit() -> str:
    # An instant two hours ago, written with a +23:00 offset: valid to Python, not to PostgreSQL.
    return hours_ago(2).astimezone(datetime.timezone(datetime.timedelta(hours=23))).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param(
            {"occurred_at": (datetime.datetime.now(SHANGHAI) + datetime.timedelta(hours=3))},
            "occurred_at",
            id="future-time",
        ),
        pytest.param({"body": "no-such-body"}, "body", id="unknown-body"),
        pytest.param({"external_reference": "R" * 500}, "external_reference", id="long-reference"),
        pytest.param({"summary": ""}, "summary", id="empty-summary"),
        pytest.param({"summary": "   "}, "summary", id="blank-summary"),
        pytest.param({"summary": ...}, "summary", id="no-summary"),
        pytest.param({"occurred_at": "offset"}, "occurred_at", id="offset-plus-23"),
        pytest.param({"occurred_at": "2026-10-22T14:30:00"}, "occurred_at", id="no-offset"),
        pytest.param({"occurred_at": "2026-02-30T10:00:00+08:00"}, "occurred_at", id="no-such-day"),
        pytest.param({"occurred_at": "1999-12-31T10:00:00+08:00"}, "occurred_at", id="too-early"),
        pytest.param({"occurred_at": "0001-01-01T00:00:00+01:00"}, "occurred_at", id="year-1"),
        pytest.param({"occurred_at": ...}, "occurred_at", id="no-time"),
        pytest.param({"channel": "pigeon"}, "channel", id="bad-channel"),
        pytest.param({"direction": "sideways"}, "direction", id="bad-direction"),
        pytest.param({"filing_type": "prayer"}, "filing_type", id="bad-filing-type"),
        pytest.param({"follow_up_on": "2026-13-45"}, "follow_up_on", id="bad-follow-up"),
        pytest.param({"follow_up_on": "2001-01-01"}, "follow_up_on", id="follow-up-before"),
        pytest.param(
            {"evidence": ["00000000-0000-0000-0000-000000000000"]}, "evidence", id="no-such-item"
        ),
        pytest.param({"evidence": ["not-a-uuid"]}, "evidence", id="bad-evidence-id"),
        pytest.param({"summary": "x\x00y"}, "summary", id="nul-in-summary"),
        pytest.param({"status": "decided"}, "status", id="status"),
        pytest.param({"logged_by": "bob"}, "logged_by", id="logged-by"),
        pytest.param({"case": "RC-2026-000001"}, "case", id="unknown-field"),
    ],
)
def test_bad_contact_is_a_400_naming_the_field_and_nothing_is_saved(
    alice_api, alice_case, overrides, field
):
    if overrides.get("occurred_at") == "offset":
        overrides = {"occurred_at": _over_the_offset_limit()}
    elif isinstance(overrides.get("occurred_at"), datetime.datetime):
        overrides = {"occurred_at": overrides["occurred_at"].isoformat()}

    response = alice_api.post(list_url(alice_case), payload(**overrides), format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field
    assert body["detail"]
    _nothing_logged(alice_case)


def test_messages_say_what_to_do(alice_api, alice_case):
    def detail(**overrides):
        # The English messages are checked: ask for them.
        response = alice_api.post(
            list_url(alice_case), payload(**overrides), format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        return response.json()["detail"]

    future = (datetime.datetime.now(SHANGHAI) + datetime.timedelta(hours=3)).isoformat()
    assert "future" in detail(occurred_at=future)
    assert "no-such-body" in detail(body="no-such-body")
    assert "100" in detail(external_reference="R" * 500)
    assert "said or agreed" in detail(summary="")
    assert "-12:00" in detail(occurred_at=_over_the_offset_limit())
    assert "offset" in detail(occurred_at="2026-10-22T14:30:00")
    assert "transitions" in detail(status="decided")


def test_non_object_and_non_json_bodies_are_400_or_415(alice_api, alice_case):
    assert alice_api.post(list_url(alice_case), [payload()], format="json").status_code == 400
    response = alice_api.post(list_url(alice_case), {"summary": "x"}, format="multipart")
    assert response.status_code == 415
    _nothing_logged(alice_case)


def test_merchant_is_refused_a_consumer_complaint_to_12315(alice_api, alice_case, samr):
    assert alice_case.party_role == "merchant"
    complaint = payload(channel="regulator", body="12315", filing_type="complaint")

    response = alice_api.post(list_url(alice_case), complaint, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "route_not_open"
    assert body["field"] == "filing_type"
    assert "举报" in body["detail"]
    _nothing_logged(alice_case)
    # What the message points to instead is open to the merchant.
    report = {**complaint, "filing_type": "report"}
    assert alice_api.post(list_url(alice_case), report, format="json").status_code == 201


def test_consumer_may_complain_to_12315(alice_api, alice, make_case, samr):
    case = make_case(alice, kind="purchase_complaint")
    assert case.party_role == "consumer"
    complaint = payload(channel="regulator", body="12315", filing_type="complaint")

    response = alice_api.post(list_url(case), complaint, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["body"] == "12315"


def test_decision_received_suggests_decided_and_leaves_the_status_alone(
    alice_api, alice, alice_case
):
    case = case_transition(actor=alice, case=alice_case, to="filed")
    case = case_transition(actor=alice, case=case, to="in_review")
    decision = payload(channel="in_app", direction="inbound", filing_type="decision_received")

    response = alice_api.post(list_url(case), decision, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["suggested_status"] == "decided"
    case.refresh_from_db()
    assert case.status == "in_review"
    assert not case.events.filter(kind=EventKind.STATUS_CHANGED, to_status="decided").exists()


def test_nothing_is_suggested_on_a_draft(alice_api, alice_case):
    decision = payload(channel="in_app", direction="inbound", filing_type="decision_received")
    response = alice_api.post(list_url(alice_case), decision, format="json")
    assert response.status_code == 201
    assert response.json()["suggested_status"] is None


def test_evidence_from_another_case_cannot_be_linked(alice_api, alice, make_case, alice_case):
    other = attach(alice, make_case(alice), data=corpus.PDF, name="别的案件.pdf", kind="other")
    response = alice_api.post(
        list_url(alice_case), payload(evidence=[str(other.pk)]), format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "evidence"
    _nothing_logged(alice_case)


# --- List ----------------------------------------------------------------------------------


def test_list_is_newest_first_by_when_it_happened(alice_api, alice, alice_case):
    old = log(alice, alice_case, occurred_at=hours_ago(48).isoformat())
    new = log(alice, alice_case, occurred_at=hours_ago(1).isoformat())
    middle = log(alice, alice_case, occurred_at=hours_ago(24).isoformat())

    response = alice_api.get(list_url(alice_case))

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [new.pk, middle.pk, old.pk]
    assert (body["next"], body["previous"]) == (None, None)
    assert set(body["results"][0]) == CONTACT_FIELDS


def test_list_filters_by_channel(alice_api, alice, alice_case):
    phone = log(alice, alice_case, channel="phone")
    email = log(alice, alice_case, channel="email")
    log(alice, alice_case, channel="social")

    def ids(query):
        return [row["id"] for row in alice_api.get(list_url(alice_case) + query).json()["results"]]

    assert ids("?channel=phone") == [phone.pk]
    assert sorted(ids("?channel=phone&channel=email")) == sorted([phone.pk, email.pk])
    assert len(ids("")) == 3
    # Empty is not a channel: leave the filter out for all of them.
    assert alice_api.get(list_url(alice_case) + "?channel=").status_code == 400


@pytest.mark.parametrize("query", ["?channel=pigeon", "?kind=phone", "?channel=phone&x=1"])
def test_list_refuses_bad_channels_and_unknown_parameters(alice_api, alice_case, query):
    response = alice_api.get(list_url(alice_case) + query)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_list_pages_with_cursors_without_gaps_or_repeats(alice_api, alice, alice_case):
    same_time = hours_ago(5).isoformat()
    entries = [log(alice, alice_case, occurred_at=same_time) for _ in range(4)]
    entries += [log(alice, alice_case, occurred_at=hours_ago(n).isoformat()) for n in (1, 2, 9)]
    expected = [e.pk for e in sorted(entries, key=lambda e: (e.occurred_at, e.pk), reverse=True)]

    seen, url = [], list_url(alice_case) + "?page_size=2"
    while url:
        body = alice_api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]

    assert seen == expected
    assert alice_api.get(list_url(alice_case) + "?cursor=bm9wZQ").json()["field"] == "cursor"


# --- Read and correct ----------------------------------------------------------------------


@pytest.fixture
def entry(alice, alice_case):
    return log(alice, alice_case)


def test_read_one_contact(alice_api, entry):
    response = alice_api.get(contact_url(entry))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == CONTACT_FIELDS
    assert body["id"] == entry.pk
    assert body["summary"] == entry.summary


def test_correction_writes_an_event_with_old_and_new_and_sets_corrected_at(
    alice_api, alice, alice_case, entry
):
    response = alice_api.patch(
        contact_url(entry), {"external_reference": "GD2026102200118"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["external_reference"] == "GD2026102200118"
    assert body["corrected_at"] is not None
    entry.refresh_from_db()
    assert entry.is_corrected and entry.external_reference == "GD2026102200118"
    event = alice_case.events.get(kind=EventKind.CONTACT_CORRECTED)
    assert event.actor == alice
    assert event.changes["external_reference"] == {
        "old": "GD2026102200117",
        "new": "GD2026102200118",
    }
    assert event.changes["contact"] == {"id": entry.pk}


def test_correction_of_several_fields_and_the_evidence_links(alice_api, alice, alice_case, entry):
    item = attach(alice, alice_case, data=corpus.PDF, name="回执.pdf", kind="correspondence")
    earlier = hours_ago(26).astimezone(SHANGHAI).replace(microsecond=0)

    response = alice_api.patch(
        contact_url(entry),
        {
            "channel": "web_ticket",
            "occurred_at": earlier.isoformat(),
            "evidence": [str(item.pk)],
            "follow_up_on": None,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["channel"] == "web_ticket"
    assert body["evidence"] == [str(item.pk)]
    assert datetime.datetime.fromisoformat(body["occurred_at"]) == earlier
    changes = alice_case.events.get(kind=EventKind.CONTACT_CORRECTED).changes
    assert set(changes) == {"contact", "channel", "occurred_at", "evidence"}


def test_correction_that_changes_nothing_records_nothing(alice_api, alice_case, entry):
    for body in ({}, {"summary": entry.summary}):
        response = alice_api.patch(contact_url(entry), body, format="json")
        assert response.status_code == 200
        assert response.json()["corrected_at"] is None
    assert not alice_case.events.filter(kind=EventKind.CONTACT_CORRECTED).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"logged_by": "bob"}, "logged_by"),
        ({"id": 7}, "id"),
        ({"corrected_at": "2026-10-22T14:30:00+08:00"}, "corrected_at"),
        ({"suggested_status": "decided"}, "suggested_status"),
        ({"summary": ""}, "summary"),
        ({"occurred_at": "2099-01-01T10:00:00+08:00"}, "occurred_at"),
        ({"occurred_at": None}, "occurred_at"),
        ({"external_reference": "R" * 500}, "external_reference"),
        ({"body": "no-such-body"}, "body"),
    ],
)
def test_correction_refuses_other_fields_and_bad_values(alice_api, alice_case, entry, body, field):
    response = alice_api.patch(contact_url(entry), body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    before = ChannelEntry.objects.get(pk=entry.pk)
    assert (before.summary, before.corrected_at) == (entry.summary, None)
    assert not alice_case.events.filter(kind=EventKind.CONTACT_CORRECTED).exists()


def test_correction_to_a_consumer_complaint_is_refused_on_a_merchants_case(
    alice_api, alice_case, entry, samr
):
    response = alice_api.patch(
        contact_url(entry),
        {"channel": "regulator", "body": "12315", "filing_type": "complaint"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "route_not_open"


def test_contacts_are_never_deleted(alice_api, alice_case, entry):
    response = alice_api.delete(contact_url(entry))

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert "PATCH" in response.json()["detail"]
    assert "DELETE" not in response["Allow"] and "PATCH" in response["Allow"]
    assert ChannelEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_405(alice_api, alice_case, method):
    assert getattr(alice_api, method)(list_url(alice_case)).status_code == 405


@pytest.mark.parametrize("suffix", ["not-a-number/", "-1/", "99999999999999999999999/", "0/"])
def test_malformed_or_unknown_ids_are_a_json_404(alice_api, alice_case, entry, suffix):
    response = alice_api.get(list_url(alice_case) + suffix)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_contact_linked_to_a_since_removed_item_can_still_be_corrected(
    alice_api, alice, alice_case
):
    from evidence.services import evidence_remove

    item = attach(alice, alice_case, data=corpus.PDF, name="回执.pdf", kind="correspondence")
    entry = log(alice, alice_case, evidence=[str(item.pk)])
    evidence_remove(actor=alice, item=item, reason="传错了")

    response = alice_api.patch(
        contact_url(entry), {"summary": "客服改口：5 个工作日。"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["evidence"] == [str(item.pk)]
    # A removed item cannot be newly linked, though.
    other = log(alice, alice_case)
    response = alice_api.patch(contact_url(other), {"evidence": [str(item.pk)]}, format="json")
    assert response.status_code == 400


def test_the_api_takes_exactly_the_fields_the_service_corrects():
    assert set(ContactInputSerializer().fields) == set(CORRECTABLE_FIELDS)

"""Logging and correcting contacts through the one service, and the routes open to whom."""

import datetime

import pytest

from cases.choices import EventKind
from cases.services import case_transition
from channels.guidance import routes_for
from channels.models import ChannelEntry, ExternalBody
from channels.selectors import case_history, waiting_for_reply
from channels.services import contact_correct, contact_log
from config.errors import DomainError


@pytest.fixture
def body(db):
    def get(slug, **fields):
        defaults = {"kind": "regulator", "name": slug, "name_zh": slug}
        defaults.update(fields)
        found, _ = ExternalBody.objects.get_or_create(slug=slug, defaults=defaults)
        return found

    return get


@pytest.fixture
def regulator(body):
    return body("12315", consumer_only_filings=["complaint"])


@pytest.fixture
def platform_desk(body):
    return body("douyin_shop", kind="platform", platform="douyin_shop", name_zh="抖店客服")


def _now():
    from django.utils import timezone

    return timezone.now()


def _fields(**overrides):
    fields = {
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": _now() - datetime.timedelta(hours=2),
        "counterpart": "抖店客服",
        "filing_type": "inquiry",
        "external_reference": "GD2026102200117",
        "summary": "客服称保证金退还已转财务审核，3 个工作日内回复。",
    }
    fields.update(overrides)
    return fields


def test_logging_a_contact_stores_it_and_writes_one_event(alice, alice_case, platform_desk):
    logged = contact_log(actor=alice, case=alice_case, **_fields(body="douyin_shop"))

    entry = logged.entry
    assert entry.body == platform_desk
    assert entry.external_reference == "GD2026102200117"
    event = alice_case.events.get(kind=EventKind.CONTACT_LOGGED)
    assert event.actor == alice
    assert event.changes["contact"]["id"] == entry.pk
    assert event.changes["contact"]["body"] == "douyin_shop"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_at": "2099-01-01T10:00:00+08:00"}, "occurred_at"),
        ({"body": "no-such-body"}, "body"),
        ({"external_reference": "R" * 500}, "external_reference"),
        ({"summary": "   "}, "summary"),
        ({"channel": "pigeon"}, "channel"),
        ({"direction": "sideways"}, "direction"),
        ({"filing_type": "prayer"}, "filing_type"),
        ({"follow_up_on": "2026-13-45"}, "follow_up_on"),
        ({"occurred_at": "2026-02-30T10:00:00+08:00"}, "occurred_at"),
        ({"occurred_at": "1999-12-31T10:00:00+08:00"}, "occurred_at"),
        ({"evidence": ["00000000-0000-0000-0000-000000000000"]}, "evidence"),
    ],
)
def test_bad_contact_is_refused_with_the_field_and_nothing_saved(
    alice, alice_case, overrides, field
):
    with pytest.raises(DomainError) as refused:
        contact_log(actor=alice, case=alice_case, **_fields(**overrides))
    assert refused.value.field == field
    assert not ChannelEntry.objects.exists()
    assert not alice_case.events.filter(kind=EventKind.CONTACT_LOGGED).exists()


def test_a_minute_of_clock_skew_is_tolerated(alice, alice_case):
    soon = _now() + datetime.timedelta(seconds=30)
    assert contact_log(actor=alice, case=alice_case, **_fields(occurred_at=soon)).entry.pk


def test_merchant_cannot_file_a_consumer_complaint_and_is_told_what_to_do(
    alice, alice_case, regulator
):
    assert alice_case.party_role == "merchant"
    with pytest.raises(DomainError) as refused:
        contact_log(
            actor=alice,
            case=alice_case,
            **_fields(channel="regulator", body="12315", filing_type="complaint"),
        )
    assert refused.value.code == "route_not_open"
    assert "举报" in refused.value.message
    assert not ChannelEntry.objects.exists()

    # The report (举报) route is open to the merchant.
    report = contact_log(
        actor=alice,
        case=alice_case,
        **_fields(channel="regulator", body="12315", filing_type="report"),
    )
    assert report.entry.filing_type == "report"


def test_consumer_may_complain_to_12315(alice, make_case, regulator):
    case = make_case(alice, kind="purchase_complaint")
    assert case.party_role == "consumer"
    logged = contact_log(
        actor=alice,
        case=case,
        **_fields(channel="regulator", body="12315", filing_type="complaint"),
    )
    assert logged.entry.counterpart == "抖店客服"


def test_a_decision_received_offers_the_move_but_does_not_make_it(alice, alice_case):
    case = alice_case
    for target in ("filed", "in_review"):
        case = case_transition(actor=alice, case=case, to=target)

    logged = contact_log(
        actor=alice, case=case, **_fields(direction="inbound", filing_type="decision_received")
    )

    assert logged.suggested_status == "decided"
    case.refresh_from_db()
    assert case.status == "in_review"


def test_no_suggestion_the_lifecycle_would_refuse(alice, alice_case):
    logged = contact_log(
        actor=alice,
        case=alice_case,
        **_fields(direction="inbound", filing_type="decision_received"),
    )
    assert alice_case.status == "draft"
    assert logged.suggested_status is None


def test_correction_keeps_old_and_new_values(alice, alice_case):
    entry = contact_log(actor=alice, case=alice_case, **_fields()).entry
    contact_correct(actor=alice, entry=entry, external_reference="GD2026102200118")

    entry.refresh_from_db()
    assert entry.external_reference == "GD2026102200118"
    assert entry.is_corrected
    event = alice_case.events.get(kind=EventKind.CONTACT_CORRECTED)
    assert event.changes["external_reference"] == {
        "old": "GD2026102200117",
        "new": "GD2026102200118",
    }


def test_bad_correction_changes_nothing(alice, alice_case):
    entry = contact_log(actor=alice, case=alice_case, **_fields()).entry
    with pytest.raises(DomainError):
        contact_correct(actor=alice, entry=entry, summary="")
    entry.refresh_from_db()
    assert entry.summary.startswith("客服称") and not entry.is_corrected


def test_history_puts_a_contact_at_the_time_it_happened_newest_first(alice, alice_case):
    yesterday = _now() - datetime.timedelta(days=1)
    contact_log(actor=alice, case=alice_case, **_fields(occurred_at=yesterday))
    moved = case_transition(actor=alice, case=alice_case, to="filed")

    history = case_history(case=moved)
    kinds = [
        ("contact" if i.contact else i.event.kind)
        for i in history
        if i.contact or not i.event.kind.startswith("deadline_")
    ]
    # The contact from yesterday, logged just now, sits below both of today's events.
    assert kinds == ["status_changed", "created", "contact"]
    assert [i.at for i in history] == sorted((i.at for i in history), reverse=True)


def test_history_filtered_by_channel_shows_only_that_channel(alice, alice_case):
    contact_log(actor=alice, case=alice_case, **_fields(channel="phone"))
    contact_log(actor=alice, case=alice_case, **_fields(channel="email"))
    history = case_history(case=alice_case, channel="email")
    assert [i.contact.channel for i in history] == ["email"]


def test_waiting_for_reply_after_an_outbound_contact(alice, alice_case):
    three_days_ago = _now() - datetime.timedelta(days=3, hours=1)
    contact_log(actor=alice, case=alice_case, **_fields(occurred_at=three_days_ago))
    waiting = waiting_for_reply(contacts=list(alice_case.contacts.all()))
    assert (waiting.who, waiting.days) == ("抖店客服", 3)

    contact_log(actor=alice, case=alice_case, **_fields(direction="inbound"))
    assert waiting_for_reply(contacts=list(alice_case.contacts.all())) is None


ROUTES = {
    ("merchant", "deposit_refund"): ["platform_appeal", "samr_report", "arbitration_or_court"],
    ("merchant", "store_removal"): ["platform_appeal", "samr_report", "arbitration_or_court"],
    ("creator", "account_ban"): [
        "platform_appeal",
        "samr_report",
        "arbitration_or_court",
        "legal_aid",
    ],
    ("creator", "content_takedown"): [
        "platform_appeal",
        "counter_notice",
        "samr_report",
        "arbitration_or_court",
        "legal_aid",
    ],
    ("consumer", "purchase_complaint"): [
        "platform_intervention",
        "samr_complaint",
        "internet_court",
        "legal_aid",
    ],
}


@pytest.mark.parametrize(("role_kind", "expected"), ROUTES.items(), ids=lambda v: str(v))
def test_routes_follow_who_may_use_which_route(role_kind, expected):
    role, kind = role_kind
    routes = routes_for(party_role=role, kind=kind)
    assert [r.key for r in routes] == expected
    if role != "consumer":
        # A merchant or creator is never pointed at a consumer complaint.
        assert all(r.filing_type != "complaint" for r in routes)

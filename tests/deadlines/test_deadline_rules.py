"""The deadline rules shipped as data match docs/deadline-rules.md and the project's vocabulary."""

import pytest

from cases.choices import CaseKind, FilingType, Platform, Status
from cases.kinds import KINDS
from channels.models import ExternalBody
from deadlines.choices import BreachAction, DeadlineUnit, Trigger, WaitingOn
from deadlines.models import DeadlineRule

pytestmark = pytest.mark.django_db

# docs/deadline-rules.md's table, written out again: the test must not read the data it checks.
DOCUMENTED_KEYS = {
    "platform.first_response.urgent",
    "platform.first_response",
    "platform.decision",
    "seller.reply",
    "appeal.window",
    "deposit.exit_review",
    "deposit.refund_arrival",
    "ecom.counter_notice_wait",
    "consumer.refund_after_return",
    "consumer.no_reason_return",
    "samr.accept_decision",
    "samr.mediation_max",
    "samr.report_verify",
    "odr.firm_negotiation",
    "arbitration.accept",
    "court.filing_decision",
    "court.appeal",
    "legal_aid.decision",
    "civil.limitation",
    "follow_up",
}
STATUTORY = {
    "ecom.counter_notice_wait": "电子商务法 Art 43",
    "consumer.no_reason_return": "消费者权益保护法 Art 25",
    "samr.accept_decision": "Art 14",
    "samr.mediation_max": "Art 21",
    "court.filing_decision": "民事诉讼法 Art 126",
    "court.appeal": "民事诉讼法 Art 171",
    "legal_aid.decision": "法律援助法 Art 43",
    "civil.limitation": "民法典 Art 188",
}


@pytest.fixture
def rules():
    return {rule.key: rule for rule in DeadlineRule.objects.all()}


def test_every_documented_rule_ships(rules):
    assert set(rules) >= DOCUMENTED_KEYS


def test_rules_use_only_known_values(rules):
    bodies = set(ExternalBody.objects.values_list("slug", flat=True))
    for rule in rules.values():
        assert rule.trigger in Trigger.values, rule.key
        assert rule.unit in DeadlineUnit.values, rule.key
        assert rule.waiting_on in WaitingOn.values, rule.key
        assert set(rule.on_breach) <= set(BreachAction.values), rule.key
        assert set(rule.trigger_statuses) <= set(Status.values), rule.key
        assert rule.trigger_filing_type in {"", *FilingType.values}, rule.key
        assert set(rule.trigger_bodies) <= bodies, rule.key
        assert set(rule.case_kinds) <= set(CaseKind.values), rule.key
        assert set(rule.platforms) <= set(Platform.values), rule.key
        assert rule.name and rule.name_zh, rule.key


def test_each_trigger_names_what_it_matches(rules):
    for rule in rules.values():
        if rule.trigger == Trigger.STATUS_ENTERED:
            assert rule.trigger_statuses, rule.key
        elif rule.trigger == Trigger.DETAIL_DATE:
            assert rule.trigger_detail, rule.key
        if rule.trigger_detail:
            # A date every case the rule applies to can have in its details.
            for kind in rule.case_kinds or CaseKind.values:
                assert rule.trigger_detail in KINDS[kind].details_form.base_fields, rule.key


@pytest.mark.parametrize(("key", "source"), STATUTORY.items())
def test_statutory_rules_cite_their_law_and_are_not_secondary(rules, key, source):
    assert source in rules[key].source
    assert not rules[key].secondary


def test_figures_match_the_table(rules):
    expected = {
        "platform.first_response.urgent": (24, "hours"),
        "platform.first_response": (5, "working_days"),
        "platform.decision": (7, "working_days"),
        "seller.reply": (24, "hours"),
        "appeal.window": (15, "natural_days"),
        "samr.accept_decision": (7, "working_days"),
        "samr.mediation_max": (45, "working_days"),
        "samr.report_verify": (15, "working_days"),
        "odr.firm_negotiation": (10, "working_days"),
        "arbitration.accept": (5, "natural_days"),
        "court.filing_decision": (7, "natural_days"),
        "court.appeal": (15, "natural_days"),
        "civil.limitation": (3, "years"),
    }
    for key, figures in expected.items():
        assert (rules[key].duration, rules[key].unit) == figures, key
    assert rules["court.filing_decision"].roll_over and rules["court.appeal"].roll_over
    assert rules["civil.limitation"].warn_before == [90, 30, 7]


def test_every_shipped_rule_warns_before_it_runs_out(rules):
    """Four rules shipped silent (exit review, arbitration, court filing, legal aid): a seller
    heard of them only once they had run out."""
    silent = [key for key, rule in rules.items() if rule.active and not rule.warn_before]
    assert silent == []
    for key in ("deposit.exit_review", "arbitration.accept", "court.filing_decision"):
        assert rules[key].warn_before == [1], key

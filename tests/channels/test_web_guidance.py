"""The next-step guidance on the case page follows "Who may use which route": for every kind of
case and every role, the routes shown are `routes_for`'s, in its order, each with its bodies
(the platform's own desk for "platform"), its source and a button to log that filing."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from cases.choices import CaseKind, PartyRole
from channels.guidance import CAC_NOTE, routes_for

pytestmark = pytest.mark.usefixtures("directory")


def guidance_of(page: str) -> str:
    return page.split('id="guidance"')[1].split("</section>")[0]


def shown_routes(page: str) -> list[str]:
    return re.findall(r'data-route="([a-z_]+)"', guidance_of(page))


@pytest.mark.parametrize("role", PartyRole.values)
@pytest.mark.parametrize("kind", CaseKind.values)
def test_the_routes_shown_are_the_ones_open_to_this_role_in_this_kind(
    web_as, alice, make_case, kind, role
):
    case = make_case(alice, kind=kind, party_role=role)
    page = web_as(alice).get(case.get_absolute_url()).text
    assert shown_routes(page) == [r.key for r in routes_for(party_role=role, kind=kind)]
    assert str(CAC_NOTE) in page.replace("&#x27;", "'")


def test_a_merchant_with_a_held_deposit_is_shown_a_report_and_arbitration_not_a_complaint(
    web_as, alice, alice_case
):
    assert (alice_case.kind, alice_case.party_role) == ("deposit_refund", "merchant")
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    routes = shown_routes(page)
    assert "samr_report" in routes and "arbitration_or_court" in routes
    assert "samr_complaint" not in routes
    guidance = guidance_of(page)
    assert "Report the platform to the market regulator (举报)" in guidance
    assert "Complain to 12315" not in guidance
    # Its bodies link to the directory; "platform" is this case's own desk.
    assert 'href="/bodies/12315/"' in guidance
    assert 'href="/bodies/arbitration/"' in guidance
    assert 'href="/bodies/internet_court_hangzhou/"' in guidance
    assert 'href="/bodies/douyin_shop/"' in guidance
    assert "电子商务法 Art 35, 82" in guidance
    # Each route's button opens the contact form ready for that filing.
    links = re.findall(r'href="(/cases/[^"]+/contacts/new/\?[^"]+)"', guidance)
    prefills = [
        {k: v[0] for k, v in parse_qs(urlsplit(link.replace("&amp;", "&")).query).items()}
        for link in links
    ]
    assert {"filing_type": "report", "body": "12315"} in prefills
    assert {"filing_type": "appeal", "body": "douyin_shop"} in prefills
    assert {"filing_type": "lawsuit", "body": "arbitration"} in prefills


def test_a_consumer_with_a_purchase_complaint_is_shown_the_platform_12315_and_the_court(
    web_as, alice, make_case
):
    case = make_case(alice, kind="purchase_complaint", platform="taobao")
    page = web_as(alice).get(case.get_absolute_url()).text
    assert shown_routes(page)[:3] == ["platform_intervention", "samr_complaint", "internet_court"]
    guidance = guidance_of(page)
    assert 'href="/bodies/taobao/"' in guidance
    assert 'href="/bodies/12315/"' in guidance and 'href="/bodies/12315_odr/"' in guidance
    assert 'href="/bodies/internet_court_beijing/"' in guidance
    assert "filing_type=complaint&amp;body=12315" in guidance
    assert "samr_report" not in shown_routes(page)


def test_tmall_cases_go_to_the_taobao_desk_and_other_platforms_have_none(web_as, alice, make_case):
    tmall = make_case(alice, platform="tmall")
    assert 'href="/bodies/taobao/"' in guidance_of(web_as(alice).get(tmall.get_absolute_url()).text)
    other = make_case(alice, platform="other")
    guidance = guidance_of(web_as(alice).get(other.get_absolute_url()).text)
    first = guidance.split('data-route="platform_appeal"')[1].split("</li>")[0]
    assert "/bodies/" not in first
    assert "filing_type=appeal" in first and "body=" not in first


def test_a_route_already_taken_says_when_with_its_reference(web_as, alice, alice_case, log_contact):
    log_contact(
        alice,
        alice_case,
        channel="regulator",
        body="12315",
        filing_type="report",
        counterpart="",
        external_reference="JB-2026-5531",
        occurred_at=timezone.now(),
    )
    guidance = guidance_of(web_as(alice).get(alice_case.get_absolute_url()).text)
    report = guidance.split('data-route="samr_report"')[1].split("</li>")[0]
    assert "Filed on" in report and "JB-2026-5531" in report
    appeal = guidance.split('data-route="platform_appeal"')[1].split("</li>")[0]
    assert "Filed on" not in appeal


def test_no_guidance_on_a_closed_case(web_as, alice, alice_case):
    from cases.services import case_transition

    case_transition(actor=alice, case=alice_case, to="withdrawn")
    assert 'id="guidance"' not in web_as(alice).get(alice_case.get_absolute_url()).text

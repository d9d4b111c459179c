"""The directory of external bodies ships as data (channels/migrations/0002_external_bodies.py):
every body the guidance names, in both languages, with clocks that are docs/deadline-rules.md's."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.utils import translation

from cases.choices import CaseKind, FilingType, PartyRole, Platform
from channels.admin import deadline_rule_keys
from channels.choices import BodyKind
from channels.guidance import consumer_only_refusal, platform_body_slug, routes_for
from channels.models import ExternalBody
from channels.services import contact_log

pytestmark = pytest.mark.django_db

shipped = importlib.import_module("channels.migrations.0002_external_bodies")

# The "key" column of the rules table in docs/deadline-rules.md.
RULE_KEYS = {
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

PLATFORM_DESKS = {
    "douyin",
    "douyin_shop",
    "kuaishou",
    "taobao",
    "pinduoduo",
    "jd",
    "xiaohongshu",
    "wechat_shop",
    "tiktok_shop",
    "amazon",
}
OTHER_BODIES = {
    "12315": BodyKind.REGULATOR,
    "12315_odr": BodyKind.REGULATOR,
    "12345": BodyKind.HOTLINE,
    "consumer_association": BodyKind.CONSUMER_ASSOCIATION,
    "12377": BodyKind.CYBERSPACE,
    "arbitration": BodyKind.ARBITRATION,
    "internet_court_beijing": BodyKind.COURT,
    "internet_court_hangzhou": BodyKind.COURT,
    "internet_court_guangzhou": BodyKind.COURT,
    "12348": BodyKind.LEGAL_AID,
}
# National hotlines: the only phone numbers the directory may ship.
HOTLINES = {"12315", "12345", "12377", "12348"}


@pytest.fixture
def bodies():
    return {body.slug: body for body in ExternalBody.objects.all()}


def test_every_body_is_shipped_with_its_kind(bodies):
    assert set(bodies) == PLATFORM_DESKS | set(OTHER_BODIES)
    for slug in PLATFORM_DESKS:
        assert (bodies[slug].kind, bodies[slug].platform) == (BodyKind.PLATFORM, slug)
    for slug, kind in OTHER_BODIES.items():
        assert (bodies[slug].kind, bodies[slug].platform) == (kind, ""), slug
    assert all(body.active for body in bodies.values())
    assert {body.kind for body in bodies.values()} <= set(BodyKind.values)


def test_texts_are_in_english_and_chinese(bodies):
    for body in bodies.values():
        for field in ("name", "how_to_file", "reference_hint", "clock"):
            english, chinese = getattr(body, field), getattr(body, f"{field}_zh")
            assert english.strip() and chinese.strip(), (body.slug, field)
            assert english != chinese, (body.slug, field)
            # The Chinese text is Chinese, not English left untranslated.
            assert any("\u4e00" <= char <= "\u9fff" for char in chinese), (body.slug, field)
        assert body.source.strip(), body.slug


def test_the_shown_text_follows_the_language(bodies):
    body = bodies["12315"]
    with translation.override("zh-hans"):
        assert body.display_name == body.name_zh
        assert body.display_clock == body.clock_zh
    with translation.override("en"):
        assert body.display_name == body.name
        assert body.display_reference_hint == body.reference_hint


def test_rule_keys_are_those_of_deadline_rules(bodies):
    for body in bodies.values():
        assert isinstance(body.rule_keys, list)
        assert set(body.rule_keys) <= RULE_KEYS, body.slug
    assert set(bodies["12315"].rule_keys) == {
        "samr.accept_decision",
        "samr.mediation_max",
        "samr.report_verify",
    }
    assert bodies["12315_odr"].rule_keys == ["odr.firm_negotiation"]
    assert bodies["arbitration"].rule_keys == ["arbitration.accept"]
    assert bodies["12348"].rule_keys == ["legal_aid.decision"]
    for slug in ("internet_court_beijing", "internet_court_hangzhou", "internet_court_guangzhou"):
        assert set(bodies[slug].rule_keys) == {"court.filing_decision", "court.appeal"}
    assert "deposit.exit_review" in bodies["douyin_shop"].rule_keys
    for slug in PLATFORM_DESKS:
        assert {"platform.first_response", "platform.decision", "appeal.window"} <= set(
            bodies[slug].rule_keys
        ), slug


def test_every_documented_rule_is_one_the_admin_accepts():
    # The admin reads the shipped rules; each key of docs/deadline-rules.md is among them.
    assert set(deadline_rule_keys()) >= RULE_KEYS


def test_clocks_cite_their_source(bodies):
    assert "Art 14" in bodies["12315"].clock and "第十四条" in bodies["12315"].clock_zh
    assert "Art 24" in bodies["arbitration"].clock
    assert "Art 126" in bodies["internet_court_hangzhou"].clock
    assert "Art 43" in bodies["12348"].clock
    # Platform figures are not law and say so.
    assert "secondary" in bodies["douyin_shop"].clock
    assert "secondary" in bodies["tiktok_shop"].source


def test_consumer_only_filings_are_filing_types(bodies):
    for body in bodies.values():
        assert set(body.consumer_only_filings) <= set(FilingType.values), body.slug
    consumer_only = {slug for slug, body in bodies.items() if body.consumer_only_filings}
    assert consumer_only == {"12315", "12315_odr", "consumer_association"}
    assert bodies["12315"].consumer_only_filings == [FilingType.COMPLAINT]


def test_addresses_are_https_and_phones_only_national_hotlines(bodies):
    for body in bodies.values():
        assert body.url == "" or body.url.startswith("https://"), body.slug
        assert body.phone == "" or body.phone in HOTLINES, body.slug
    assert (bodies["12315"].url, bodies["12315"].phone) == ("https://www.12315.cn", "12315")
    assert (bodies["12377"].url, bodies["12377"].phone) == ("https://www.12377.cn", "12377")
    assert bodies["12348"].phone == "12348"
    assert bodies["internet_court_beijing"].url == "https://www.bjinternetcourt.gov.cn"
    assert bodies["internet_court_hangzhou"].url == "https://www.netcourt.gov.cn"
    assert bodies["internet_court_guangzhou"].url == "https://www.gzinternetcourt.gov.cn"


def test_every_platform_has_its_desk_tmall_sharing_taobaos(bodies):
    for platform in Platform:
        if platform == Platform.OTHER:
            assert platform_body_slug(platform) is None
            continue
        slug = platform_body_slug(platform)
        assert slug in bodies, platform
        assert bodies[slug].kind == BodyKind.PLATFORM
    assert platform_body_slug(Platform.TMALL) == "taobao"


def test_every_body_the_guidance_names_exists(bodies):
    named = set()
    for role in PartyRole:
        for kind in CaseKind:
            for route in routes_for(party_role=role, kind=kind):
                named.update(route.bodies)
    assert "platform" in named
    named.discard("platform")
    assert named <= set(bodies)
    assert {"12315", "12315_odr", "consumer_association", "arbitration", "12348"} <= named


def test_a_merchant_is_refused_a_12315_complaint_but_may_report(bodies, alice, alice_case):
    twelve315 = bodies["12315"]
    assert alice_case.party_role == PartyRole.MERCHANT
    assert consumer_only_refusal(
        party_role=alice_case.party_role, body=twelve315, filing_type=FilingType.COMPLAINT
    )
    assert (
        consumer_only_refusal(
            party_role=alice_case.party_role, body=twelve315, filing_type=FilingType.REPORT
        )
        is None
    )
    assert (
        consumer_only_refusal(
            party_role=PartyRole.CONSUMER, body=twelve315, filing_type=FilingType.COMPLAINT
        )
        is None
    )


def test_shipping_again_restores_the_texts_keeps_staffs_switch_and_adds_nothing(bodies):
    ExternalBody.objects.filter(slug="12315").update(name_zh="改过的名字", active=False)
    count = ExternalBody.objects.count()

    shipped.ship_bodies(global_apps, None)

    assert ExternalBody.objects.count() == count
    restored = ExternalBody.objects.get(slug="12315")
    assert restored.name_zh == bodies["12315"].name_zh
    assert not restored.active  # switching a body off is staff's call, not the data's


def test_unshipping_keeps_bodies_that_contacts_point_to(alice, alice_case):
    contact_log(
        actor=alice,
        case=alice_case,
        channel="phone",
        direction="outbound",
        occurred_at=alice_case.created_at,
        body="douyin_shop",
        filing_type="inquiry",
        summary="电话询问保证金退还进度。",
    )
    ExternalBody.objects.create(slug="local_desk", kind="hotline", name="Local", name_zh="本地")

    shipped.remove_bodies(global_apps, None)

    assert set(ExternalBody.objects.values_list("slug", flat=True)) == {
        "douyin_shop",
        "local_desk",
    }

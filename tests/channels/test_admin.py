"""Staff keep the directory of bodies current in the admin; the contact log there is read-only."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from channels.models import ChannelEntry, ExternalBody
from channels.services import contact_log

pytestmark = pytest.mark.django_db


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on), in
    English unless a test asks otherwise (the messages checked are the English ones)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def admin_client(make_user):
    client = HttpsClient()
    root = make_user("root", role="staff", is_superuser=True, is_staff=True)
    client.force_login(root)
    return client


def _form_data(body: ExternalBody, **overrides) -> dict:
    data = {
        "kind": body.kind,
        "platform": body.platform,
        "name": body.name,
        "name_zh": body.name_zh,
        "how_to_file": body.how_to_file,
        "how_to_file_zh": body.how_to_file_zh,
        "reference_hint": body.reference_hint,
        "reference_hint_zh": body.reference_hint_zh,
        "clock": body.clock,
        "clock_zh": body.clock_zh,
        "rule_keys": ", ".join(body.rule_keys),
        "consumer_only_filings": ", ".join(body.consumer_only_filings),
        "url": body.url,
        "phone": body.phone,
        "source": body.source,
        "sort_order": body.sort_order,
        "active": "on" if body.active else "",
    }
    data.update(overrides)
    return data


def _change_url(body):
    return reverse("admin:channels_externalbody_change", args=[body.pk])


@pytest.fixture
def twelve315():
    return ExternalBody.objects.get(slug="12315")


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", "全国 12315 平台"),
        ("?kind__exact=court", "杭州互联网法院"),
        ("?platform__exact=douyin_shop", "抖店商家客服"),
        ("?active__exact=1", "12348"),
        ("?q=12315", "全国 12315 平台"),
    ],
)
def test_body_changelist_loads_with_filters_and_search(admin_client, query, shown):
    response = admin_client.get(reverse("admin:channels_externalbody_changelist") + query)
    assert response.status_code == 200
    assert shown in response.text


def test_body_change_form_shows_the_lists_as_comma_separated_text(admin_client, twelve315):
    response = admin_client.get(_change_url(twelve315))
    assert response.status_code == 200
    assert 'value="samr.accept_decision, samr.mediation_max, samr.report_verify"' in (response.text)
    assert 'value="complaint"' in response.text
    assert 'name="slug"' not in response.text  # the slug is fixed once the body exists


def test_staff_edit_a_body_with_commas_a_json_list_or_full_width_commas(admin_client, twelve315):
    response = admin_client.post(
        _change_url(twelve315),
        _form_data(
            twelve315,
            clock_zh="市场监管部门 7 个工作日内决定是否受理。",
            rule_keys="samr.accept_decision，samr.report_verify",
            consumer_only_filings='["complaint", "complaint"]',
        ),
    )
    assert response.status_code == 302, response.text
    twelve315.refresh_from_db()
    assert twelve315.clock_zh == "市场监管部门 7 个工作日内决定是否受理。"
    assert twelve315.rule_keys == ["samr.accept_decision", "samr.report_verify"]
    assert twelve315.consumer_only_filings == ["complaint"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rule_keys", "samr.accept_decision, samr.acept_decision", "samr.acept_decision"),
        ("consumer_only_filings", "complaint, grievance", "grievance"),
        ("rule_keys", '["samr.accept_decision", 7]', "JSON list"),
        ("rule_keys", "[not json", "JSON list"),
    ],
)
def test_unknown_rule_keys_and_filing_types_are_refused(
    admin_client, twelve315, field, value, message
):
    before = (twelve315.rule_keys, twelve315.consumer_only_filings)

    response = admin_client.post(_change_url(twelve315), _form_data(twelve315, **{field: value}))

    assert response.status_code == 200
    assert message in response.text
    assert "errorlist" in response.text
    twelve315.refresh_from_db()
    assert (twelve315.rule_keys, twelve315.consumer_only_filings) == before


def test_a_platform_desk_must_name_its_platform_and_only_it(admin_client, twelve315):
    douyin = ExternalBody.objects.get(slug="douyin")
    response = admin_client.post(_change_url(douyin), _form_data(douyin, platform=""))
    assert response.status_code == 200
    assert "errorlist" in response.text

    response = admin_client.post(_change_url(twelve315), _form_data(twelve315, platform="jd"))
    assert response.status_code == 200
    assert "errorlist" in response.text


def test_staff_add_a_body(admin_client):
    blank = ExternalBody(kind="hotline", name="Shenzhen 12345", name_zh="深圳 12345")
    response = admin_client.post(
        reverse("admin:channels_externalbody_add"),
        _form_data(blank, slug="shenzhen_12345", rule_keys="", consumer_only_filings=""),
    )
    assert response.status_code == 302, response.text
    added = ExternalBody.objects.get(slug="shenzhen_12345")
    assert (added.rule_keys, added.consumer_only_filings, added.active) == ([], [], True)


# --- Contacts -------------------------------------------------------------------------------


@pytest.fixture
def contacts(alice, bob, alice_case, make_case):
    when = timezone.now() - datetime.timedelta(hours=3)
    first = contact_log(
        actor=alice,
        case=alice_case,
        channel="phone",
        direction="outbound",
        occurred_at=when,
        body="douyin_shop",
        counterpart="抖店客服（工号 8812）",
        filing_type="follow_up",
        external_reference="GD2026102200117",
        summary="电话催办保证金退还，客服称 3 个工作日内回电。",
    ).entry
    bob_case = make_case(bob, title="快手保证金不退")
    others = [
        contact_log(
            actor=bob,
            case=bob_case,
            channel="in_app",
            direction="outbound",
            occurred_at=when,
            body="kuaishou",
            filing_type="inquiry",
            external_reference=f"KS-{n:04d}",
            summary="在线咨询。",
        ).entry
        for n in range(5)
    ]
    return first, others


def test_contact_changelist_searches_reference_numbers_and_cases(
    admin_client, contacts, django_assert_max_num_queries
):
    first, others = contacts
    url = reverse("admin:channels_channelentry_changelist")

    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert first.case.reference in response.text
    assert reverse("admin:cases_case_change", args=[first.case_id]) in response.text

    found = admin_client.get(url, {"q": "GD2026102200117"}).text
    assert "GD2026102200117" in found and "KS-0001" not in found
    found = admin_client.get(url, {"q": others[0].case.reference}).text
    assert "KS-0003" in found and "GD2026102200117" not in found
    for query in ("?channel__exact=phone", "?filing_type__exact=inquiry", "?q=抖店"):
        assert admin_client.get(url + query).status_code == 200


def test_contacts_are_read_only_in_the_admin(admin_client, contacts):
    first, _others = contacts
    url = reverse("admin:channels_channelentry_change", args=[first.pk])

    response = admin_client.get(url)
    assert response.status_code == 200
    assert "电话催办保证金退还" in response.text
    assert 'name="summary"' not in response.text

    admin_client.post(url, {"summary": "改掉"})
    first.refresh_from_db()
    assert first.summary.startswith("电话催办")
    assert admin_client.get(reverse("admin:channels_channelentry_add")).status_code == 403
    delete = reverse("admin:channels_channelentry_delete", args=[first.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ChannelEntry.objects.filter(pk=first.pk).exists()

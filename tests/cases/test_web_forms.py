"""What the case pages do with bad input: show an error, keep what was typed, save nothing.
And how they show what is stored: labels, money, time zones, escaping."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent
from cases.templatetags.cases import money


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on).
    In English unless a test asks otherwise: these tests read the English messages (the
    default language is Chinese; tests/test_translations.py covers the catalogue)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


NEW_DEPOSIT = reverse("cases:new_kind", kwargs={"kind": "deposit_refund"})


def payload(**overrides):
    data = {
        "title": "抖店退店后保证金未退",
        "platform": "douyin_shop",
        "platform_account": "娜娜家居旗舰店",
        "party_role": "merchant",
        "priority": "normal",
        "description": "九月申请退店，至今未退。",
        "amount_claimed": "2000",
        "platform_reference": "TK2026",
        "details-store_id": "DS-88231",
        "details-deposit_amount": "2000.00",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- New case ------------------------------------------------------------------------------


def test_kind_picker_lists_every_kind_with_its_summary(as_alice):
    page = as_alice.get(reverse("cases:new")).text
    for kind in ("deposit_refund", "store_removal", "account_ban", "content_takedown"):
        assert reverse("cases:new_kind", kwargs={"kind": kind}) in page
    assert "保证金" in page  # from the deposit refund summary


def test_unknown_kind_is_404(as_alice):
    assert as_alice.get("/cases/new/parking_ticket/").status_code == 404
    assert as_alice.post("/cases/new/parking_ticket/", payload()).status_code == 404
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("deposit_refund", "merchant"),
        ("account_ban", "creator"),
        ("purchase_complaint", "consumer"),
    ],
)
def test_party_role_defaults_by_kind(as_alice, kind, role):
    response = as_alice.get(reverse("cases:new_kind", kwargs={"kind": kind}))
    form = response.context["form"]
    assert form["party_role"].value() == role


def test_missing_required_detail_keeps_what_was_typed(as_alice):
    response = as_alice.post(NEW_DEPOSIT, payload(**{"details-deposit_amount": None}))
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert response.context["details"].errors["deposit_amount"]
    page = response.text
    assert 'value="抖店退店后保证金未退"' in page
    assert 'value="DS-88231"' in page
    assert "九月申请退店，至今未退。" in page
    assert "The case was not saved." in page


def test_negative_amount_is_refused(as_alice):
    response = as_alice.post(NEW_DEPOSIT, payload(amount_claimed="-5"))
    assert response.status_code == 400
    assert response.context["form"].errors["amount_claimed"]
    assert not Case.objects.exists()


def test_negative_detail_amount_is_refused(as_alice):
    response = as_alice.post(NEW_DEPOSIT, payload(**{"details-deposit_amount": "-2000"}))
    assert response.status_code == 400
    assert response.context["details"].errors["deposit_amount"]
    assert not Case.objects.exists()


def test_ten_thousand_character_title_is_refused_and_kept(as_alice):
    title = "长" * 10_000
    response = as_alice.post(NEW_DEPOSIT, payload(title=title))
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert title in response.text
    assert not Case.objects.exists()


def test_unknown_platform_is_refused(as_alice):
    response = as_alice.post(NEW_DEPOSIT, payload(platform="myspace"))
    assert response.status_code == 400
    assert response.context["form"].errors["platform"]
    assert not Case.objects.exists()


def test_future_date_in_details_is_refused(as_alice):
    response = as_alice.post(NEW_DEPOSIT, payload(**{"details-store_closed_on": "2999-01-01"}))
    assert response.status_code == 400
    assert response.context["details"].errors["store_closed_on"]


def test_a_services_refusal_is_shown_on_the_form(as_alice, monkeypatch):
    """A rule only the service knows (here a stand-in) shows as a form error, not a 500."""

    def refuse(**kwargs):
        raise services.DomainError(
            "Store ID: not on this platform.",
            field="details.store_id",
            errors={"details.store_id": ["Not on this platform."]},
        )

    monkeypatch.setattr("cases.views.case_create", refuse)
    response = as_alice.post(NEW_DEPOSIT, payload())
    assert response.status_code == 400
    assert response.context["details"].errors["store_id"] == ["Not on this platform."]
    assert 'value="抖店退店后保证金未退"' in response.text


def test_a_service_error_without_a_field_is_shown_above_the_form(as_alice, monkeypatch):
    def refuse(**kwargs):
        raise services.DomainError("Too many cases today.")

    monkeypatch.setattr("cases.views.case_create", refuse)
    response = as_alice.post(NEW_DEPOSIT, payload())
    assert response.status_code == 400
    assert "Too many cases today." in response.text


# --- Escaping ------------------------------------------------------------------------------


def test_script_in_a_title_is_escaped_everywhere(as_alice, alice, make_case):
    case = make_case(alice, title="<script>alert(1)</script>", description="<b>x</b>")
    services.case_add_note(actor=alice, case=case, note="<img src=x onerror=alert(1)>")
    for url in (
        reverse("cases:dashboard"),
        reverse("cases:list"),
        case.get_absolute_url(),
        reverse("cases:edit", kwargs={"reference": case.reference}),
    ):
        page = as_alice.get(url).text
        assert "<script>alert(1)</script>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    page = as_alice.get(case.get_absolute_url()).text
    assert "<img src=x" not in page
    assert "<b>x</b>" not in page


# --- Moving a case -------------------------------------------------------------------------


def transition(client, case, **data):
    return client.post(reverse("cases:transition", kwargs={"reference": case.reference}), data)


def test_case_page_offers_the_allowed_next_steps(as_alice, alice_case):
    page = as_alice.get(alice_case.get_absolute_url())
    buttons = [t["value"] for t in page.context["targets"]]
    assert buttons == ["filed", "withdrawn"]
    assert not page.context["can_resolve"]
    assert 'name="to" value="filed"' in page.text


def test_illegal_transition_shows_a_message_and_keeps_the_note(as_alice, alice_case):
    response = transition(as_alice, alice_case, to="resolved", outcome="won", note="我的备注")
    assert response.status_code == 409
    assert "cannot move" in response.text
    assert "我的备注" in response.text
    alice_case.refresh_from_db()
    assert alice_case.status == Status.DRAFT
    assert alice_case.events.count() == 1


def test_stale_page_shows_a_message_and_the_current_state(as_alice, alice, alice_case):
    """Two tabs: the case was filed in one; the other still offers "filed"."""
    services.case_transition(actor=alice, case=alice_case, to="filed")
    response = transition(
        as_alice, alice_case, to="filed", note="第二个标签页", seen_status="draft"
    )
    assert response.status_code == 409
    assert "cannot move" in response.text
    assert "Someone moved this case to “Filed” after you opened the page." in response.text
    assert "第二个标签页" in response.text
    assert [t["value"] for t in response.context["targets"]] == [
        "in_review",
        "info_requested",
        "escalated",
        "withdrawn",
    ]
    # "Decided" asks what was decided, in a form of its own.
    assert response.context["can_decide"]
    assert alice_case.events.filter(kind=EventKind.STATUS_CHANGED).count() == 1


def test_unknown_target_status_is_a_form_error(as_alice, alice_case):
    response = transition(as_alice, alice_case, to="teleported")
    assert response.status_code == 400
    assert response.context["transition_form"].errors["to"]
    assert alice_case.events.count() == 1


def test_resolving_asks_for_the_outcome(as_alice, alice, alice_case):
    for to in ("filed", "decided"):
        services.case_transition(
            actor=alice,
            case=alice_case,
            to=to,
            decision_result="granted" if to == "decided" else None,
        )
    page = as_alice.get(alice_case.get_absolute_url())
    assert page.context["can_resolve"]
    assert 'name="outcome"' in page.text

    response = transition(as_alice, alice_case, to="resolved", amount_recovered="1500", note="退了")
    assert response.status_code == 400
    form = response.context["resolve_form"]
    assert form.errors["outcome"]
    assert form["amount_recovered"].value() == "1500"
    assert response.context["resolving"]
    alice_case.refresh_from_db()
    assert alice_case.status == Status.DECIDED

    response = transition(
        as_alice, alice_case, to="resolved", outcome="partly_won", amount_recovered="1500"
    )
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert (alice_case.status, alice_case.outcome) == ("resolved", "partly_won")
    assert str(alice_case.amount_recovered) == "1500.00"
    page = as_alice.get(alice_case.get_absolute_url()).text
    assert "¥1,500.00" in page


def test_negative_amount_recovered_is_refused(as_alice, alice, alice_case):
    for to in ("filed", "decided"):
        services.case_transition(
            actor=alice,
            case=alice_case,
            to=to,
            decision_result="granted" if to == "decided" else None,
        )
    response = transition(as_alice, alice_case, to="resolved", outcome="won", amount_recovered="-1")
    assert response.status_code == 400
    alice_case.refresh_from_db()
    assert alice_case.status == Status.DECIDED


def test_seller_cannot_reopen_a_resolved_case_but_staff_can(client, alice, carol, alice_case):
    for to in ("filed", "decided"):
        services.case_transition(
            actor=alice,
            case=alice_case,
            to=to,
            decision_result="granted" if to == "decided" else None,
        )
    services.case_transition(actor=alice, case=alice_case, to="resolved", outcome="lost")
    client.force_login(alice)
    assert client.get(alice_case.get_absolute_url()).context["targets"] == []
    assert transition(client, alice_case, to="in_review").status_code == 409
    client.force_login(carol)
    assert [t["value"] for t in client.get(alice_case.get_absolute_url()).context["targets"]] == [
        "in_review"
    ]
    assert transition(client, alice_case, to="in_review").status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.status == Status.IN_REVIEW


def test_too_long_note_is_refused_and_kept(as_alice, alice_case):
    note = "备" * (services.NOTE_MAX_LENGTH + 1)
    response = transition(as_alice, alice_case, to="filed", note=note)
    assert response.status_code == 400
    assert note in response.text
    alice_case.refresh_from_db()
    assert alice_case.status == Status.DRAFT


# --- Notes ---------------------------------------------------------------------------------


def test_empty_note_is_refused(as_alice, alice_case):
    url = reverse("cases:note", kwargs={"reference": alice_case.reference})
    response = as_alice.post(url, {"note": "   "})
    assert response.status_code == 400
    assert response.context["note_form"].errors["note"]
    assert not alice_case.events.filter(kind=EventKind.NOTE).exists()


# --- Editing -------------------------------------------------------------------------------


def edit_url(case):
    return reverse("cases:edit", kwargs={"reference": case.reference})


def edit_payload(case, **overrides):
    data = {
        "title": case.title,
        "platform": case.platform,
        "platform_account": case.platform_account,
        "party_role": case.party_role,
        "priority": case.priority,
        "description": case.description,
        "amount_claimed": "",
        "amount_recovered": "",
        "currency": case.currency,
        "platform_reference": case.platform_reference,
        **{f"details-{k}": v for k, v in case.details.items()},
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_edit_form_starts_from_the_case(as_alice, alice_case):
    response = as_alice.get(edit_url(alice_case))
    assert response.context["form"]["title"].value() == "抖店保证金迟迟不退"
    assert response.context["details"]["store_id"].value() == "DS-88231"
    assert 'value="DS-88231"' in response.text


def test_edit_shows_old_and_new_values_in_the_timeline(as_alice, alice_case):
    response = as_alice.post(
        edit_url(alice_case),
        edit_payload(
            alice_case,
            platform="taobao",
            amount_claimed="2500",
            **{"details-deposit_amount": "2500.00", "details-store_closed_on": "2026-09-30"},
        ),
    )
    assert response.status_code == 302
    event = alice_case.events.get(kind=EventKind.FIELDS_CHANGED)
    assert event.changes["platform"] == {"old": "douyin_shop", "new": "taobao"}
    page = as_alice.get(alice_case.get_absolute_url()).text
    # Labels, not stored values; money as ¥; each changed detail on its own.
    assert "Douyin shop" in page
    assert "Taobao" in page
    assert "¥2,500.00" in page
    assert "¥2,000.00" in page
    assert "2026-09-30" in page


def test_saving_an_untouched_edit_form_writes_no_event(as_alice, alice, make_case):
    case = make_case(alice, description="第一行\n第二行", amount_claimed="2000")
    # Browsers send a textarea's line breaks as CRLF.
    data = edit_payload(case, description="第一行\r\n第二行", amount_claimed="2000.00")
    response = as_alice.post(edit_url(case), data, follow=True)
    assert not case.events.filter(kind=EventKind.FIELDS_CHANGED).exists()
    assert "Nothing to save" in response.content.decode()
    assert "Changes saved." not in response.content.decode()


def test_edit_with_bad_input_saves_nothing_and_keeps_the_input(as_alice, alice_case):
    response = as_alice.post(
        edit_url(alice_case),
        edit_payload(alice_case, title="新标题", amount_recovered="-3", **{"details-store_id": ""}),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["amount_recovered"]
    assert response.context["details"].errors["store_id"]
    assert 'value="新标题"' in response.text
    alice_case.refresh_from_db()
    assert alice_case.title == "抖店保证金迟迟不退"
    assert not alice_case.events.filter(kind=EventKind.FIELDS_CHANGED).exists()


def test_edit_of_currency_shows_money_by_its_code(as_alice, alice_case):
    as_alice.post(
        edit_url(alice_case), edit_payload(alice_case, currency="usd", amount_claimed="99")
    )
    alice_case.refresh_from_db()
    assert alice_case.currency == "USD"
    assert "USD\u00a099.00" in as_alice.get(alice_case.get_absolute_url()).text


def test_edit_with_a_bad_currency_is_refused(as_alice, alice_case):
    response = as_alice.post(edit_url(alice_case), edit_payload(alice_case, currency="¥¥¥"))
    assert response.status_code == 400
    assert response.context["form"].errors["currency"]


# --- List filters --------------------------------------------------------------------------


def test_list_filters_by_status_kind_platform_and_priority(as_alice, alice, make_case):
    make_case(alice, title="抖店押金", priority="urgent")
    make_case(alice, kind="account_ban", platform="kuaishou", title="快手封号")
    list_url = reverse("cases:list")
    page = as_alice.get(list_url, {"kind": "account_ban"}).text
    assert "快手封号" in page and "抖店押金" not in page
    page = as_alice.get(list_url, {"platform": "douyin_shop", "priority": "urgent"}).text
    assert "抖店押金" in page and "快手封号" not in page
    page = as_alice.get(list_url, {"status": "filed"}).text
    assert "抖店押金" not in page and "快手封号" not in page


def test_invalid_filter_shows_the_error_not_a_500(as_alice, alice, make_case):
    make_case(alice, title="抖店押金")
    response = as_alice.get(reverse("cases:list"), {"status": "bogus", "kind": "deposit_refund"})
    assert response.status_code == 400
    assert response.context["form"].errors["status"]
    assert "抖店押金" in response.text  # the valid filter still applies


def test_list_paginates_and_keeps_the_filters(as_alice, alice, make_case):
    for n in range(27):
        make_case(alice, title=f"案件 {n}")
    response = as_alice.get(reverse("cases:list"), {"kind": "deposit_refund"})
    assert len(response.context["page"].object_list) == 25
    assert "?kind=deposit_refund&amp;page=2" in response.text
    response = as_alice.get(reverse("cases:list"), {"kind": "deposit_refund", "page": "2"})
    assert len(response.context["page"].object_list) == 2
    # A page number out of range or not a number shows a page, not an error.
    assert as_alice.get(reverse("cases:list"), {"page": "99"}).status_code == 200
    assert as_alice.get(reverse("cases:list"), {"page": "x"}).status_code == 200


# --- Dashboard -----------------------------------------------------------------------------


def test_staff_dashboard_puts_urgent_first_then_newest(client, carol, alice, bob, make_case):
    old_urgent = make_case(alice, title="旧的紧急案件", priority="urgent")
    new_normal = make_case(bob, title="新的普通案件")
    newest_urgent = make_case(bob, title="最新紧急案件", priority="urgent")
    client.force_login(carol)
    cases = list(client.get(reverse("cases:dashboard")).context["cases"])
    assert cases == [newest_urgent, old_urgent, new_normal]


def test_dashboard_counts_cases_by_status(as_alice, alice, make_case):
    make_case(alice)
    filed = make_case(alice)
    services.case_transition(actor=alice, case=filed, to="filed")
    counts = {c["status"]: c["count"] for c in as_alice.get("/").context["status_counts"]}
    assert counts == {"draft": 1, "filed": 1}


def test_new_seller_sees_how_to_start(as_alice):
    page = as_alice.get("/").text
    assert reverse("cases:new") in page
    assert "No cases yet" in page


# --- Time zones ----------------------------------------------------------------------------


def test_times_are_shown_in_the_users_time_zone(client, make_user, make_case):
    dana = make_user("dana", time_zone="America/New_York")
    case = make_case(dana)
    at = datetime.datetime(2026, 10, 1, 2, 30, tzinfo=datetime.UTC)
    CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor=dana, note="x", created_at=at)
    client.force_login(dana)
    page = client.get(case.get_absolute_url()).text
    assert "2026-09-30 22:30" in page  # New York, UTC-4 in October
    dana.time_zone = "Asia/Shanghai"
    dana.save()
    assert "2026-10-01 10:30" in client.get(case.get_absolute_url()).text


# --- Money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (Decimal("1234.5"), "CNY", "¥1,234.50"),
        ("2000.00", None, "¥2,000.00"),
        (Decimal("0"), "cny", "¥0.00"),
        (Decimal("99"), "USD", "USD\u00a099.00"),
        (None, "CNY", "—"),
        ("", "CNY", "—"),
    ],
)
def test_money_is_shown_in_yuan_or_by_currency_code(value, currency, shown):
    assert money(value, currency) == shown

"""Who may open and post to every case page: the owner and staff; another seller gets 404, as
if the case did not exist; an anonymous visitor goes to the login page."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.choices import EventKind, Status
from cases.models import Case, CaseEvent


class HttpsClient(Client):
    """Every request over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


@pytest.fixture
def client():
    return HttpsClient()


CASE_PAGES = ["cases:detail", "cases:edit"]
PAGES = ["cases:dashboard", "cases:list", "cases:new"]


def case_url(name, case):
    return reverse(name, kwargs={"reference": case.reference})


# --- Pages that are not about one case ----------------------------------------------------


@pytest.mark.parametrize("name", [*PAGES, "cases:new_kind"])
def test_anonymous_visitor_is_sent_to_login(client, db, name):
    url = reverse(name, kwargs={"kind": "deposit_refund"} if name == "cases:new_kind" else None)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("name", PAGES)
def test_seller_opens_the_general_pages(client, alice, name):
    client.force_login(alice)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("kind", ["deposit_refund", "account_ban", "purchase_complaint"])
def test_seller_opens_the_form_of_each_kind(client, alice, kind):
    client.force_login(alice)
    response = client.get(reverse("cases:new_kind", kwargs={"kind": kind}))
    assert response.status_code == 200
    assert 'name="details-' in response.text


def test_seller_lists_only_their_own_cases(client, alice, bob, make_case):
    make_case(alice, title="Alice 的保证金")
    make_case(bob, title="Bob 的店铺")
    client.force_login(alice)
    for name in ("cases:dashboard", "cases:list"):
        page = client.get(reverse(name)).text
        assert "Alice 的保证金" in page
        assert "Bob 的店铺" not in page


def test_staff_lists_every_sellers_cases(client, alice, bob, carol, make_case):
    make_case(alice, title="Alice 的保证金")
    make_case(bob, title="Bob 的店铺")
    client.force_login(carol)
    for name in ("cases:dashboard", "cases:list"):
        page = client.get(reverse(name)).text
        assert "Alice 的保证金" in page
        assert "Bob 的店铺" in page


# --- One case's pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", CASE_PAGES)
def test_owner_opens_their_case(client, alice, alice_case, name):
    client.force_login(alice)
    response = client.get(case_url(name, alice_case))
    assert response.status_code == 200
    assert alice_case.reference in response.text


@pytest.mark.parametrize("name", CASE_PAGES)
def test_staff_opens_any_case(client, carol, alice_case, name):
    client.force_login(carol)
    assert client.get(case_url(name, alice_case)).status_code == 200


@pytest.mark.parametrize("name", CASE_PAGES)
def test_other_seller_gets_404(client, bob, alice_case, name):
    client.force_login(bob)
    assert client.get(case_url(name, alice_case)).status_code == 404


@pytest.mark.parametrize("name", CASE_PAGES)
def test_missing_case_is_404_like_someone_elses(client, alice, name):
    client.force_login(alice)
    assert client.get(reverse(name, kwargs={"reference": "RC-2026-999999"})).status_code == 404


@pytest.mark.parametrize("name", CASE_PAGES)
def test_anonymous_visitor_of_a_case_is_sent_to_login(client, alice_case, name):
    url = case_url(name, alice_case)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Posting: transition, note, edit, create ---------------------------------------------


def post_transition(client, case, to="filed", note="已在抖店后台提交退保证金申请"):
    return client.post(case_url("cases:transition", case), {"to": to, "note": note})


def post_note(client, case, note="打了客服电话，说 7 个工作日内回复"):
    return client.post(case_url("cases:note", case), {"note": note})


def post_edit(client, case, title="抖店保证金 2000 元未退"):
    return client.post(
        case_url("cases:edit", case),
        {
            "title": title,
            "platform": "douyin_shop",
            "party_role": "merchant",
            "priority": "urgent",
            "currency": "CNY",
            "details-store_id": "DS-88231",
            "details-deposit_amount": "2000.00",
        },
    )


def test_owner_moves_their_case_and_the_move_is_in_the_timeline(client, alice, alice_case):
    client.force_login(alice)
    response = post_transition(client, alice_case)
    assert response.status_code == 302
    assert response["Location"] == alice_case.get_absolute_url()
    alice_case.refresh_from_db()
    assert alice_case.status == Status.FILED
    event = alice_case.events.get(kind=EventKind.STATUS_CHANGED)
    assert (event.actor, event.from_status, event.to_status) == (alice, "draft", "filed")
    assert event.note == "已在抖店后台提交退保证金申请"
    page = client.get(alice_case.get_absolute_url()).text
    assert "已在抖店后台提交退保证金申请" in page


def test_staff_moves_any_case(client, carol, alice_case):
    client.force_login(carol)
    assert post_transition(client, alice_case).status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.status == Status.FILED
    assert alice_case.events.get(kind=EventKind.STATUS_CHANGED).actor == carol


def test_owner_adds_a_note(client, alice, alice_case):
    client.force_login(alice)
    response = post_note(client, alice_case)
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#timeline"
    note = alice_case.events.get(kind=EventKind.NOTE)
    assert (note.actor, note.note) == (alice, "打了客服电话，说 7 个工作日内回复")


def test_staff_adds_a_note(client, carol, alice_case):
    client.force_login(carol)
    assert post_note(client, alice_case).status_code == 302
    assert alice_case.events.get(kind=EventKind.NOTE).actor == carol


def test_owner_edits_their_case(client, alice, alice_case):
    client.force_login(alice)
    response = post_edit(client, alice_case)
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert (alice_case.title, alice_case.priority) == ("抖店保证金 2000 元未退", "urgent")
    event = alice_case.events.get(kind=EventKind.FIELDS_CHANGED)
    assert event.changes["title"] == {"old": "抖店保证金迟迟不退", "new": "抖店保证金 2000 元未退"}


def test_staff_edits_any_case(client, carol, alice_case):
    client.force_login(carol)
    assert post_edit(client, alice_case).status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.priority == "urgent"


@pytest.mark.parametrize("post", [post_transition, post_note, post_edit])
def test_other_seller_cannot_post_to_a_case(client, bob, alice_case, post):
    client.force_login(bob)
    assert post(client, alice_case).status_code == 404
    alice_case.refresh_from_db()
    assert (alice_case.status, alice_case.title) == ("draft", "抖店保证金迟迟不退")
    assert list(alice_case.events.values_list("kind", flat=True)) == [EventKind.CREATED]


@pytest.mark.parametrize("post", [post_transition, post_note, post_edit])
def test_anonymous_visitor_cannot_post_to_a_case(client, alice_case, post):
    response = post(client, alice_case)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert alice_case.events.count() == 1


@pytest.mark.parametrize("name", ["cases:transition", "cases:note"])
def test_action_urls_answer_only_post(client, alice, alice_case, name):
    client.force_login(alice)
    assert client.get(case_url(name, alice_case)).status_code == 405


def create_payload(**overrides):
    return {
        "title": "抖店退店后保证金未退",
        "platform": "douyin_shop",
        "platform_account": "店铺ID 88231",
        "party_role": "merchant",
        "priority": "normal",
        "description": "2026 年 9 月申请退店，至今未退保证金。",
        "amount_claimed": "2000",
        "platform_reference": "",
        "details-store_id": "DS-88231",
        "details-deposit_amount": "2000.00",
        "details-exit_applied_on": "2026-09-01",
        **overrides,
    }


def test_seller_files_a_case(client, alice):
    client.force_login(alice)
    url = reverse("cases:new_kind", kwargs={"kind": "deposit_refund"})
    response = client.post(url, create_payload())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.owner, case.kind, case.status) == (alice, "deposit_refund", "draft")
    assert case.details == {
        "store_id": "DS-88231",
        "deposit_amount": "2000.00",
        "exit_applied_on": "2026-09-01",
    }
    assert str(case.amount_claimed) == "2000.00"
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CREATED, actor=alice).exists()
    page = client.get(case.get_absolute_url()).text
    assert case.reference in page
    assert "¥2,000.00" in page


def test_staff_files_a_case_of_their_own(client, carol):
    client.force_login(carol)
    url = reverse("cases:new_kind", kwargs={"kind": "deposit_refund"})
    assert client.post(url, create_payload()).status_code == 302
    assert Case.objects.get().owner == carol


def test_anonymous_visitor_cannot_file_a_case(client, db):
    url = reverse("cases:new_kind", kwargs={"kind": "deposit_refund"})
    response = client.post(url, create_payload())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Case.objects.exists()

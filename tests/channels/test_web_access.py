"""Who reaches the contact pages and the directory: the owner and staff do; another seller
gets the same 404 as for a case that does not exist; nobody signed out gets past the login."""

import pytest
from django.urls import reverse

from channels.models import ChannelEntry
from tests.channels.web import edit_url, form_data, list_url, new_url

pytestmark = pytest.mark.usefixtures("directory")


def urls(case, entry):
    return {"list": list_url(case), "new": new_url(case), "edit": edit_url(entry)}


@pytest.mark.parametrize("which", ["list", "new", "edit"])
def test_another_seller_gets_404_on_every_contact_page(
    web_as, alice, bob, alice_case, log_contact, which
):
    entry = log_contact(alice, alice_case)
    url = urls(alice_case, entry)[which]
    client = web_as(bob)
    assert client.get(url).status_code == 404
    if which != "list":
        assert client.post(url, form_data(summary="bob 改的")).status_code == 404
    assert ChannelEntry.objects.count() == 1
    assert ChannelEntry.objects.get().summary != "bob 改的"


def test_a_contact_is_reached_only_through_its_own_case(
    web_as, alice, bob, alice_case, make_case, log_contact
):
    bobs_entry = log_contact(bob, make_case(bob))
    # Alice's case reference with Bob's contact id: not found, like a missing one.
    assert web_as(alice).get(edit_url(bobs_entry, case=alice_case)).status_code == 404
    missing = reverse(
        "contacts:edit", kwargs={"reference": alice_case.reference, "contact_id": 999999}
    )
    assert web_as(alice).get(missing).status_code == 404
    unknown_case = reverse("contacts:new", kwargs={"reference": "RC-2026-999999"})
    assert web_as(alice).get(unknown_case).status_code == 404


@pytest.mark.parametrize("which", ["list", "new", "edit"])
def test_signed_out_visitors_are_sent_to_log_in(web, alice, alice_case, log_contact, which):
    url = urls(alice_case, log_contact(alice, alice_case))[which]
    response = web.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('accounts:login')}?next=")
    response = web.post(url, form_data())
    assert response.status_code == 302
    assert ChannelEntry.objects.count() == 1


@pytest.mark.parametrize("url", ["/bodies/", "/bodies/12315/"])
def test_the_directory_needs_a_login(web, url):
    response = web.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_read_log_and_correct_on_any_case(web_as, alice, carol, alice_case, log_contact):
    entry = log_contact(alice, alice_case)
    client = web_as(carol)
    for url in urls(alice_case, entry).values():
        assert client.get(url).status_code == 200
    response = client.post(new_url(alice_case), form_data(summary="客服回电，已催办"))
    assert response.status_code == 302
    staff_entry = ChannelEntry.objects.get(summary="客服回电，已催办")
    assert staff_entry.logged_by == carol
    response = client.post(
        edit_url(entry), form_data(summary="更正：客服说 5 个工作日", occurred_at=None)
    )
    assert response.status_code == 400  # "when" is required in a correction too
    response = client.post(
        edit_url(entry),
        form_data(summary="更正：客服说 5 个工作日"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.summary == "更正：客服说 5 个工作日"
    # The case page names who logged it and marks staff.
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    logged = page.split(f'id="contact-{staff_entry.pk}"')[1].split('<li class="event ')[0]
    assert "carol" in logged and "Staff" in logged


def test_the_owner_sees_the_contacts_table(web_as, alice, alice_case, log_contact):
    log_contact(alice, alice_case, external_reference="TS-2026-8812")
    response = web_as(alice).get(list_url(alice_case))
    assert response.status_code == 200
    assert "TS-2026-8812" in response.text
    assert 'class="ref-number"' in response.text

"""The case page's timeline: events and contacts merged, newest first, by when each happened;
filtered by channel; each contact with its reference number, follow-up and linked files. And
the "waiting for a reply" line at the top."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from cases.choices import Status
from cases.services import case_add_note, case_transition

pytestmark = pytest.mark.usefixtures("directory")


def timeline_of(page: str) -> str:
    return page.split('id="timeline"')[1].split('<div class="case-side">')[0]


def positions(text: str, *markers: str) -> list[int]:
    found = [text.find(marker) for marker in markers]
    assert -1 not in found, dict(zip(markers, found, strict=True))
    return found


def test_contacts_and_events_merge_newest_first_by_when_they_happened(
    web_as, alice, alice_case, log_contact
):
    now = timezone.now()
    with mock.patch("cases.clock.now", return_value=now - datetime.timedelta(hours=3)):
        case_transition(actor=alice, case=alice_case, to=Status.FILED, note="已提交退保证金申请")
    # Happened yesterday, logged just now: it sits below today's events.
    yesterday = log_contact(
        alice, alice_case, occurred_at=now - datetime.timedelta(days=1), summary="昨天打的电话"
    )
    recent = log_contact(
        alice,
        alice_case,
        occurred_at=now - datetime.timedelta(hours=1),
        channel="in_app",
        direction="inbound",
        summary="平台站内信回复",
    )
    case_add_note(actor=alice, case=alice_case, note="今天的备注")

    response = web_as(alice).get(alice_case.get_absolute_url())
    assert response.status_code == 200
    timeline = timeline_of(response.text)
    note, created, contact_now, moved, contact_yesterday = positions(
        timeline,
        "今天的备注",
        "Case created as a draft",
        f'id="contact-{recent.pk}"',
        "已提交退保证金申请",
        f'id="contact-{yesterday.pk}"',
    )
    # The case was made just now (by the test), so it is newer than the backdated entries.
    assert note < created < contact_now < moved < contact_yesterday
    # A contact replaces its own "contact logged" event: each contact appears once.
    assert timeline.count("event-contact_logged") == 0
    assert timeline.count(f'id="contact-{yesterday.pk}"') == 1
    # …and is marked as logged later than it happened.
    item = timeline.split(f'id="contact-{yesterday.pk}"')[1].split('<li class="event ')[0]
    assert "logged " in item


def test_a_contact_shows_channel_direction_who_filing_reference_follow_up_and_files(
    web_as, alice, alice_case, log_contact, attach
):
    proof = attach(alice, alice_case, name="工单截图.png")
    follow_up = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    entry = log_contact(
        alice,
        alice_case,
        filing_type="exit_application",
        external_reference="TK-2026-0042",
        follow_up_on=follow_up,
        evidence=[proof.pk],
        summary="<b>退店申请</b>已提交",
    )
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    item = page.split(f'id="contact-{entry.pk}"')[1].split('<li class="event ')[0]
    assert 'class="channel-icon"' in item and "Phone" in item
    assert "We contacted them" in item
    assert "抖音客服" in item
    assert 'href="/bodies/douyin_shop/"' in item
    assert "Exit application" in item
    assert '<code class="ref-number" id="ref-' in item and "TK-2026-0042" in item
    assert 'data-copy="ref-' in item  # a copy button, shown by the script
    assert f"Follow up on {follow_up}" in item
    assert f"/evidence/{proof.pk}/download/" in item and "工单截图.png" in item
    assert "&lt;b&gt;退店申请&lt;/b&gt;" in item
    assert f"/contacts/{entry.pk}/edit/" in item


def test_the_channel_filter_shows_that_channels_contacts_only(
    web_as, alice, alice_case, log_contact
):
    phone = log_contact(alice, alice_case, summary="电话一")
    chat = log_contact(alice, alice_case, channel="in_app", summary="站内信一")
    case_add_note(actor=alice, case=alice_case, note="一条备注")

    page = web_as(alice).get(alice_case.get_absolute_url())
    chips = page.context["channel_chips"]
    assert [(c["value"], c["count"]) for c in chips] == [("in_app", 1), ("phone", 1)]
    assert 'href="?channel=phone#timeline"' in page.text

    response = web_as(alice).get(alice_case.get_absolute_url(), {"channel": "phone"})
    assert response.status_code == 200
    timeline = timeline_of(response.text)
    assert f'id="contact-{phone.pk}"' in timeline
    assert f'id="contact-{chat.pk}"' not in timeline
    assert "一条备注" not in timeline
    assert 'aria-current="true">' in timeline
    # The chips still count every channel, and the waiting line still sees the latest contact.
    assert [(c["value"], c["count"]) for c in response.context["channel_chips"]] == [
        ("in_app", 1),
        ("phone", 1),
    ]
    assert response.context["waiting"] is not None


@pytest.mark.parametrize("value", ["pigeon", "<script>", "PHONE"])
def test_an_unknown_channel_is_ignored_and_said_so(web_as, alice, alice_case, log_contact, value):
    entry = log_contact(alice, alice_case)
    response = web_as(alice).get(alice_case.get_absolute_url(), {"channel": value})
    assert response.status_code == 200
    assert "showing everything" in response.text
    assert "<script>" not in timeline_of(response.text)
    assert f'id="contact-{entry.pk}"' in response.text
    assert "Case created as a draft" in response.text


def test_a_channel_with_no_contacts_says_so(web_as, alice, alice_case, log_contact):
    log_contact(alice, alice_case)
    response = web_as(alice).get(alice_case.get_absolute_url(), {"channel": "court"})
    assert response.status_code == 200
    assert "No contacts through this channel yet." in response.text


# --- Waiting for a reply ---------------------------------------------------------------------


def test_waiting_for_a_reply_after_an_outbound_contact(web_as, alice, alice_case, log_contact):
    log_contact(alice, alice_case, occurred_at=timezone.now() - datetime.timedelta(days=3, hours=1))
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    waiting = page.split('id="waiting"')[1].split("</p>")[0]
    assert "Waiting for a reply from 抖音客服 for 3 days" in waiting
    # It sits above the timeline, near the title.
    assert page.index('id="waiting"') < page.index('id="timeline"')


def test_waiting_since_today_and_with_a_body_only(web_as, alice, alice_case, log_contact):
    log_contact(alice, alice_case, counterpart="", occurred_at=timezone.now())
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    waiting = page.split('id="waiting"')[1].split("</p>")[0]
    assert "Waiting for a reply from Douyin shop merchant service (抖店) since" in waiting


def test_no_waiting_line_once_they_replied_or_the_case_is_closed(
    web_as, alice, alice_case, log_contact
):
    log_contact(alice, alice_case, occurred_at=timezone.now() - datetime.timedelta(days=2))
    log_contact(alice, alice_case, direction="inbound", summary="客服回电")
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    assert 'id="waiting"' not in page

    log_contact(alice, alice_case, summary="再次催办")
    assert 'id="waiting"' in web_as(alice).get(alice_case.get_absolute_url()).text
    case_transition(actor=alice, case=alice_case, to=Status.WITHDRAWN)
    assert 'id="waiting"' not in web_as(alice).get(alice_case.get_absolute_url()).text


def test_the_case_page_in_chinese(web_as, alice, alice_case, log_contact):
    log_contact(alice, alice_case, occurred_at=timezone.now() - datetime.timedelta(days=2))
    response = web_as(alice).get(alice_case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    # Bodies speak the page's language.
    assert "抖店商家客服" in response.text

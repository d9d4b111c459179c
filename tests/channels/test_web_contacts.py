"""Logging and correcting a contact through the web form: what is saved, the event written,
the status offered (never applied), and what bad input gets back (a 400 with the message and
what was typed, nothing saved)."""

import datetime

import pytest
from django.utils import timezone

from cases.choices import EventKind, Status
from cases.models import CaseEvent
from cases.services import case_transition
from channels.models import ChannelEntry
from tests.channels.web import SHANGHAI, edit_url, form_data, hours_ago, local_minutes, new_url

pytestmark = pytest.mark.usefixtures("directory")


def test_seller_logs_a_phone_call_from_the_form(web_as, alice, alice_case, attach):
    item = attach(alice, alice_case, name="通话截图.png")
    response = web_as(alice).post(
        new_url(alice_case),
        form_data(evidence=[str(item.pk)], follow_up_on="2099-01-01"),
    )
    assert response.status_code == 400  # the follow-up is more than three years away
    assert "within three years" in response.text
    assert not ChannelEntry.objects.exists()

    follow_up = (hours_ago(2) + datetime.timedelta(days=3)).date().isoformat()
    response = web_as(alice).post(
        new_url(alice_case), form_data(evidence=[str(item.pk)], follow_up_on=follow_up)
    )
    entry = ChannelEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#contact-{entry.pk}"
    assert (entry.channel, entry.direction, entry.filing_type) == ("phone", "outbound", "inquiry")
    assert entry.body.slug == "douyin_shop"
    assert entry.counterpart == "抖音客服"
    assert entry.external_reference == "GD2026102200117"
    assert entry.follow_up_on.isoformat() == follow_up
    assert list(entry.evidence.all()) == [item]
    assert entry.logged_by == alice
    # The time typed is the seller's own (Shanghai), to the minute.
    assert local_minutes(entry.occurred_at) == form_data()["occurred_at"]
    event = CaseEvent.objects.get(case=alice_case, kind=EventKind.CONTACT_LOGGED)
    assert event.actor == alice
    assert event.changes["contact"]["id"] == entry.pk

    page = web_as(alice).get(response["Location"])
    assert "Contact logged." in page.text


def test_the_form_starts_at_now_outbound_with_the_case_platform_desk_first(
    web_as, alice, alice_case
):
    response = web_as(alice).get(new_url(alice_case))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["direction"].value() == "outbound"
    shown = form["occurred_at"].value().replace(tzinfo=SHANGHAI)  # naive in the user's zone
    assert abs(shown - hours_ago(0)) < datetime.timedelta(minutes=2)
    assert 'type="datetime-local"' in response.text
    groups = form.fields["body"].widget.choices
    assert groups[0][0] == ""  # none: only a free-text counterpart
    assert [slug for slug, _ in groups[1][1]] == ["douyin_shop"]
    other = {slug for _, options in groups[2:] for slug, _ in options}
    assert {"12315", "arbitration", "internet_court_hangzhou", "douyin"} <= other
    assert "douyin_shop" not in other


def test_a_guidance_link_prefills_body_filing_type_and_channel(web_as, alice, alice_case):
    response = web_as(alice).get(new_url(alice_case), {"body": "12315", "filing_type": "report"})
    form = response.context["form"]
    assert form["body"].value() == "12315"
    assert form["filing_type"].value() == "report"
    assert form["channel"].value() == "regulator"
    # Unknown values are left out, not shown and not a crash.
    response = web_as(alice).get(new_url(alice_case), {"body": "nope", "filing_type": "x"})
    assert response.status_code == 200
    assert response.context["form"]["body"].value() in (None, "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"occurred_at": local_minutes(hours_ago(-2))},
            "occurred_at",
            "A contact cannot be in the future.",
        ),
        ({"body": "no_such_body"}, "body", "Unknown body “no_such_body”"),
        ({"external_reference": "R" * 500}, "external_reference", "At most 100 characters"),
        ({"summary": "   "}, "summary", "Write what was said or agreed."),
        ({"summary": None}, "summary", "Write what was said or agreed."),
        ({"occurred_at": "2026-02-30T10:00"}, "occurred_at", "Enter a valid date/time."),
        ({"occurred_at": "0001-01-01T00:00"}, "occurred_at", "Enter a date after 2000-01-01."),
        ({"occurred_at": "9999-12-31T23:59"}, "occurred_at", "A contact cannot be in the future."),
        ({"follow_up_on": "0001-01-01"}, "follow_up_on", "cannot be before the contact"),
        ({"follow_up_on": "9999-12-31"}, "follow_up_on", "within three years"),
        ({"evidence": ["not-a-uuid"]}, "evidence", "Select a valid choice."),
        ({"channel": "pigeon"}, "channel", "Select a valid choice."),
        ({"filing_type": ""}, "filing_type", "This field is required."),
    ],
)
def test_bad_input_is_a_400_with_the_message_and_what_was_typed(
    web_as, alice, alice_case, overrides, field, message
):
    data = form_data(**overrides)
    response = web_as(alice).post(new_url(alice_case), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message in response.text
    # What was typed comes back.
    assert response.context["form"]["counterpart"].value() == "抖音客服"
    assert 'value="抖音客服"' in response.text
    assert not ChannelEntry.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.CONTACT_LOGGED).exists()


def test_a_consumer_complaint_on_a_merchants_case_is_refused_with_why(web_as, alice, alice_case):
    assert alice_case.party_role == "merchant"
    response = web_as(alice).post(
        new_url(alice_case),
        form_data(channel="regulator", body="12315", filing_type="complaint", counterpart=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "Only a consumer can file a complaint" in errors[0]
    assert "report (举报)" in errors[0]
    assert "Only a consumer can file a complaint" in response.text
    assert response.context["form"]["filing_type"].value() == "complaint"
    assert not ChannelEntry.objects.exists()

    # The same filing as a report is open to a merchant.
    response = web_as(alice).post(
        new_url(alice_case),
        form_data(channel="regulator", body="12315", filing_type="report", counterpart=""),
    )
    assert response.status_code == 302
    assert ChannelEntry.objects.get().counterpart  # the body's name stands in for "who"


def test_a_consumer_may_complain_to_12315(web_as, alice, make_case):
    case = make_case(alice, kind="purchase_complaint")
    response = web_as(alice).post(
        new_url(case), form_data(channel="regulator", body="12315", filing_type="complaint")
    )
    assert response.status_code == 302
    assert ChannelEntry.objects.get().filing_type == "complaint"


def test_evidence_from_another_case_cannot_be_linked(web_as, alice, alice_case, make_case, attach):
    other = attach(alice, make_case(alice), name="别的案子.png")
    response = web_as(alice).post(new_url(alice_case), form_data(evidence=[str(other.pk)]))
    assert response.status_code == 400
    assert not ChannelEntry.objects.exists()


# --- The status a contact suggests -----------------------------------------------------------


def test_a_decision_received_offers_to_move_the_case_but_does_not_move_it(
    web_as, alice, alice_case
):
    case_transition(actor=alice, case=alice_case, to=Status.FILED)
    response = web_as(alice).post(
        new_url(alice_case),
        form_data(direction="inbound", filing_type="decision_received", summary="平台驳回退款"),
    )
    entry = ChannelEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}?logged={entry.pk}#suggestion"
    alice_case.refresh_from_db()
    assert alice_case.status == Status.FILED  # not moved silently

    page = web_as(alice).get(response["Location"])
    assert page.context["suggestion"]["status"] == Status.DECIDED
    assert "This looks like the case is now “Decided”. Move it?" in page.text
    prompt = page.text.split('id="suggestion"')[1].split("</section>")[0]
    assert f'action="/cases/{alice_case.reference}/transition/"' in prompt
    assert 'name="to" value="decided"' in prompt
    # One button per result; the notification moment is the contact's.
    assert 'name="decision_result" value="rejected"' in prompt
    notified = timezone.localtime(entry.occurred_at).strftime("%Y-%m-%dT%H:%M")
    assert f'name="decision_notified_at" value="{notified}"' in prompt

    # One click moves it, through the existing transition view.
    moved = web_as(alice).post(
        f"/cases/{alice_case.reference}/transition/",
        {
            "to": "decided",
            "seen_status": "filed",
            "decision_result": "rejected",
            "decision_notified_at": notified,
        },
    )
    assert moved.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.status == Status.DECIDED
    assert alice_case.decision_result == "rejected"
    assert alice_case.decision_notified_at == entry.occurred_at.replace(second=0, microsecond=0)
    # The prompt does not come back once the case has moved.
    page = web_as(alice).get(response["Location"])
    assert page.context["suggestion"] is None
    assert 'id="suggestion"' not in page.text


def test_a_plain_inquiry_offers_nothing(web_as, alice, alice_case, log_contact):
    entry = log_contact(alice, alice_case)
    page = web_as(alice).get(f"{alice_case.get_absolute_url()}?logged={entry.pk}")
    assert page.context["suggestion"] is None
    page = web_as(alice).get(f"{alice_case.get_absolute_url()}?logged=nonsense")
    assert page.status_code == 200
    assert page.context["suggestion"] is None


# --- Correcting ------------------------------------------------------------------------------


def test_correcting_a_contact_keeps_old_and_new_in_the_timeline(
    web_as, alice, alice_case, log_contact
):
    entry = log_contact(alice, alice_case, external_reference="GD-WRONG")
    url = edit_url(entry)
    form = web_as(alice).get(url)
    assert form.status_code == 200
    assert form.context["form"]["external_reference"].value() == "GD-WRONG"

    data = form_data(
        occurred_at=local_minutes(entry.occurred_at),
        external_reference="GD2026102200117",
        channel="in_app",
    )
    response = web_as(alice).post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{alice_case.get_absolute_url()}#contact-{entry.pk}"
    entry.refresh_from_db()
    assert entry.external_reference == "GD2026102200117"
    assert entry.channel == "in_app"
    assert entry.is_corrected
    event = CaseEvent.objects.get(kind=EventKind.CONTACT_CORRECTED)
    assert event.changes["external_reference"] == {"old": "GD-WRONG", "new": "GD2026102200117"}
    # The time was not touched: the form's minutes do not count as a change of seconds.
    assert "occurred_at" not in event.changes

    page = web_as(alice).get(alice_case.get_absolute_url()).text
    item = page.split(f'id="contact-{entry.pk}"')[1].split('<li class="event ')[0]
    assert "Corrected" in item
    correction = page.split('event-contact_corrected">')[1].split('<li class="event ')[0]
    assert "<del>GD-WRONG</del>" in correction and "<ins>GD2026102200117</ins>" in correction
    assert "<del>Phone</del>" in correction and "<ins>In-app</ins>" in correction


def test_saving_an_unchanged_contact_is_not_a_correction(web_as, alice, alice_case, log_contact):
    entry = log_contact(alice, alice_case)
    form = web_as(alice).get(edit_url(entry)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["occurred_at"] = local_minutes(entry.occurred_at)
    data["follow_up_on"] = ""
    response = web_as(alice).post(edit_url(entry), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.is_corrected
    assert not CaseEvent.objects.filter(kind=EventKind.CONTACT_CORRECTED).exists()
    page = web_as(alice).get(response["Location"])
    assert "Nothing to save" in page.text


def test_a_bad_correction_is_a_400_and_changes_nothing(web_as, alice, alice_case, log_contact):
    entry = log_contact(alice, alice_case)
    response = web_as(alice).post(
        edit_url(entry), form_data(body="12315", filing_type="complaint", channel="regulator")
    )
    assert response.status_code == 400
    assert "Only a consumer can file a complaint" in response.text
    entry.refresh_from_db()
    assert entry.body.slug == "douyin_shop"
    assert not entry.is_corrected


def test_a_link_to_evidence_since_removed_survives_a_correction(
    web_as, alice, alice_case, attach, log_contact
):
    from evidence.services import evidence_remove

    kept = attach(alice, alice_case, name="保留.png")
    gone = attach(alice, alice_case, name="已删除.png")
    entry = log_contact(alice, alice_case, evidence=[kept.pk, gone.pk])
    evidence_remove(actor=alice, item=gone, reason="重复")

    form = web_as(alice).get(edit_url(entry)).context["form"]
    assert set(form["evidence"].value()) == {str(kept.pk), str(gone.pk)}
    assert "已删除.png (removed from the case)" in dict(form.fields["evidence"].choices).values()
    response = web_as(alice).post(
        edit_url(entry),
        form_data(
            occurred_at=local_minutes(entry.occurred_at),
            summary="改一下摘要",
            evidence=[str(kept.pk), str(gone.pk)],
        ),
    )
    assert response.status_code == 302
    assert set(entry.evidence.all()) == {kept, gone}
    # A seller does not get a download link for the removed file, only a mention.
    page = web_as(alice).get(alice_case.get_absolute_url()).text
    item = page.split(f'id="contact-{entry.pk}"')[1].split('<li class="event ')[0]
    assert "保留.png" in item and "已删除.png" not in item
    assert "a file since removed" in item

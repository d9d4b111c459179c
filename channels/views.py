"""Contacts on the case page (log, correct, list) and the directory of external bodies.
Thin: the form parses, selectors find (404 alike for missing and not yours), services judge."""

from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases.choices import DecisionResult, FilingType, Status
from cases.forms import add_domain_error
from cases.lifecycle import CLOSED
from cases.selectors import case_get_for
from channels.choices import BodyKind, Channel, Direction
from channels.forms import ContactForm
from channels.guidance import CAC_NOTE, platform_body_slug, routes_for
from channels.selectors import (
    bodies,
    body_get,
    case_history,
    contact_get_for,
    contacts_for_case,
    waiting_for_reply,
)
from channels.services import contact_correct, contact_log, suggested_status
from config.errors import DomainError
from evidence.selectors import evidence_for_case

# The case page's own contact form: its ids must not clash with the page's other forms.
INLINE_AUTO_ID = "contact_%s"


# --- On the case page -----------------------------------------------------------------------


def case_page_context(request, case, context: dict) -> dict:
    """The case page's part (cases.hooks.PAGES), after the evidence's: the timeline (events
    and contacts, newest first, by channel), the "waiting for a reply" line, the next-step
    guidance and the contact form.

    1. The channel filter: an unknown value is ignored and said so.
    2. The history from `case_history`; every contact of the case (for the chips, the waiting
       line and the guidance) comes with it, or, when filtered, from one more read.
    3. The directory, once: the form's options, the guidance's links, corrections' names."""
    channel = request.GET.get("channel", "")
    unknown_channel = ""
    if channel and channel not in Channel.values:
        unknown_channel, channel = channel, ""
    history = case_history(case=case, channel=channel or None, viewer=request.user)
    if channel:
        contacts = list(contacts_for_case(case=case))
    else:
        contacts = [item.contact for item in history if item.contact]
    directory = list(bodies())
    per_channel = Counter(contact.channel for contact in contacts)
    return {
        "history": history,
        "contact_count": len(contacts),
        "channel_filter": channel,
        "unknown_channel": unknown_channel,
        "channel_chips": [
            {"value": value, "label": label, "count": per_channel[value]}
            for value, label in Channel.choices
            if per_channel[value] or value == channel
        ],
        "waiting": None if case.status in CLOSED else waiting_for_reply(contacts=contacts),
        "suggestion": _suggestion(request, case, contacts),
        # A resolved or withdrawn case has nowhere left to turn (staff reopen it first).
        "routes": [] if case.status in CLOSED else _routes(case, directory, contacts),
        "cac_note": CAC_NOTE,
        "contact_form": ContactForm(
            initial=ContactForm.initial_for_new(bodies=directory),
            case=case,
            bodies=directory,
            evidence=context["evidence"],
            auto_id=INLINE_AUTO_ID,
        ),
        "bodies_by_slug": {body.slug: body for body in directory},
        "contacts_by_id": {contact.pk: contact for contact in contacts},
        "evidence_by_id": {str(item.pk): item for item in context["evidence"]},
    }


def _suggestion(request, case, contacts) -> dict | None:
    """Just after logging (?logged=<id>): the status that contact suggests, offered as one
    button. Recomputed, so it disappears once the case has moved."""
    logged = request.GET.get("logged", "")
    entry = next((c for c in contacts if str(c.pk) == logged), None)
    if entry is None:
        return None
    target = suggested_status(actor=request.user, case=case, entry=entry)
    if target is None:
        return None
    suggestion = {"status": target, "label": Status(target).label, "contact": entry}
    if target == Status.DECIDED:
        # One button per result: the decision's notification moment is the contact's.
        suggestion["decisions"] = DecisionResult.choices
    return suggestion


def _routes(case, directory, contacts) -> list[dict]:
    """`routes_for` with its bodies found in the directory ("platform" is this case's desk),
    a link that opens the contact form ready for that filing, and the latest such filing."""
    own = platform_body_slug(case.platform)
    by_slug = {body.slug: body for body in directory}
    new_url = reverse("contacts:new", kwargs={"reference": case.reference})
    routes = []
    for route in routes_for(party_role=case.party_role, kind=case.kind):
        slugs = [own if slug == "platform" else slug for slug in route.bodies]
        found = [by_slug[slug] for slug in slugs if slug in by_slug]
        prefill = {"filing_type": route.filing_type}
        if found:
            prefill["body"] = found[0].slug
        done = next(
            (
                c
                for c in contacts
                if c.direction == Direction.OUTBOUND
                and c.filing_type == route.filing_type
                and c.body is not None
                and c.body.slug in slugs
            ),
            None,
        )
        routes.append(
            {
                "route": route,
                "bodies": found,
                "log_url": f"{new_url}?{urlencode(prefill)}",
                "done": done,
            }
        )
    return routes


# --- Contact pages --------------------------------------------------------------------------


def _show_domain_error(form, error: DomainError) -> None:
    # A route that is not open to this party is about the whole filing, not one field: it goes
    # on top, where its explanation is read first.
    if error.code == "route_not_open" or not add_domain_error(form, error):
        form.add_error(None, error.message)


def _form_page(request, case, form, *, entry=None, status=200):
    return render(
        request,
        "channels/contact_form.html",
        {"case": case, "form": form, "entry": entry},
        status=status,
    )


@login_required
def contact_list(request, reference):
    """Every contact of the case in one table: the reference numbers at hand."""
    case = case_get_for(actor=request.user, reference=reference)
    return render(
        request,
        "channels/contact_list.html",
        {"case": case, "contacts": list(contacts_for_case(case=case))},
    )


@login_required
def contact_new(request, reference):
    """Log a contact. A guidance button opens this ready for its filing (?body=&filing_type=)."""
    case = case_get_for(actor=request.user, reference=reference)
    directory = list(bodies())
    evidence = list(evidence_for_case(actor=request.user, case=case))
    options = {"case": case, "bodies": directory, "evidence": evidence}
    if request.method != "POST":
        initial = ContactForm.initial_for_new(bodies=directory, prefill=request.GET)
        return _form_page(request, case, ContactForm(initial=initial, **options))

    form = ContactForm(request.POST, **options)
    if form.is_valid():
        try:
            logged = contact_log(actor=request.user, case=case, **form.service_fields())
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("Contact logged."))
            if logged.suggested_status:
                return redirect(f"{case.get_absolute_url()}?logged={logged.entry.pk}#suggestion")
            return redirect(f"{case.get_absolute_url()}#contact-{logged.entry.pk}")
    return _form_page(request, case, form, status=400)


@login_required
def contact_edit(request, reference, contact_id):
    """Correct a contact: nothing is deleted, the timeline keeps the old and new values."""
    entry = contact_get_for(actor=request.user, reference=reference, contact_id=contact_id)
    case = entry.case
    options = {
        "case": case,
        "bodies": list(bodies()),
        "evidence": list(evidence_for_case(actor=request.user, case=case)),
        "entry": entry,
    }
    if request.method != "POST":
        form = ContactForm(initial=ContactForm.initial_for_entry(entry), **options)
        return _form_page(request, case, form, entry=entry)

    form = ContactForm(request.POST, **options)
    if form.is_valid():
        try:
            corrected = contact_correct(actor=request.user, entry=entry, **form.service_fields())
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            if corrected.corrected_at == entry.corrected_at:
                messages.info(request, _("Nothing to save: the contact is as it was."))
            else:
                messages.success(request, _("Contact corrected. The timeline keeps what it was."))
            return redirect(f"{case.get_absolute_url()}#contact-{entry.pk}")
    return _form_page(request, case, form, entry=entry, status=400)


# --- Directory ------------------------------------------------------------------------------


@login_required
def body_list(request):
    directory = list(bodies())
    groups = [
        {"kind": kind, "label": label, "bodies": [b for b in directory if b.kind == kind]}
        for kind, label in BodyKind.choices
    ]
    return render(
        request,
        "channels/body_list.html",
        {"groups": [group for group in groups if group["bodies"]], "cac_note": CAC_NOTE},
    )


@login_required
def body_detail(request, slug):
    body = body_get(slug=slug)
    consumer_only = [
        str(FilingType(f).label) for f in body.consumer_only_filings or [] if f in FilingType.values
    ]
    return render(
        request,
        "channels/body_detail.html",
        {
            "body": body,
            "kind_label": BodyKind(body.kind).label,
            "consumer_only": pgettext("list separator", ", ").join(consumer_only),
        },
    )

"""The contact form: it parses what was typed; `contact_log` / `contact_correct` judge it."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.choices import FilingType
from channels.choices import BodyKind, Channel, Direction
from channels.guidance import platform_body_slug
from channels.services import COUNTERPART_MAX_LENGTH

# The browser's datetime-local format (minutes; no time zone: the user's own is meant).
LOCAL_MINUTES = "%Y-%m-%dT%H:%M"

# Which channel a filing with a body of this kind usually goes through: a prefill, nothing more.
CHANNEL_FOR_BODY_KIND = {
    BodyKind.REGULATOR: Channel.REGULATOR,
    BodyKind.HOTLINE: Channel.PHONE,
    BodyKind.CYBERSPACE: Channel.REGULATOR,
    BodyKind.ARBITRATION: Channel.ARBITRATION,
    BodyKind.COURT: Channel.COURT,
    BodyKind.LEGAL_AID: Channel.LEGAL_AID,
}


def body_choices(case, bodies) -> list:
    """The directory as grouped options: the case's own platform desk first, then the bodies
    by kind (other platforms' desks last among them, as they rarely apply)."""
    own = platform_body_slug(case.platform)
    choices: list = [("", _("None — only the “who” below"))]
    desk = [(b.slug, b.display_name) for b in bodies if b.slug == own]
    if desk:
        choices.append((_("This case's platform"), desk))
    for kind, label in BodyKind.choices:
        group = [(b.slug, b.display_name) for b in bodies if b.kind == kind and b.slug != own]
        if group:
            choices.append((label, group))
    return choices


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect)
    direction = forms.ChoiceField(
        label=_("Who started it"),
        choices=Direction.choices,
        initial=Direction.OUTBOUND,
        widget=forms.RadioSelect,
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[LOCAL_MINUTES, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTES),
        help_text=_("Now, unless you are logging an earlier contact."),
    )
    body = forms.CharField(
        label=_("Which body (from the directory)"),
        required=False,
        # A plain field with a select: an unknown slug reaches the service, which explains it.
        widget=forms.Select(),
    )
    counterpart = forms.CharField(
        label=_("Who"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 抖音客服, agent no. 1024")}),
        help_text=_("The desk or person. Left empty, the body's name is used."),
    )
    filing_type = forms.ChoiceField(
        label=_("Type of filing"),
        choices=[("", _("Choose…")), *FilingType.choices],
    )
    external_reference = forms.CharField(
        label=_("Reference number"),
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "ref-input"}
        ),
        help_text=_("The ticket, complaint or case number they gave you, if any."),
    )
    summary = forms.CharField(
        label=_("What was said or agreed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what was said or agreed.")},
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the day to chase them if nothing comes back."),
    )
    evidence = forms.MultipleChoiceField(
        label=_("Evidence to link"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, bodies, evidence, entry=None, **kwargs):
        self.entry = entry
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.choices = body_choices(case, bodies)
        choices = [(str(item.pk), item.original_name) for item in evidence if not item.is_removed]
        # A file removed from the case after it was linked stays linked unless unticked.
        removed = [item for item in (entry.evidence.all() if entry else []) if item.is_removed]
        choices += [
            (str(item.pk), _("%(name)s (removed from the case)") % {"name": item.original_name})
            for item in removed
        ]
        self.fields["evidence"].choices = choices
        if entry is None and not self.is_bound:
            # contacts.js moves an untouched "now" on while the page stays open.
            self.fields["occurred_at"].widget.attrs["data-now"] = ""

    @classmethod
    def initial_for_new(cls, *, bodies, prefill=None) -> dict:
        """Now, outbound, and what a guidance button asked for (unknown values left out)."""
        initial = {
            "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            "direction": Direction.OUTBOUND,
        }
        prefill = prefill or {}
        by_slug = {b.slug: b for b in bodies}
        body = by_slug.get(prefill.get("body") or "")
        if body is not None:
            initial["body"] = body.slug
            if body.kind in CHANNEL_FOR_BODY_KIND:
                initial["channel"] = CHANNEL_FOR_BODY_KIND[body.kind]
        if prefill.get("filing_type") in FilingType.values:
            initial["filing_type"] = prefill["filing_type"]
        if prefill.get("channel") in Channel.values:
            initial["channel"] = prefill["channel"]
        if prefill.get("direction") in Direction.values:
            initial["direction"] = prefill["direction"]
        if prefill.get("counterpart"):
            initial["counterpart"] = str(prefill["counterpart"])[:COUNTERPART_MAX_LENGTH]
        return initial

    @classmethod
    def initial_for_entry(cls, entry) -> dict:
        return {
            "channel": entry.channel,
            "direction": entry.direction,
            "occurred_at": timezone.localtime(entry.occurred_at),
            "body": entry.body.slug if entry.body else "",
            "counterpart": entry.counterpart,
            "filing_type": entry.filing_type,
            "external_reference": entry.external_reference,
            "summary": entry.summary,
            "follow_up_on": entry.follow_up_on,
            "evidence": [str(item.pk) for item in entry.evidence.all()],
        }

    def clean_occurred_at(self) -> datetime.datetime:
        """The form shows minutes. A correction that leaves the time alone keeps its seconds
        (it is no change); a new contact in the current minute is "now", to the second, so it
        sorts after whatever happened earlier in that minute."""
        value = self.cleaned_data["occurred_at"]
        if self.entry is not None:
            same = value == self.entry.occurred_at.replace(second=0, microsecond=0)
            return self.entry.occurred_at if same else value
        now = clock.now()
        return now if value == now.replace(second=0, microsecond=0) else value

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "channel": data["channel"],
            "direction": data["direction"],
            "occurred_at": data["occurred_at"],
            "body": data["body"] or None,
            "counterpart": data["counterpart"],
            "filing_type": data["filing_type"],
            "external_reference": data["external_reference"],
            "summary": data["summary"],
            "follow_up_on": data["follow_up_on"],
            "evidence": data.get("evidence", []),
        }

"""How clocks read on a page: the clock panel with its countdowns, a clock's name, and the
timeline's lines for clock events. `{% load deadlines %}`."""

import json
from datetime import datetime, time, timedelta

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime, parse_duration
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases import clock
from cases.choices import FilingType, Priority, Status
from cases.formats import format_due
from cases.kinds import details_field_labels
from cases.templatetags.cases import choice_label
from deadlines.calendar import Calendar, end_of_day, region_zone
from deadlines.choices import DeadlineState, DeadlineUnit, Trigger, WaitingOn
from deadlines.models import Deadline

register = template.Library()

EMPTY = "—"

DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)
# A running clock shows as "due soon" when less than this is left.
SOON = timedelta(hours=24)


def _localized(snapshot: dict, field: str) -> str:
    chinese = (get_language() or "").startswith("zh")
    return (snapshot.get(f"{field}_zh") if chinese else "") or snapshot.get(field) or ""


def _moment(moment: datetime, zone) -> str:
    """A moment as it happened ("2026-04-25 00:00"): a clock's start is not a due moment, so
    not the 24:00 of the day before."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _sentences(*parts: str) -> str:
    """Sentences joined as the language writes them: no space after 。 in Chinese."""
    chinese = (get_language() or "").startswith("zh")
    return ("" if chinese else " ").join(part for part in parts if part)


def day_label(day, today) -> str:
    """A day as a reader says it: 5月2日 / 2 May, with the year when it is not this year's."""
    if (get_language() or "").startswith("zh"):
        text = f"{day.month}月{day.day}日"
        return text if day.year == today.year else f"{day.year}年{text}"
    return date_format(day, "j F" if day.year == today.year else "j F Y")


def clock_name(snapshot: dict) -> str:
    """What the clock is, in the user's language: the rule's name as the clock started."""
    return _localized(snapshot, "name") or snapshot.get("key", "")


def format_duration(left: timedelta, *, working: bool) -> str:
    """ "3 working days 4 h", "2 days 5 h", "5 h 12 min", "12 min": the two largest units.
    For working-day clocks a day is a working day's 24 hours of working time."""
    left = max(left, timedelta(0))
    days, rest = divmod(left, DAY)
    hours, rest = divmod(rest, HOUR)
    minutes = rest // MINUTE
    parts = []
    if days:
        if working:
            parts.append(
                ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}
            )
        else:
            parts.append(ngettext("%(days)s day", "%(days)s days", days) % {"days": days})
        if hours:
            parts.append(gettext("%(hours)s h") % {"hours": hours})
        return " ".join(parts)
    if hours:
        parts.append(gettext("%(hours)s h") % {"hours": hours})
    if minutes or not hours:
        parts.append(gettext("%(minutes)s min") % {"minutes": minutes})
    return " ".join(parts)


def _working_runs(start: datetime, end: datetime, cal: Calendar) -> list[tuple]:
    """The stretches of [start, end) that lie on working days, consecutive days merged: what
    a working-day clock counts down through (the countdown script sums them)."""
    # The calendar's days are the region's (Beijing's for China), whatever zone the
    # user reads the page in.
    zone = region_zone(cal.region)
    start, end = start.astimezone(zone), end.astimezone(zone)
    runs: list[list[datetime]] = []
    day = start.date()
    while start < end:
        day_start = max(start, datetime.combine(day, time(0), tzinfo=zone))
        day_end = min(end, end_of_day(day, zone))
        if day_start < day_end and cal.is_working_day(day):
            if runs and runs[-1][1] == day_start:
                runs[-1][1] = day_end
            else:
                runs.append([day_start, day_end])
        if day_end >= end:
            break
        day += DAY
    return [(a, b) for a, b in runs]


def _waiting_text(deadline: Deadline, viewer) -> str:
    case = deadline.case
    if deadline.waiting_on == WaitingOn.PLATFORM:
        return gettext("Waiting on the platform (%(platform)s)") % {
            "platform": case.get_platform_display()
        }
    if deadline.waiting_on == WaitingOn.SELLER:
        if viewer is not None and viewer.pk == case.owner_id:
            return gettext("Waiting on you")
        return gettext("Waiting on the seller")
    if deadline.waiting_on == WaitingOn.MERCHANT:
        merchant = (case.details or {}).get("merchant_name")
        if merchant:
            return gettext("Waiting on the merchant (%(merchant)s)") % {"merchant": merchant}
        return gettext("Waiting on the merchant")
    contact = deadline.contact
    body = ""
    if contact is not None:
        body = contact.body.display_name if contact.body_id else contact.counterpart
    if body:
        return gettext("Waiting on %(body)s") % {"body": body}
    return gettext("Waiting on the external body")


def _counting_text(snapshot: dict) -> str:
    """How the clock is counted, in a sentence (docs/deadline-rules.md, "How periods are
    counted")."""
    n, unit = snapshot.get("duration"), snapshot.get("unit")
    if unit == DeadlineUnit.HOURS:
        return ngettext(
            "%(n)s hour from the moment it started, nights and holidays included.",
            "%(n)s hours from the moment it started, nights and holidays included.",
            n,
        ) % {"n": n}
    if unit == DeadlineUnit.WORKING_DAYS:
        return ngettext(
            "%(n)s working day, from the day after it started: weekends and public holidays "
            "do not count, adjusted working weekends (调休) do. Ends at 24:00 on the last day.",
            "%(n)s working days, from the day after it started: weekends and public holidays "
            "do not count, adjusted working weekends (调休) do. Ends at 24:00 on the last day.",
            n,
        ) % {"n": n}
    if unit == DeadlineUnit.UNTIL_DATE:
        return gettext("Runs until 24:00 on the follow-up date you set.")
    if unit == DeadlineUnit.MONTHS:
        text = ngettext(
            "%(n)s month, from the day after it started; ends at 24:00 on the same-numbered "
            "day (or the month's last day).",
            "%(n)s months, from the day after it started; ends at 24:00 on the same-numbered "
            "day (or the month's last day).",
            n,
        ) % {"n": n}
    elif unit == DeadlineUnit.YEARS:
        text = ngettext(
            "%(n)s year, from the day after it started; ends at 24:00 on the same-numbered day.",
            "%(n)s years, from the day after it started; ends at 24:00 on the same-numbered day.",
            n,
        ) % {"n": n}
    else:
        text = ngettext(
            "%(n)s calendar day, from the day after it started; ends at 24:00 on the last day.",
            "%(n)s calendar days, from the day after it started; ends at 24:00 on the last day.",
            n,
        ) % {"n": n}
    if snapshot.get("roll_over"):
        text = _sentences(text, gettext("A last day on a rest day moves to the next working day."))
    return text


def _basis_text(deadline: Deadline, zone) -> tuple[str, bool]:
    """What the clock counts from, in a sentence, and whether that start is uncertain (a
    decision recorded before decisions had results)."""
    snapshot, case = deadline.rule_snapshot or {}, deadline.case
    started = _moment(deadline.started_at, zone)
    trigger = snapshot.get("trigger")
    if trigger == Trigger.STATUS_ENTERED and Status.DECIDED in (
        snapshot.get("trigger_statuses") or []
    ):
        if not case.decision_result:
            return gettext(
                "The platform's decision was recorded before Recourse asked for its result, so "
                "this clock started when the case was moved to “decided” (%(started)s), "
                "whatever was decided. Check that it applies to your decision."
            ) % {"started": started}, True
        return gettext(
            "Counted from when you were notified of the platform's decision (%(result)s): "
            "%(started)s."
        ) % {"result": case.get_decision_result_display(), "started": started}, False
    if deadline.contact_id is not None:
        return gettext("Counted from the contact you logged (%(filing)s): %(started)s.") % {
            "filing": choice_label(FilingType.choices, deadline.contact.filing_type),
            "started": started,
        }, False
    detail = snapshot.get("trigger_detail")
    if detail:
        label = details_field_labels(case.kind).get(detail, detail)
        day = deadline.started_at.astimezone(region_zone()).date().isoformat()
        return gettext("Counted from %(day)s, the date “%(label)s” in the case details.") % {
            "label": label,
            "day": day,
        }, False
    if trigger == Trigger.STATUS_ENTERED:
        return gettext("Counted from when the case entered its status: %(started)s.") % {
            "started": started
        }, False
    return "", False


def clock_info(deadline: Deadline, *, now: datetime, viewer, cal: Calendar) -> dict:
    """Everything the page shows about one clock, in the user's language and time zone:
    name, who waits on whom, due moment, what is left (working time for working-day rules),
    the marks, and the rule behind it. `cal` is shared by the page's clocks, so the calendar
    overrides are read once whatever their number (`selectors.calendar_for_clocks`)."""
    snapshot = deadline.rule_snapshot or {}
    zone = timezone.get_current_timezone()
    working = snapshot.get("unit") == DeadlineUnit.WORKING_DAYS
    info = {
        "deadline": deadline,
        "id": deadline.pk,
        "state": deadline.state,
        "state_label": DeadlineState(deadline.state).label,
        "name": clock_name(snapshot),
        "key": snapshot.get("key", ""),
        "source": snapshot.get("source", ""),
        "secondary": snapshot.get("secondary", False),
        "counting": _counting_text(snapshot),
        "waiting": _waiting_text(deadline, viewer),
        "waiting_on": deadline.waiting_on,
        "working": working,
        "due_display": format_due(deadline.due_at, zone),
        "due_iso": deadline.due_at.isoformat(),
        "started_display": _moment(deadline.started_at, zone),
        "provisional": deadline.provisional,
        "paused": deadline.state == DeadlineState.PAUSED,
        "paused_by_staff": deadline.paused_by_staff,
        "open": deadline.state in (DeadlineState.RUNNING, DeadlineState.PAUSED),
        "overdue": False,
        "soon": False,
        "runs": "",
    }
    if info["open"]:
        info["basis"], info["basis_uncertain"] = _basis_text(deadline, zone)
    if deadline.rolled_from is not None and info["open"]:
        # A roll-over moved the last day: show both ("原定 5月2日，…顺延至 5月6日").
        today = now.astimezone(region_zone()).date()
        last_day = (deadline.due_at - timedelta(microseconds=1)).astimezone(region_zone()).date()
        # Each date kept on one line, however narrow the column.
        info["rolled"] = mark_safe(
            conditional_escape(
                gettext(
                    "Originally due %(original)s; a statutory holiday or rest day moved it to "
                    "%(moved)s."
                )
            )
            % {
                "original": format_html(
                    '<span class="nowrap">{}</span>', day_label(deadline.rolled_from, today)
                ),
                "moved": format_html('<span class="nowrap">{}</span>', day_label(last_day, today)),
            }
        )
    reason = _localized(snapshot, "roll_over_reason")
    if reason:
        info["counting"] = _sentences(info["counting"], reason)
    if deadline.provisional:
        # A due moment at 00:00 is the 24:00 end of the day before.
        last_moment = deadline.due_at - timedelta(microseconds=1)
        info["provisional_year"] = last_moment.astimezone(region_zone()).year
    if deadline.state == DeadlineState.PAUSED:
        info["left"] = format_duration(deadline.remaining or timedelta(0), working=working)
        info["paused_display"] = format_due(deadline.paused_at, zone) if deadline.paused_at else ""
    elif deadline.state == DeadlineState.RUNNING:
        if working:
            runs = _working_runs(now, deadline.due_at, cal)
            left = sum((b - a for a, b in runs), timedelta(0))
            info["runs"] = json.dumps(
                [[int(a.timestamp() * 1000), int(b.timestamp() * 1000)] for a, b in runs]
            )
        else:
            left = deadline.due_at - now
        info["overdue"] = deadline.due_at <= now
        info["soon"] = not info["overdue"] and deadline.due_at - now <= SOON
        info["left"] = format_duration(left, working=working)
    else:
        # A breached clock ran out at its due moment (the sweep notices within a minute);
        # a met or cancelled one when it was settled.
        when = deadline.due_at if deadline.state == DeadlineState.BREACHED else deadline.settled_at
        info["settled_display"] = format_due(when, zone) if when else ""
        info["settled_iso"] = when.isoformat() if when else ""
    return info


def _effective_due(deadline: Deadline, now: datetime) -> datetime:
    # A paused clock is "due" when it would run out if resumed now: near enough to sort.
    if deadline.state == DeadlineState.PAUSED:
        return now + (deadline.remaining or timedelta(0))
    return deadline.due_at


@register.simple_tag(takes_context=True)
def clock_panel(context, clocks) -> dict:
    """A case's clocks for its page: running and paused first, soonest due first; then the
    settled ones (met, breached, cancelled), latest first."""
    now, cal = clock.now(), context.get("clock_calendar") or Calendar()
    viewer = context.get("user")
    open_clocks = sorted(
        (d for d in clocks if d.state in (DeadlineState.RUNNING, DeadlineState.PAUSED)),
        key=lambda d: (_effective_due(d, now), d.pk),
    )
    settled = sorted(
        (d for d in clocks if d.state not in (DeadlineState.RUNNING, DeadlineState.PAUSED)),
        key=lambda d: (d.settled_at or d.due_at, d.pk),
        reverse=True,
    )
    return {
        "open": [clock_info(d, now=now, viewer=viewer, cal=cal) for d in open_clocks],
        "settled": [clock_info(d, now=now, viewer=viewer, cal=cal) for d in settled],
    }


@register.simple_tag(takes_context=True)
def clock_rows(context, clocks) -> list[dict]:
    """Clocks of several cases (the dashboard), in the order given."""
    now, cal = clock.now(), context.get("clock_calendar") or Calendar()
    viewer = context.get("user")
    return [clock_info(d, now=now, viewer=viewer, cal=cal) for d in clocks]


@register.simple_tag
def countdown_labels() -> str:
    """The live countdown's words, for static/js/clocks.js: JSON with {days}, {hours} and
    {time} placeholders, so the script needs no catalogue of its own. English and Chinese have
    one plural form beyond the singular, so the forms for 1 and 2 cover every number."""
    labels = {
        "wd_one": ngettext("%(days)s working day", "%(days)s working days", 1),
        "wd_many": ngettext("%(days)s working day", "%(days)s working days", 2),
        "d_one": ngettext("%(days)s day", "%(days)s days", 1),
        "d_many": ngettext("%(days)s day", "%(days)s days", 2),
        "hours": gettext("%(hours)s h"),
        "left": gettext("%(time)s left"),
        "overdue": gettext("Overdue"),
    }
    placeholders = {"days": "{days}", "hours": "{hours}", "time": "{time}"}
    return json.dumps({k: v % placeholders for k, v in labels.items()}, ensure_ascii=False)


def _summary_of(event, clocks_by_id) -> tuple[dict, dict]:
    summary = (event.changes or {}).get("deadline") or {}
    current = (clocks_by_id or {}).get(summary.get("id"))
    snapshot = current.rule_snapshot if current is not None else {}
    return summary, snapshot


@register.filter
def deadline_line(event, clocks_by_id=None) -> str:
    """ "<rule name> · due 2026-03-09 24:00" for a clock event, in the user's language and zone.
    Events the sweep writes carry no name: it comes from the case's clocks, when given."""
    summary, snapshot = _summary_of(event, clocks_by_id)
    chinese = (get_language() or "").startswith("zh")
    name = (
        (summary.get("name_zh") if chinese else None)
        or summary.get("name")
        or clock_name(snapshot)
        or summary.get("rule")
        or ""
    )
    changes = event.changes or {}
    remaining = changes.get("remaining")
    remaining = remaining if isinstance(remaining, dict) else {}
    if event.kind == "deadline_paused" and remaining.get("new"):
        left = parse_duration(remaining["new"])
        if left is not None:
            working = snapshot.get("unit") == DeadlineUnit.WORKING_DAYS
            return str(_("%(name)s · %(left)s left")) % {
                "name": name,
                "left": format_duration(left, working=working),
            }
    due_at = parse_datetime(summary.get("due_at") or "")
    if due_at is None:
        return name
    return str(_("%(name)s · due %(due)s")) % {
        "name": name,
        "due": format_due(due_at, timezone.get_current_timezone()),
    }


@register.filter
def deadline_reason(event) -> str:
    """Why a clock was recalculated: its contact was corrected, or the calendar changed."""
    changes = event.changes or {}
    if changes.get("contact_corrected"):
        return gettext("The contact it counts from was corrected.")
    reason = changes.get("calendar_reason") or {}
    if reason.get("kind") == "year_published":
        return gettext("The official holiday schedule for %(year)s was published.") % {
            "year": reason.get("year")
        }
    if reason.get("kind") == "year_unpublished":
        return gettext(
            "The holiday schedule for %(year)s is no longer marked published: its dates are "
            "provisional again."
        ) % {"year": reason.get("year")}
    if reason.get("kind") == "libraries_updated":
        return gettext("The bundled holiday calendar was updated (%(libraries)s).") % {
            "libraries": reason.get("libraries", "")
        }
    days = changes.get("calendar_days")
    if days:
        return gettext("The official holiday calendar changed for %(days)s.") % {
            "days": ", ".join(days[:5]) + ("…" if len(days) > 5 else "")
        }
    return ""


@register.simple_tag
def deadline_changes(event, clocks_by_id=None) -> list[dict]:
    """A clock event's changes as rows of label, old and new (as `event_changes` gives for
    edits): the due moment and the time left before and after a pause, resume or extension,
    and the priority a breach raised."""
    changes = event.changes or {}
    _summary, snapshot = _summary_of(event, clocks_by_id)
    working = snapshot.get("unit") == DeadlineUnit.WORKING_DAYS
    zone = timezone.get_current_timezone()
    rows = []

    def pair(name):
        value = changes.get(name)
        return value if isinstance(value, dict) and {"old", "new"} & set(value) else None

    if due := pair("due_at"):
        shown = []
        for side in ("old", "new"):
            moment = parse_datetime(due.get(side) or "")
            shown.append(format_due(moment, zone) if moment else gettext("paused"))
        rows.append({"label": gettext("Due"), "old": shown[0], "new": shown[1], "long": False})
    # The time a paused clock keeps, when an extension changed it (a pause or resume says
    # it in the line above).
    left = pair("remaining")
    if left and left.get("old") and left.get("new") and left["old"] != left["new"]:
        old, new = parse_duration(left["old"]), parse_duration(left["new"])
        if old is not None and new is not None:
            rows.append(
                {
                    "label": gettext("Time left"),
                    "old": format_duration(old, working=working),
                    "new": format_duration(new, working=working),
                    "long": False,
                }
            )
    if priority := pair("priority"):
        rows.append(
            {
                "label": gettext("Priority"),
                "old": choice_label(Priority.choices, priority.get("old")),
                "new": choice_label(Priority.choices, priority.get("new")),
                "long": False,
            }
        )
    return rows


@register.filter
def deadline_suggestion(event) -> str:
    """The next step a breach suggests, in the user's language."""
    changes = event.changes or {}
    if not isinstance(changes.get("suggestion"), str):
        return ""
    return _localized(changes, "suggestion")

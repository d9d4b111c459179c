"""From a rule and the moment its trigger happened to the moment the clock runs out.

The engine that starts, pauses, settles and sweeps clocks builds on these (next step of
issue 5); they are pure, so every shipped rule has a worked example in the tests."""

from datetime import date, datetime

from django.forms.models import model_to_dict

from cases import calendar
from cases.choices import DeadlineUnit
from cases.models import DeadlineRule


def rule_snapshot(rule: DeadlineRule) -> dict:
    """The rule as it is now, kept on each clock: editing a rule does not rewrite running
    clocks."""
    snapshot = model_to_dict(rule, exclude=["id"])
    snapshot["key"] = rule.key
    return snapshot


def compute_due(
    *, snapshot: dict, start: datetime, until: date | None = None, region=None, tz=None
) -> calendar.Due:
    """When a clock started at `start` under this rule runs out.

    `until` is the date a follow-up clock waits for (the contact's follow-up date)."""
    unit, n, roll = snapshot["unit"], snapshot["duration"], snapshot.get("roll_over", False)
    if unit == DeadlineUnit.HOURS:
        return calendar.add_hours(start, n)
    if unit == DeadlineUnit.WORKING_DAYS:
        return calendar.add_working_days(start, n, region=region, tz=tz)
    if unit == DeadlineUnit.NATURAL_DAYS:
        return calendar.add_natural_days(start, n, roll_over=roll, region=region, tz=tz)
    if unit == DeadlineUnit.MONTHS:
        return calendar.add_months(start, n, roll_over=roll, region=region, tz=tz)
    if unit == DeadlineUnit.YEARS:
        return calendar.add_years(start, n, roll_over=roll, region=region, tz=tz)
    if unit == DeadlineUnit.UNTIL_DATE:
        if until is None:
            raise ValueError(f"rule {snapshot['key']} waits for a date and none was given")
        return calendar.Due(
            due_at=calendar.end_of_day(until, tz),
            provisional=calendar.is_provisional(until, region),
        )
    raise ValueError(f"unknown unit {unit!r}")

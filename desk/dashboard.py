"""The staff dashboard's numbers: a fixed handful of GROUP BY queries, whatever the data.

Everything here is language-neutral (stored keys, counts, Decimal sums, rule names in both
languages), so one computed dashboard serves every reader and can be cached; the view puts
labels on it in the reader's language (`desk.charts`).

Queries, each one GROUP BY over the selected cases (at a million cases they scan, hence the
short cache in `dashboard_data`):
1. by status, kind and platform together: counts and CNY sums, rolled up in Python into the
   status, kind and platform charts and the amounts chart (at most 9 x 5 x 12 rows);
2. open cases by age bucket;
3. cases opened per week, 4. cases resolved per week (the last 12 weeks, Asia/Shanghai,
   weeks starting on Monday);
5. breached clocks per rule.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases import clock
from cases.choices import CaseKind, Platform, Status
from cases.models import Case
from cases.search import business_zone, day_start
from cases.templatetags.cases import count as _count
from cases.templatetags.cases import money
from deadlines.choices import DeadlineState
from deadlines.models import Deadline
from deadlines.templatetags.deadlines import clock_name
from desk import charts
from desk.selectors import ACTIVE

WEEKS = 12
# Age buckets of open cases: (key, lower bound in days, upper bound in days or None).
AGE_BUCKETS = [("lt7", 0, 7), ("7to30", 7, 30), ("30to90", 30, 90), ("gt90", 90, None)]
# Long enough to spare the database on a busy morning, short enough not to mislead triage.
CACHE_SECONDS = 60
CACHE_VERSION = 1
MONEY_CURRENCY = "CNY"


@dataclass(frozen=True)
class Filters:
    """What the dashboard is about: cases of a platform and/or kind, opened in a date range
    (inclusive, business-zone dates)."""

    platform: str = ""
    kind: str = ""
    opened_from: date | None = None
    opened_to: date | None = None

    def case_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.platform:
            q &= Q(**{f"{prefix}platform": self.platform})
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        if self.opened_from:
            q &= Q(**{f"{prefix}created_at__gte": day_start(self.opened_from)})
        if self.opened_to:
            q &= Q(**{f"{prefix}created_at__lt": day_start(self.opened_to + timedelta(days=1))})
        return q

    def queue_url(self, **narrower: str) -> str:
        """The staff queue showing these cases (every status, unless `narrower` names one),
        narrowed further: where a row of a chart's table leads."""
        params = {
            "status": "all",
            "platform": self.platform,
            "kind": self.kind,
            "created_from": self.opened_from.isoformat() if self.opened_from else "",
            "created_to": self.opened_to.isoformat() if self.opened_to else "",
            **narrower,
        }
        query = urlencode({name: value for name, value in params.items() if value})
        return f"{reverse('desk:queue')}?{query}"

    def cache_key(self) -> str:
        raw = json.dumps(
            [self.platform, self.kind, str(self.opened_from or ""), str(self.opened_to or "")]
        )
        return f"desk:dashboard:v{CACHE_VERSION}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def week_starts(*, today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last `weeks` weeks, the week of `today` last."""
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _week_counts(rows, field: str) -> dict[date, int]:
    zone = business_zone()
    counts: dict[date, int] = {}
    for row in rows:
        # TruncWeek gives the Monday 00:00 of the business zone; as a date, the same Monday.
        monday = row[field].astimezone(zone).date()
        counts[monday] = counts.get(monday, 0) + row["n"]
    return counts


def _by_status_kind_platform(cases) -> list[dict]:
    cny = Q(currency=MONEY_CURRENCY)
    return list(
        cases.order_by()
        .values("status", "kind", "platform")
        .annotate(
            n=Count("id"),
            claimed=Sum("amount_claimed", filter=cny),
            recovered=Sum("amount_recovered", filter=cny),
            # Amounts in another currency are left out of the sums; the page says how many.
            other_currency=Count(
                "id",
                filter=~cny & (Q(amount_claimed__isnull=False) | Q(amount_recovered__isnull=False)),
            ),
        )
    )


def _open_by_age(cases, *, now: datetime) -> dict[str, int]:
    whens = []
    for index, (_key, _low, high) in enumerate(AGE_BUCKETS):
        if high is not None:
            # Younger than `high` days: created after now minus `high` days.
            whens.append(When(created_at__gt=now - timedelta(days=high), then=Value(index)))
    bucket = SqlCase(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())
    rows = (
        cases.filter(status__in=ACTIVE)
        .order_by()
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(n=Count("id"))
    )
    counts = {row["bucket"]: row["n"] for row in rows}
    return {key: counts.get(index, 0) for index, (key, _l, _h) in enumerate(AGE_BUCKETS)}


def _breached_by_rule(filters: Filters) -> list[dict]:
    rows = (
        Deadline.objects.filter(filters.case_q("case__"), state=DeadlineState.BREACHED)
        .order_by()
        .values("rule_id", "rule__key", "rule__name", "rule__name_zh")
        .annotate(n=Count("id"), open=Count("id", filter=Q(case__status__in=ACTIVE)))
    )
    return sorted(
        (
            {
                "key": row["rule__key"],
                "name": row["rule__name"],
                "name_zh": row["rule__name_zh"],
                "count": row["n"],
                "open": row["open"],
            }
            for row in rows
        ),
        key=lambda row: (-row["count"], row["key"]),
    )


def _add(totals: dict, key: str, row: dict) -> None:
    entry = totals.setdefault(
        key, {"count": 0, "claimed": Decimal(0), "recovered": Decimal(0), "resolved": 0}
    )
    entry["count"] += row["n"]
    entry["claimed"] += row["claimed"] or Decimal(0)
    entry["recovered"] += row["recovered"] or Decimal(0)
    if row["status"] == Status.RESOLVED:
        entry["resolved"] += row["n"]


def dashboard_compute(filters: Filters, *, now: datetime) -> dict:
    """The dashboard's numbers for these filters at `now` (five queries)."""
    cases = Case.objects.filter(filters.case_q())
    zone = business_zone()

    by_status: dict = {}
    by_kind: dict = {}
    by_platform: dict = {}
    other_currency = 0
    for row in _by_status_kind_platform(cases):
        _add(by_status, row["status"], row)
        _add(by_kind, row["kind"], row)
        _add(by_platform, row["platform"], row)
        other_currency += row["other_currency"]

    # The weekly chart ends with the week of the range's last day, or this week.
    last_day = filters.opened_to or now.astimezone(zone).date()
    mondays = week_starts(today=last_day)
    start = datetime.combine(mondays[0], time(0), tzinfo=zone)
    end = datetime.combine(mondays[-1] + timedelta(weeks=1), time(0), tzinfo=zone)
    opened = _week_counts(
        cases.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .annotate(week=TruncWeek("created_at", tzinfo=zone))
        .values("week")
        .annotate(n=Count("id")),
        "week",
    )
    resolved = _week_counts(
        cases.filter(status=Status.RESOLVED, closed_at__gte=start, closed_at__lt=end)
        .order_by()
        .annotate(week=TruncWeek("closed_at", tzinfo=zone))
        .values("week")
        .annotate(n=Count("id")),
        "week",
    )
    weeks = [
        {"monday": monday, "opened": opened.get(monday, 0), "resolved": resolved.get(monday, 0)}
        for monday in mondays
    ]

    return {
        "computed_at": now,
        "by_status": by_status,
        "by_kind": by_kind,
        "by_platform": by_platform,
        "other_currency": other_currency,
        "weeks": weeks,
        "ages": _open_by_age(cases, now=now),
        "breached": _breached_by_rule(filters),
    }


def dashboard_data(filters: Filters) -> dict:
    """The dashboard for these filters, computed at most once a minute per set of filters: at
    1.1 million cases (PostgreSQL) the four scans of the cases take 1.6 s together on a quiet
    machine, 3 to 6 s on a busy one, where the cached page renders in about 30 ms; a minute-old
    picture of aggregates is fine for triage, and the page says "as of HH:MM"."""
    data = cache.get(filters.cache_key())
    if data is None:
        data = dashboard_refresh(filters)
    return data


def dashboard_refresh(filters: Filters, *, seconds: int = CACHE_SECONDS) -> dict:
    """Compute the dashboard now and keep it for `seconds`. Beat calls it every minute for the
    unfiltered page (desk.tasks.refresh_dashboard), so staff opening it never wait for the
    scans; filtered pages are computed on their first visit."""
    data = dashboard_compute(filters, now=clock.now())
    cache.set(filters.cache_key(), data, seconds)
    return data


# --- Charts and tables, in the reader's language --------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _count_chart(chart_id, title, caption, column, items, *, bar_class=None, link=None) -> dict:
    """A one-series chart of counts, with its table: label, count, share of the total. With
    `link(key)`, each row's label leads to those cases in the queue."""
    total = sum(item.values[0] for item in items)
    geometry = charts.bar_chart(items, fmt=_count)
    for row in geometry["rows"]:
        row.css = bar_class(row.key) if bar_class else ""
    return {
        "id": chart_id,
        "type": "bars",
        "title": title,
        "caption": caption,
        "geometry": geometry,
        "legend": [],
        "empty": not total,
        "table": {
            "head": [column, _("Cases"), _("Share")],
            "rows": [
                [
                    format_html('<a href="{}">{}</a>', link(item.key), item.label)
                    if link
                    else item.label,
                    _count(item.values[0]),
                    _share(item.values[0], total),
                ]
                for item in items
            ],
            "foot": [_("Total"), _count(total), _share(total, total)],
        },
    }


def dashboard_charts(data: dict, *, filters: Filters, amounts_by: str = "kind") -> dict:
    """The page's summary figures and charts (geometry and table) from `dashboard_data`; the
    status, kind and platform tables link to those cases in the queue (`filters` kept)."""
    status_items = [
        charts.Item(s.value, str(s.label), (data["by_status"].get(s.value, {}).get("count", 0),))
        for s in Status
    ]
    kind_items = [
        charts.Item(k.value, str(k.label), (data["by_kind"].get(k.value, {}).get("count", 0),))
        for k in CaseKind
    ]
    platform_items = sorted(
        (
            charts.Item(
                p.value, str(p.label), (data["by_platform"].get(p.value, {}).get("count", 0),)
            )
            for p in Platform
        ),
        # Busiest first; Python's sort is stable, so ties keep the platforms' own order.
        key=lambda item: -item.values[0],
    )
    age_labels = {
        "lt7": _("Under 7 days"),
        "7to30": _("7 to 30 days"),
        "30to90": _("30 to 90 days"),
        "gt90": _("Over 90 days"),
    }
    age_items = [
        charts.Item(key, str(age_labels[key]), (data["ages"][key],)) for key, _l, _h in AGE_BUCKETS
    ]
    total = sum(row["count"] for row in data["by_status"].values())
    open_total = sum(row["count"] for status, row in data["by_status"].items() if status in ACTIVE)

    result = [
        _count_chart(
            "status",
            _("Cases by status"),
            _("Every case in the selection, in the order of the lifecycle."),
            _("Status"),
            status_items,
            bar_class=lambda key: f"status-{key}",
            link=lambda key: filters.queue_url(status=key),
        ),
        _weekly_chart(data["weeks"]),
        _count_chart(
            "kind",
            _("Cases by kind"),
            _("What the disputes are about."),
            _("Kind"),
            kind_items,
            link=lambda key: filters.queue_url(kind=key),
        ),
        _count_chart(
            "platform",
            _("Cases by platform"),
            _("Busiest platform first."),
            _("Platform"),
            platform_items,
            link=lambda key: filters.queue_url(platform=key),
        ),
        _breached_chart(data["breached"]),
        _count_chart(
            "age",
            _("Age of open cases"),
            _("How long open cases have been with us, from the day they were opened."),
            _("Age"),
            age_items,
            bar_class=lambda key: f"age-{key}",
        ),
        _amounts_chart(data, amounts_by=amounts_by),
    ]
    claimed = sum((row["claimed"] for row in data["by_status"].values()), Decimal(0))
    recovered = sum((row["recovered"] for row in data["by_status"].values()), Decimal(0))
    return {
        "charts": result,
        # Counts written with their thousands separators, as in the tables.
        "summary": {
            "total": _count(total),
            "open": _count(open_total),
            "breached": _count(sum(row["count"] for row in data["breached"])),
            "breached_open": _count(sum(row["open"] for row in data["breached"])),
            "any_breached_open": any(row["open"] for row in data["breached"]),
            "claimed": claimed,
            "recovered": recovered,
        },
        "other_currency": data["other_currency"],
        "computed_at": data["computed_at"],
    }


def _weekly_chart(weeks: list[dict]) -> dict:
    items = [
        charts.Item(
            week["monday"].isoformat(),
            f"{week['monday']:%Y-%m-%d} \N{EN DASH} {week['monday'] + timedelta(days=6):%m-%d}",
            (week["opened"], week["resolved"]),
        )
        for week in weeks
    ]
    geometry = charts.column_chart(items, tick=lambda item: item.key[5:], fmt=_count)
    for column, item in zip(geometry["columns"], items, strict=True):
        column.title = _("%(week)s: %(opened)s opened, %(resolved)s resolved") % {
            "week": item.label,
            "opened": _count(item.values[0]),
            "resolved": _count(item.values[1]),
        }
    opened_label = pgettext("cases per week", "Opened")
    opened = sum(week["opened"] for week in weeks)
    resolved = sum(week["resolved"] for week in weeks)
    return {
        "id": "weekly",
        "type": "columns",
        "title": _("Opened and resolved per week"),
        "caption": _("The last 12 weeks, Monday to Sunday (Asia/Shanghai)."),
        "geometry": geometry,
        "legend": [opened_label, _("Resolved")],
        "empty": not (opened or resolved),
        "table": {
            "head": [_("Week"), opened_label, _("Resolved")],
            "rows": [
                [item.label, _count(item.values[0]), _count(item.values[1])] for item in items
            ],
            "foot": [_("Total"), _count(opened), _count(resolved)],
        },
    }


def _breached_chart(rules: list[dict]) -> dict:
    items = [
        charts.Item(rule["key"], clock_name(rule) or rule["key"], (rule["count"],))
        for rule in rules
    ]
    geometry = charts.bar_chart(items, fmt=_count)
    for row in geometry["rows"]:
        row.css = "breached"
    return {
        "id": "breached",
        "type": "bars",
        "title": _("Clocks breached, by rule"),
        "caption": _("Deadlines that ran out on the selected cases, most often breached first."),
        "geometry": geometry,
        "legend": [],
        "empty": not items,
        "empty_text": _("No clock has run out on these cases."),
        "table": {
            "head": [_("Rule"), _("Breached"), _("On open cases")],
            "rows": [
                [item.label, _count(rule["count"]), _count(rule["open"])]
                for item, rule in zip(items, rules, strict=True)
            ],
            "foot": [
                _("Total"),
                _count(sum(rule["count"] for rule in rules)),
                _count(sum(rule["open"] for rule in rules)),
            ],
        },
    }


def _rate(recovered: Decimal, claimed: Decimal) -> str:
    return f"{recovered * 100 / claimed:.0f}%" if claimed else "—"


def _amounts_chart(data: dict, *, amounts_by: str) -> dict:
    if amounts_by == "platform":
        groups, choices, column = data["by_platform"], Platform, _("Platform")
        title = _("Amounts claimed and recovered, by platform")
    else:
        groups, choices, column = data["by_kind"], CaseKind, _("Kind")
        title = _("Amounts claimed and recovered, by kind")
    zero = {"count": 0, "claimed": Decimal(0), "recovered": Decimal(0), "resolved": 0}
    entries = [(choice, groups.get(choice.value, zero)) for choice in choices]
    if amounts_by == "platform":
        # Only platforms with cases: twelve rows of nothing would hide the ones that matter.
        entries = sorted((e for e in entries if e[1]["count"]), key=lambda e: -e[1]["claimed"])
    items = [
        charts.Item(choice.value, str(choice.label), (entry["claimed"], entry["recovered"]))
        for choice, entry in entries
    ]
    geometry = charts.bar_chart(
        items, fmt=money, row_text=lambda item: _rate(item.values[1], item.values[0])
    )
    for row, item in zip(geometry["rows"], items, strict=True):
        row.title = _("%(label)s: %(claimed)s claimed, %(recovered)s recovered") % {
            "label": item.label,
            "claimed": money(item.values[0]),
            "recovered": money(item.values[1]),
        }
    claimed = sum((e["claimed"] for _c, e in entries), Decimal(0))
    recovered = sum((e["recovered"] for _c, e in entries), Decimal(0))
    return {
        "id": "amounts",
        "type": "bars",
        "title": title,
        "caption": _(
            "Claimed: what the selected cases ask for; recovered: what resolved cases got back. "
            "The recovery rate is recovered of claimed. Amounts in CNY."
        ),
        "geometry": geometry,
        "legend": [_("Claimed"), _("Recovered")],
        "empty": not (claimed or recovered),
        "empty_text": _("No amounts on these cases."),
        "table": {
            "head": [column, _("Cases"), _("Claimed"), _("Recovered"), _("Recovery rate")],
            "rows": [
                [
                    str(choice.label),
                    _count(entry["count"]),
                    money(entry["claimed"]),
                    money(entry["recovered"]),
                    _rate(entry["recovered"], entry["claimed"]),
                ]
                for choice, entry in entries
            ],
            "foot": [
                _("Total"),
                _count(sum(e["count"] for _c, e in entries)),
                money(claimed),
                money(recovered),
                _rate(recovered, claimed),
            ],
        },
    }

"""The staff dashboard at /staff/dashboard/: its tables give the right numbers for a known set of
cases, its SVG bars are in proportion, it is for staff only, in both languages, at a fixed
number of queries, with bad filters shown as form errors."""

from datetime import datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cases.models import Case
from deadlines.models import Deadline, DeadlineRule
from deadlines.services import rule_snapshot
from desk import charts

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday: its week starts on Monday 2026-11-16.
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)
URL = "/staff/dashboard/"


def test_the_dashboard_lives_under_the_staff_desk():
    assert reverse("desk-dashboard:dashboard") == URL


# --- Reading the page -------------------------------------------------------------------------


class _Page(HTMLParser):
    """Each chart section's table (rows of cell texts) and bars (the SVG rects' attributes)."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, dict] = {}
        self._section = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("id") or "").startswith("chart-"):
            self._section = {"rows": [], "bars": [], "svg": None}
            self.sections[attrs["id"][len("chart-") :]] = self._section
        if self._section is None:
            return
        if tag == "svg":
            self._section["svg"] = attrs
        elif tag == "rect" and "chart-bar" in (attrs.get("class") or "").split():
            self._section["bars"].append(attrs)
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._section["rows"].append(self._row)
            self._row = None
        elif tag == "section":
            self._section = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read(response, status=200) -> dict[str, dict]:
    assert response.status_code == status
    page = _Page()
    page.feed(response.content.decode())
    return page.sections


def week(monday: str, sunday: str) -> str:
    """A week's row label: Monday's date, an en dash, Sunday's month and day."""
    return f"{monday} \N{EN DASH} {sunday}"


def table(sections, chart_id) -> dict[str, list[str]]:
    """A chart's table as {first cell: the other cells}, header and total rows included."""
    return {row[0]: row[1:] for row in sections[chart_id]["rows"]}


# --- A known set of cases ---------------------------------------------------------------------


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


def _rule(key, name, name_zh):
    return DeadlineRule.objects.create(
        key=key,
        name=name,
        name_zh=name_zh,
        trigger="status_entered",
        duration=5,
        unit="working_days",
        waiting_on="platform",
    )


def _breach(case, rule):
    return Deadline.objects.create(
        case=case,
        rule=rule,
        rule_snapshot=rule_snapshot(rule),
        state="breached",
        waiting_on=rule.waiting_on,
        started_at=NOW - timedelta(days=10),
        due_at=NOW - timedelta(days=1),
        settled_at=NOW - timedelta(days=1),
    )


@pytest.fixture
def known(alice, bob, make_case):
    """Eight cases (by status, kind, platform, age, week and amounts as the tests expect) and
    three breached clocks of two rules."""
    days = timedelta(days=1)
    with mock.patch("cases.clock.now", return_value=NOW):
        c1 = make_case(alice, amount_claimed="2000.00")
        c2 = make_case(alice, amount_claimed="1000.00")
        c3 = make_case(bob, kind="account_ban", platform="douyin")
        c4 = make_case(bob, kind="purchase_complaint", platform="taobao", amount_claimed="399")
        c5 = make_case(alice, kind="store_removal", amount_claimed="5000")
        c6 = make_case(bob, kind="content_takedown", platform="kuaishou")
        c7 = make_case(alice, platform="kuaishou", amount_claimed="300", currency="USD")
        c8 = make_case(bob, kind="account_ban", platform="douyin")
    _set(c1, created_at=NOW - 2 * days)  # draft, Monday 11-16
    _set(
        c2,
        status="resolved",
        outcome="partly_won",
        amount_recovered=Decimal("600.00"),
        created_at=NOW - 20 * days,  # week of 10-26
        closed_at=NOW - 1 * days,  # week of 11-16
    )
    _set(c3, status="in_review", created_at=NOW - 40 * days)  # week of 10-05
    _set(
        c4,
        status="resolved",
        outcome="won",
        amount_recovered=Decimal("399.00"),
        created_at=NOW - 100 * days,  # before the 12 weeks
        closed_at=NOW - 8 * days,  # Tuesday 11-10
    )
    _set(c5, status="escalated", created_at=NOW - 100 * days)
    _set(
        c6,
        status="withdrawn",
        outcome="withdrawn",
        created_at=NOW - 10 * days,  # Sunday 11-08: week of 11-02
        closed_at=NOW - 9 * days,  # withdrawn, not resolved
    )
    _set(c7, status="filed", created_at=NOW - 5 * days)  # week of 11-09
    # Monday 05:00 in Shanghai is still Sunday in UTC: the week of 11-16 all the same.
    _set(c8, status="filed", created_at=datetime(2026, 11, 16, 5, 0, tzinfo=SHANGHAI))

    first = _rule("test.first_answer", "First answer", "首次答复")
    appeal = _rule("test.appeal", "Appeal review", "申诉复核")
    _breach(c1, first)
    _breach(c2, first)  # on a resolved case
    _breach(c3, appeal)
    return {"c1": c1, "c3": c3, "c7": c7, "first": first, "appeal": appeal}


@pytest.fixture
def staff_client(client, carol):
    client.force_login(carol)
    return client


def get(client, url=URL, *, lang="en", **params):
    with mock.patch("cases.clock.now", return_value=NOW):
        return client.get(url, params, secure=True, headers={"accept-language": lang})


# --- Numbers ----------------------------------------------------------------------------------


def test_tables_count_cases_by_status_kind_and_platform(staff_client, known):
    sections = read(get(staff_client))

    status = table(sections, "status")
    assert status["Draft"] == ["1", "12.5%"]
    assert status["Filed"] == ["2", "25.0%"]
    assert status["In review"] == ["1", "12.5%"]
    assert status["Information requested"] == ["0", "0.0%"]
    assert status["Escalated"] == ["1", "12.5%"]
    assert status["Resolved"] == ["2", "25.0%"]
    assert status["Withdrawn"] == ["1", "12.5%"]
    assert status["Total"] == ["8", "100.0%"]

    kind = table(sections, "kind")
    assert kind["Deposit refund"][0] == "3"
    assert kind["Store removal"][0] == "1"
    assert kind["Account ban"][0] == "2"
    assert kind["Content takedown"][0] == "1"
    assert kind["Purchase complaint"][0] == "1"

    platforms = [row[0] for row in sections["platform"]["rows"][1:-1]]
    # Busiest first; platforms without cases last, with zero.
    assert platforms[:4] == ["Douyin shop", "Douyin", "Kuaishou", "Taobao"]
    platform = table(sections, "platform")
    assert platform["Douyin shop"][0] == "3"
    assert platform["Douyin"][0] == "2"
    assert platform["Kuaishou"][0] == "2"
    assert platform["Taobao"][0] == "1"
    assert platform["Amazon"][0] == "0"


def test_weeks_count_cases_opened_and_resolved_in_shanghai_weeks_from_monday(staff_client, known):
    sections = read(get(staff_client))
    weeks = table(sections, "weekly")
    assert len(sections["weekly"]["rows"]) == 12 + 2  # header, 12 weeks, total
    assert weeks["Week"] == ["Opened", "Resolved"]
    assert weeks[week("2026-11-16", "11-22")] == ["2", "1"]
    assert weeks[week("2026-11-09", "11-15")] == ["1", "1"]
    assert weeks[week("2026-11-02", "11-08")] == ["1", "0"]
    assert weeks[week("2026-10-26", "11-01")] == ["1", "0"]
    assert weeks[week("2026-10-05", "10-11")] == ["1", "0"]
    assert weeks[week("2026-08-31", "09-06")] == ["0", "0"]
    # The case opened 100 days ago is before the first week; the withdrawn one is not resolved.
    assert weeks["Total"] == ["6", "2"]


def test_clocks_breached_per_rule_with_the_rules_name(staff_client, known):
    sections = read(get(staff_client))
    assert table(sections, "breached") == {
        "Rule": ["Breached", "On open cases"],
        "First answer": ["2", "0"],  # on a draft and a resolved case
        "Appeal review": ["1", "1"],
        "Total": ["3", "1"],
    }
    chinese = read(get(staff_client, lang="zh-hans"))
    assert "首次答复" in table(chinese, "breached")


def test_open_cases_by_age(staff_client, known):
    ages = table(read(get(staff_client)), "age")
    # Filed and not over, as the queue's "open": c1, a seller's draft, is not with us yet.
    assert ages["Under 7 days"][0] == "2"
    assert ages["7 to 30 days"][0] == "0"
    assert ages["30 to 90 days"][0] == "1"
    assert ages["Over 90 days"][0] == "1"
    assert ages["Total"][0] == "4"


def test_amounts_claimed_and_recovered_in_cny_by_kind_or_platform(staff_client, known):
    response = get(staff_client)
    amounts = table(read(response), "amounts")
    assert amounts["Deposit refund"] == ["3", "¥3,000.00", "¥600.00", "20%"]
    assert amounts["Store removal"] == ["1", "¥5,000.00", "¥0.00", "0%"]
    assert amounts["Purchase complaint"] == ["1", "¥399.00", "¥399.00", "100%"]
    assert amounts["Account ban"] == ["2", "¥0.00", "¥0.00", "—"]
    assert amounts["Total"] == ["8", "¥8,399.00", "¥999.00", "12%"]
    # The case claimed in dollars is counted, not summed, and the page says so.
    assert "1 case with amounts in another currency is left out" in response.text

    by_platform = table(read(get(staff_client, amounts_by="platform")), "amounts")
    assert by_platform["Douyin shop"] == ["3", "¥8,000.00", "¥600.00", "8%"]
    assert by_platform["Taobao"] == ["1", "¥399.00", "¥399.00", "100%"]
    assert "Amazon" not in by_platform


def test_summary_figures(staff_client, known):
    text = " ".join(get(staff_client).text.split())
    assert "Breached clocks on open cases</span><strong>1</strong>" in text
    assert "Claimed</span><strong>¥8,399.00</strong>" in text
    assert "Recovered</span><strong>¥999.00</strong>" in text


# --- Filters ----------------------------------------------------------------------------------


def test_filters_by_platform_kind_and_dates_apply_to_every_chart(staff_client, known):
    sections = read(get(staff_client, platform="douyin"))
    assert table(sections, "status")["Total"][0] == "2"
    assert table(sections, "breached") == {
        "Rule": ["Breached", "On open cases"],
        "Appeal review": ["1", "1"],
        "Total": ["1", "1"],
    }

    sections = read(get(staff_client, kind="deposit_refund"))
    assert table(sections, "status")["Total"][0] == "3"

    # Opened from Monday 11-09 to Sunday 11-15 (Shanghai dates).
    sections = read(get(staff_client, opened_from="2026-11-09", opened_to="2026-11-15"))
    assert table(sections, "status")["Total"][0] == "1"  # c7 only
    weeks = table(sections, "weekly")
    assert list(weeks)[-2] == week("2026-11-09", "11-15")  # the chart ends with the range's week
    assert weeks["Total"] == ["1", "0"]


@pytest.mark.parametrize(
    ("params", "field", "total"),
    [
        ({"platform": "myspace"}, "Platform", "8"),
        ({"kind": "<script>"}, "Kind", "8"),
        ({"opened_from": "yesterday"}, "Opened from", "8"),
        ({"opened_to": "9999-12-31"}, "Opened until", "8"),
        # A range the wrong way round keeps its start: the three cases opened since 11-10.
        ({"opened_from": "2026-11-10", "opened_to": "2026-11-01"}, "Opened until", "3"),
        ({"amounts_by": "owner"}, "Amounts by", "8"),
        ({"platform": "douyin", "kind": "nope"}, "Kind", "2"),
    ],
)
def test_bad_filters_are_form_errors_and_the_valid_ones_still_apply(
    staff_client, known, params, field, total
):
    response = get(staff_client, **params)
    assert response.status_code == 400  # as the case list and the API answer a bad filter
    assert "Some filters were not understood and were ignored" in response.text
    assert f"<li>{field}: " in response.text
    assert "<script>" not in response.text
    assert table(read(response, status=400), "status")["Total"][0] == total


# --- Charts -----------------------------------------------------------------------------------


def test_bars_are_in_proportion_to_the_largest(staff_client, known):
    sections = read(get(staff_client))

    status = sections["status"]
    widths = {bar["data-value"]: bar["width"] for bar in status["bars"]}
    # Filed and resolved (2) are the largest: full width; one case is half of it.
    assert widths["2"] == "100.00%"
    assert widths["1"] == "50.00%"
    # Statuses with no case draw no bar.
    assert len(status["bars"]) == 6
    assert all(bar["data-value"] != "0" for bar in status["bars"])

    weekly = sections["weekly"]["bars"]
    heights = sorted(float(bar["height"]) for bar in weekly)
    assert heights[-1] == charts.PLOT_HEIGHT
    assert heights[0] == charts.PLOT_HEIGHT / 2
    # Every bar stands on the baseline.
    baseline = charts.TOP_BAND + charts.PLOT_HEIGHT
    assert all(float(b["y"]) + float(b["height"]) == pytest.approx(baseline) for b in weekly)

    amounts = sections["amounts"]["bars"]
    largest = max(amounts, key=lambda bar: Decimal(bar["data-value"]))
    assert Decimal(largest["data-value"]) == 5000 and largest["width"] == "100.00%"
    assert {Decimal(b["data-value"]): b["width"] for b in amounts}[399] == "7.98%"


def test_each_chart_is_an_image_labelled_with_its_title_next_to_its_table(staff_client, known):
    sections = read(get(staff_client))
    assert set(sections) == {"status", "weekly", "kind", "platform", "breached", "age", "amounts"}
    for chart_id in sections:
        svg = sections[chart_id]["svg"]
        assert svg["role"] == "img"
        assert svg["aria-label"]
        assert sections[chart_id]["rows"], chart_id


def test_the_geometry_of_bar_and_column_charts():
    geometry = charts.bar_chart(
        [charts.Item("a", "A", (4,)), charts.Item("b", "B", (1,)), charts.Item("c", "C", (0,))]
    )
    bars = [row.bars[0] for row in geometry["rows"]]
    assert [bar.width_pct for bar in bars] == ["100.00", "25.00", "0.00"]
    assert [bar.drawn for bar in bars] == [True, True, False]

    columns = charts.column_chart(
        [charts.Item("w1", "W1", (0, 0)), charts.Item("w2", "W2", (3, 6))], tick=str
    )
    w1, w2 = columns["columns"]
    assert not any(bar.drawn for bar in w1.bars)
    assert [bar.height for bar in w2.bars] == [
        f"{charts.PLOT_HEIGHT / 2:.2f}",
        f"{charts.PLOT_HEIGHT:.2f}",
    ]

    nothing = charts.bar_chart([charts.Item("a", "A", (0,))])
    assert nothing["rows"][0].bars[0].drawn is False


def test_long_labels_are_clipped_in_the_chart_and_whole_in_the_table(
    staff_client, alice, make_case
):
    assert charts.clip("Short") == "Short"
    long_zh = "平台首次答复期限" * 4
    clipped = charts.clip(long_zh)
    assert clipped.endswith("…") and len(clipped) <= charts.LABEL_BUDGET // 2 + 1
    with mock.patch("cases.clock.now", return_value=NOW):
        case = make_case(alice)
    _set(case, status="filed")
    _breach(case, _rule("test.long", "First answer", long_zh))

    response = get(staff_client, lang="zh-hans")
    assert long_zh in table(read(response), "breached")  # whole in the table
    chart = response.text.split('id="chart-breached"')[1].split("</svg>")[0]
    # Clipped where it is drawn; whole in the row's tooltip.
    assert f">{clipped}</text>" in chart and f">{long_zh}</text>" not in chart
    assert f"<title>{long_zh}: 1</title>" in chart


# --- Who and which language -------------------------------------------------------------------


def test_a_seller_gets_404(client, alice, known):
    client.force_login(alice)
    assert get(client).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL, secure=True)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_chinese_by_default_and_english_when_asked(staff_client, known):
    chinese = staff_client.get(URL, secure=True)
    assert chinese.status_code == 200
    status = table(read(chinese), "status")
    assert "已解决" in status or "草稿" in status  # labels from cases.choices, translated
    english = get(staff_client)
    assert "Cases by status" in english.text
    assert "Resolved" in table(read(english), "status")


def test_labels_are_escaped_in_the_chart_and_the_table(staff_client, known):
    DeadlineRule.objects.filter(pk=known["appeal"].pk).update(name='<b onclick="x()">Appeal</b>')
    response = get(staff_client)
    assert '<b onclick="x()">' not in response.text
    assert "&lt;b onclick=&quot;x()&quot;&gt;Appeal&lt;/b&gt;" in response.text
    assert '<b onclick="x()">Appeal</b>' in table(read(response), "breached")


def test_the_page_links_back_to_the_queue_and_says_when_it_was_computed(staff_client, known):
    response = get(staff_client)
    assert 'href="/staff/"' in response.text
    assert "As of 10:00" in response.text


def test_each_status_kind_and_platform_row_leads_to_those_cases_in_the_queue(staff_client, known):
    response = get(staff_client, platform="douyin_shop", opened_from="2026-11-01")
    page = response.text
    assert (
        'href="/staff/?status=filed&amp;platform=douyin_shop&amp;created_from=2026-11-01">'
        "Filed</a>" in page
    )
    assert 'href="/staff/?status=all&amp;platform=douyin_shop&amp;kind=account_ban' in page
    # The platform chart's rows replace the dashboard's platform with their own.
    assert 'href="/staff/?status=all&amp;platform=kuaishou&amp;created_from=2026-11-01">' in page

    with mock.patch("cases.clock.now", return_value=NOW):
        queue = staff_client.get(
            "/staff/", {"status": "all", "platform": "douyin_shop"}, secure=True
        )
    counted = table(read(get(staff_client, platform="douyin_shop")), "status")["Total"][0]
    assert len(queue.context["cases"]) == int(counted)


def test_a_dated_row_leads_to_the_same_cases_for_staff_in_another_time_zone(
    staff_client, carol, known
):
    # c7 was opened on 2026-11-13 at 10:00 in Shanghai: 11-12 in Los Angeles. Both pages
    # count whole days in Shanghai, so the row and its queue agree for this reader too.
    carol.time_zone = "America/Los_Angeles"
    carol.save(update_fields=["time_zone"])
    response = get(staff_client, opened_from="2026-11-13", opened_to="2026-11-13")
    rows = table(read(response), "status")
    assert rows["Filed"][0] == "1"
    with mock.patch("cases.clock.now", return_value=NOW):
        queue = staff_client.get(
            "/staff/",
            {"status": "filed", "created_from": "2026-11-13", "created_to": "2026-11-13"},
            secure=True,
        )
    assert [row.reference for row in queue.context["cases"]] == [known["c7"].reference]


# --- Queries and cache ------------------------------------------------------------------------


def test_a_fixed_number_of_queries_whatever_the_data(
    staff_client, known, make_case, alice, django_assert_max_num_queries
):
    from django.core.cache import cache

    # Session, user, the navigation's unread badge, and the dashboard's five aggregates.
    with django_assert_max_num_queries(8):
        get(staff_client)
    cache.clear()
    with mock.patch("cases.clock.now", return_value=NOW):
        for _n in range(10):
            make_case(alice, kind="content_takedown", platform="jd", amount_claimed="10")
    with django_assert_max_num_queries(8):
        response = get(staff_client, platform="jd", opened_from="2026-01-01")
    assert table(read(response), "status")["Total"][0] == "10"


def test_the_numbers_are_kept_for_a_minute(
    staff_client, known, alice, make_case, django_assert_max_num_queries
):
    get(staff_client)
    with mock.patch("cases.clock.now", return_value=NOW):
        make_case(alice)
    # The aggregates come from the cache: only session, user and the unread badge.
    with django_assert_max_num_queries(3):
        cached = get(staff_client)
    assert table(read(cached), "status")["Total"][0] == "8"
    # Other filters are other numbers.
    assert table(read(get(staff_client, kind="deposit_refund")), "status")["Total"][0] == "4"


def test_age_buckets_and_weeks_at_their_boundaries(staff_client, alice, make_case):
    """A case exactly 7, 30 or 90 days old is in the older bucket; a case resolved at Sunday
    23:59 in Shanghai counts for that week, at Monday 00:00 for the next."""
    ages = [timedelta(days=6, hours=23), timedelta(days=7), timedelta(days=29, hours=23)]
    ages += [timedelta(days=30), timedelta(days=90), timedelta(days=91)]
    with mock.patch("cases.clock.now", return_value=NOW):
        for age in ages:
            _set(make_case(alice), status="filed", created_at=NOW - age)
        sunday, monday = make_case(alice), make_case(alice)
    for case, closed in (
        (sunday, datetime(2026, 11, 15, 23, 59, tzinfo=SHANGHAI)),
        (monday, datetime(2026, 11, 16, 0, 0, tzinfo=SHANGHAI)),
    ):
        _set(case, status="resolved", outcome="won", closed_at=closed, created_at=NOW)

    sections = read(get(staff_client))
    ages_table = table(sections, "age")
    assert ages_table["Under 7 days"][0] == "1"
    assert ages_table["7 to 30 days"][0] == "2"
    assert ages_table["30 to 90 days"][0] == "1"
    assert ages_table["Over 90 days"][0] == "2"
    weeks = table(sections, "weekly")
    assert weeks[week("2026-11-09", "11-15")][1] == "1"
    assert weeks[week("2026-11-16", "11-22")][1] == "1"


def test_with_no_cases_the_charts_are_empty_and_say_so(staff_client):
    response = get(staff_client)
    sections = read(response)
    assert table(sections, "status")["Total"] == ["0", "—"]
    assert all(not sections[chart]["bars"] for chart in sections)
    assert "No clock has run out on these cases." in response.text
    assert "No amounts on these cases." in response.text


def test_beat_keeps_the_unfiltered_dashboard_computed(
    staff_client, known, alice, make_case, django_assert_max_num_queries
):
    from django.conf import settings

    from desk.tasks import refresh_dashboard

    entry = settings.CELERY_BEAT_SCHEDULE["refresh-dashboard"]
    assert (entry["task"], entry["schedule"]) == ("desk.tasks.refresh_dashboard", 60)
    with mock.patch("cases.clock.now", return_value=NOW):
        refresh_dashboard.delay()
    # Staff opening the page get what the task computed, without the scans.
    with django_assert_max_num_queries(3):
        first = get(staff_client)
    assert table(read(first), "status")["Total"][0] == "8"
    with mock.patch("cases.clock.now", return_value=NOW):
        make_case(alice)
        refresh_dashboard.delay()
    assert table(read(get(staff_client)), "status")["Total"][0] == "9"

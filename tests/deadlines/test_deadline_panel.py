"""The clocks a seller sees: the case page's panel (what each clock is, who waits on whom, when
it runs out in the reader's time zone, what is left, the marks, the rule behind it, the
settled ones below) and the dashboard's "due soon" and "breached" — each with a fixed number
of queries, and another seller's clocks never shown."""

import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import case_transition
from channels.services import contact_log
from deadlines.models import Deadline
from deadlines.staff import deadline_staff_pause
from deadlines.sweep import sweep_deadlines

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


FILED_AT = at(2026, 3, 2, 10, 0)  # a Monday
NOW = at(2026, 3, 3, 10, 0)  # the next day, when the pages are read


class HttpsClient(Client):
    """Over HTTPS, as in production (tests run with SECURE_SSL_REDIRECT on)."""

    def generic(self, method, path, *args, **extra):
        extra["secure"] = True
        return super().generic(method, path, *args, **extra)


@contextmanager
def moment(when):
    with mock.patch("cases.clock.now", return_value=when):
        yield


def move(actor, case, to, when):
    case.refresh_from_db()
    with moment(when):
        case_transition(actor=actor, case=case, to=to)


def read(user, url, *, when=NOW, language=None):
    client = HttpsClient()
    client.force_login(user)
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    with moment(when):
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def panel(html: str) -> str:
    start = html.index('id="clocks"')
    return html[start : html.index("</section>", start)]


def item(html: str, deadline: Deadline) -> str:
    """One clock's <li>, from its opening tag (which carries the state classes)."""
    start = html.rindex("<li", 0, html.index(f'id="clock-{deadline.pk}"'))
    return html[start : html.index("</li>", start)]


def event(html: str, kind: str) -> str:
    """The first timeline entry of that kind (its change rows are <li>s of their own)."""
    timeline = html[html.index('class="timeline"') :]
    start = timeline.index(f'<li class="event event-{kind}')
    end = timeline.find('<li class="event', start + 1)
    return timeline[start : end if end > 0 else None]


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


@pytest.fixture
def filed(alice, alice_case):
    """Filed Monday 10:00: the platform's first response is due in 5 working days, at 24:00
    on Monday 03-09."""
    move(alice, alice_case, "filed", FILED_AT)
    return alice_case


def clock(case, key) -> Deadline:
    return Deadline.objects.get(case=case, rule__key=key, state__in=["running", "paused"])


# --- The case page's panel ----------------------------------------------------------------


def test_a_running_clock_in_english(alice, carol, filed):
    html = read(alice, filed.get_absolute_url(), language="en")
    first = clock(filed, "platform.first_response")
    shown = item(html, first)
    assert "Platform&#x27;s first response" in shown
    assert "Waiting on the platform (Douyin shop)" in text(shown)
    # Due at 24:00 on the fifth working day, in the reader's zone.
    assert "Due 2026-03-09 24:00 Asia/Shanghai" in text(shown)
    assert f'datetime="{first.due_at.isoformat()}"' in shown
    # Tuesday 10:00 → the rest of Tuesday and Wednesday to Monday: working time.
    assert "4 working days 14 h left" in text(shown)
    # The live countdown's data: the due moment and the working time it counts through.
    assert f'data-due="{first.due_at.isoformat()}"' in shown
    assert "data-runs=" in shown
    # The rule behind it: its source and how it is counted; the rule's internal key is for
    # support staff only (no internal ids in a seller's page).
    assert "How is this counted?" in shown
    assert "5 working days, from the day after it started" in text(shown)
    assert "a platform's figure, still to verify" in text(shown)
    assert "platform.first_response" not in shown
    for_staff = item(read(carol, filed.get_absolute_url(), language="en"), first)
    assert 'title="platform.first_response · Platform seller guides' in for_staff
    assert "<code>platform.first_response</code>" in for_staff


def test_the_panel_speaks_chinese_by_default(alice, filed):
    html = read(alice, filed.get_absolute_url())
    shown = item(html, clock(filed, "platform.first_response"))
    assert "平台首次答复" in shown
    assert "Platform&#x27;s first response" not in shown
    assert "2026-03-09 24:00" in shown


def test_the_due_moment_is_shown_in_the_readers_time_zone(make_user, make_case):
    mei = make_user("mei", time_zone="Europe/Berlin")
    case = make_case(mei)
    move(mei, case, "filed", FILED_AT)
    html = read(mei, case.get_absolute_url(), language="en")
    shown = text(item(html, clock(case, "platform.first_response")))
    # 03-10 00:00 in Shanghai is 03-09 17:00 in Berlin; the working days stay China's.
    assert "Due 2026-03-09 17:00 Europe/Berlin" in shown
    assert "4 working days 14 h left" in shown


def test_an_hour_clock_shows_hours_and_minutes(alice, make_case):
    case = make_case(alice, priority="urgent")
    move(alice, case, "filed", FILED_AT)
    html = read(
        alice,
        case.get_absolute_url(),
        when=FILED_AT + timedelta(hours=2, minutes=20),
        language="en",
    )
    shown = item(html, clock(case, "platform.first_response.urgent"))
    assert "21 h 40 min" in text(shown)
    assert "clock-soon" in shown  # less than a day left
    assert "data-runs" not in shown  # wall time: the script counts down to data-due


def test_an_overdue_clock_not_yet_swept_says_so(alice, filed):
    html = read(alice, filed.get_absolute_url(), when=at(2026, 3, 10, 9, 0), language="en")
    shown = item(html, clock(filed, "platform.first_response"))
    assert "clock-overdue" in shown
    assert "Overdue" in text(shown)


def test_who_is_waiting_on_whom(alice, carol, filed):
    move(alice, filed, "in_review", at(2026, 3, 3, 9, 0))
    move(alice, filed, "info_requested", at(2026, 3, 3, 9, 30))
    with moment(at(2026, 3, 3, 9, 40)):
        contact_log(
            actor=alice,
            case=filed,
            channel="regulator",
            direction="outbound",
            occurred_at=at(2026, 3, 3, 9, 35),
            body="12315",
            filing_type="report",
            summary="向 12315 举报平台不退保证金",
        )
    reply, report = clock(filed, "seller.reply"), clock(filed, "samr.report_verify")

    for_alice = read(alice, filed.get_absolute_url(), language="en")
    assert "Waiting on you" in text(item(for_alice, reply))
    assert re.search(r"Waiting on .*12315", text(item(for_alice, report)))
    for_carol = read(carol, filed.get_absolute_url(), language="en")
    assert "Waiting on the seller" in text(item(for_carol, reply))


def test_a_paused_clock_shows_the_time_it_keeps(alice, carol, filed):
    move(alice, filed, "in_review", at(2026, 3, 4, 10, 0))
    move(alice, filed, "info_requested", at(2026, 3, 6, 12, 0))  # Friday noon
    decision = clock(filed, "platform.decision")
    html = read(alice, filed.get_absolute_url(), when=at(2026, 3, 7, 9, 0), language="en")
    shown = text(item(html, decision))
    assert "Paused" in shown
    assert "5 working days left when paused" in shown
    assert "leaves “information requested”" in shown
    assert "countdown" not in item(html, decision)  # frozen: nothing counts down

    with moment(at(2026, 3, 7, 9, 0)):
        deadline_staff_pause(actor=carol, deadline=decision, reason="平台春节放假")
    html = read(alice, filed.get_absolute_url(), when=at(2026, 3, 7, 9, 5), language="en")
    shown = text(item(html, decision))
    assert "Paused by staff" in shown
    assert "when staff resume it" in shown


def test_a_provisional_clock_explains_why(alice, make_case):
    details = {"store_id": "DS-88231", "deposit_amount": "2000.00", "harm_learned_on": "2026-03-01"}
    with moment(NOW):
        case = make_case(alice, details=details)
    limitation = clock(case, "civil.limitation")
    assert limitation.provisional
    html = read(alice, case.get_absolute_url(), language="en")
    shown = text(item(html, limitation))
    assert "Provisional" in shown
    assert "holiday calendar for 2029 is not published yet" in shown
    assert "Due 2029-03-01 24:00" in shown


def test_running_and_paused_clocks_come_first_soonest_due_first(alice, filed):
    move(alice, filed, "in_review", at(2026, 3, 3, 9, 0))
    move(alice, filed, "info_requested", at(2026, 3, 3, 9, 30))
    with moment(NOW):
        contact_log(
            actor=alice,
            case=filed,
            channel="regulator",
            direction="outbound",
            occurred_at=at(2026, 3, 3, 9, 35),
            body="12315",
            filing_type="report",
            summary="举报",
        )
    html = panel(read(alice, filed.get_absolute_url(), language="en"))
    order = [
        clock(filed, key).pk for key in ("seller.reply", "platform.decision", "samr.report_verify")
    ]
    positions = [html.index(f'id="clock-{pk}"') for pk in order]
    assert positions == sorted(positions)
    # The first response was answered: it is history, after the open clocks.
    first = Deadline.objects.get(case=filed, rule__key="platform.first_response")
    assert html.index(f'id="clock-{first.pk}"') > positions[-1]


def test_settled_clocks_stay_below_as_history(alice, filed, make_case):
    move(alice, filed, "in_review", at(2026, 3, 4, 10, 0))  # first response met
    sweep_deadlines(now=at(2026, 3, 14, 0, 0))  # decision breached at 03-13 24:00
    move(alice, filed, "withdrawn", at(2026, 3, 16, 9, 0))
    html = panel(read(alice, filed.get_absolute_url(), when=at(2026, 3, 16, 10, 0), language="en"))
    history = html[html.index("clock-history") :]
    assert "Earlier deadlines (2)" in text(history)
    met = Deadline.objects.get(case=filed, rule__key="platform.first_response")
    breached = Deadline.objects.get(case=filed, rule__key="platform.decision")
    assert "Met 2026-03-04 10:00" in text(item(history, met))
    assert "Breached 2026-03-13 24:00" in text(item(history, breached))
    assert 'class="clocks"' not in html  # nothing running on a withdrawn case

    other = make_case(alice)
    move(alice, other, "filed", FILED_AT)
    move(alice, other, "withdrawn", at(2026, 3, 3, 9, 0))
    html = panel(read(alice, other.get_absolute_url(), language="en"))
    cancelled = Deadline.objects.get(case=other)
    assert "Cancelled 2026-03-03 09:00" in text(item(html, cancelled))


def test_a_case_with_no_clock_says_when_they_start(alice, alice_case):
    html = panel(read(alice, alice_case.get_absolute_url(), language="en"))
    assert "No deadline is running" in html


def test_the_countdown_is_a_script_file_not_inline(alice, filed):
    html = read(alice, filed.get_absolute_url())
    assert '<script src="/static/js/clocks.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    labels = re.search(r'data-countdown-labels="([^"]+)"', html)
    assert labels and "{days}" in labels.group(1) and "{time}" in labels.group(1)


def test_staff_get_the_actions_and_sellers_do_not(alice, carol, filed):
    first = clock(filed, "platform.first_response")
    pause_url = reverse("deadlines:pause", args=[filed.reference, first.pk])
    extend_url = reverse("deadlines:extend", args=[filed.reference, first.pk])
    for_carol = item(read(carol, filed.get_absolute_url()), first)
    assert pause_url in for_carol and extend_url in for_carol
    assert "/resume/" not in for_carol  # it is running
    for_alice = read(alice, filed.get_absolute_url())
    assert "/deadlines/" not in for_alice


def test_clock_events_read_on_the_timeline(alice, carol, filed):
    first = clock(filed, "platform.first_response")
    with moment(at(2026, 3, 3, 11, 0)):
        deadline_staff_pause(actor=carol, deadline=first, reason="平台系统维护，暂停计时")
    sweep_deadlines(now=at(2026, 3, 3, 11, 1))
    html = read(alice, filed.get_absolute_url(), when=at(2026, 3, 3, 12, 0), language="en")
    paused = event(html, "deadline_paused")
    assert "Platform&#x27;s first response · 4 working days left" in paused
    assert "平台系统维护，暂停计时" in paused
    assert "carol" in paused
    assert "2026-03-09 24:00" in paused and "paused" in text(paused)


def test_a_breach_on_the_timeline_names_its_clock_and_the_next_step(alice, filed):
    sweep_deadlines(now=at(2026, 3, 10, 0, 0))
    html = read(alice, filed.get_absolute_url(), when=at(2026, 3, 10, 9, 0))
    breach = event(html, "deadline_breached")
    assert "平台首次答复" in breach  # the sweep's event has no name: the clock's is used
    assert "催促平台答复" in breach  # the suggestion, in Chinese


# --- Query counts -------------------------------------------------------------------------


def count_queries(user, url, *, when=NOW) -> int:
    client = HttpsClient()
    client.force_login(user)
    with moment(when), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def many_clocks(alice, carol, case):
    """Clocks of every sort on one case: working-day, hour and calendar-day clocks, running,
    paused by info_requested and by staff, met, breached; some started by contacts."""
    move(alice, case, "in_review", at(2026, 3, 2, 11, 0))
    move(alice, case, "info_requested", at(2026, 3, 2, 12, 0))
    with moment(at(2026, 3, 2, 13, 0)):
        for body in ("12315", "douyin_shop"):
            contact_log(
                actor=alice,
                case=case,
                channel="regulator",
                direction="outbound",
                occurred_at=at(2026, 3, 2, 12, 30),
                body=body,
                filing_type="report",
                summary="举报",
                follow_up_on=at(2026, 3, 20).date(),
            )
        deadline_staff_pause(
            actor=carol, deadline=clock(case, "seller.reply"), reason="卖家在外地，暂停"
        )


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_the_case_page_runs_as_many_queries_with_one_clock_as_with_many(
    request, alice, carol, make_case, viewer
):
    user = request.getfixturevalue(viewer)
    one = make_case(alice)
    move(alice, one, "filed", FILED_AT)
    with moment(at(2026, 3, 2, 13, 0)):
        # A contact that starts no clock: both pages show contacts (read with their files).
        contact_log(
            actor=alice,
            case=one,
            channel="phone",
            direction="outbound",
            occurred_at=at(2026, 3, 2, 12, 30),
            body="douyin_shop",
            filing_type="inquiry",
            summary="电话催办",
        )
    assert one.deadlines.count() == 1
    many = make_case(alice)
    move(alice, many, "filed", FILED_AT)
    many_clocks(alice, carol, many)
    assert many.deadlines.count() >= 5
    assert count_queries(user, one.get_absolute_url()) == count_queries(
        user, many.get_absolute_url()
    )


@pytest.mark.parametrize("viewer", ["alice", "carol"])
def test_the_dashboard_runs_as_many_queries_with_one_clock_as_with_many(
    request, alice, bob, carol, make_case, viewer
):
    user = request.getfixturevalue(viewer)
    first = make_case(alice)
    move(alice, first, "filed", FILED_AT)
    sweep_deadlines(now=at(2026, 3, 10, 0, 0))
    move(alice, first, "in_review", at(2026, 3, 10, 9, 0))
    with moment(at(2026, 3, 10, 9, 0)):
        one = count_queries(user, reverse("cases:dashboard"), when=at(2026, 3, 10, 9, 0))
    for owner in (alice, bob) * 6:
        case = make_case(owner)
        move(owner, case, "filed", FILED_AT)
        many_clocks(owner, carol, case)
    sweep_deadlines(now=at(2026, 3, 10, 0, 0))
    many = count_queries(user, reverse("cases:dashboard"), when=at(2026, 3, 10, 9, 0))
    assert one == many


# --- The dashboard ------------------------------------------------------------------------


def dashboard(user, *, when, language="en") -> str:
    return read(user, reverse("cases:dashboard"), when=when, language=language)


def section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    return html[start : html.index("</section>", start)]


SATURDAY = at(2026, 3, 7, 10, 0)


@pytest.fixture
def two_sellers(alice, bob, make_case):
    """Read on Saturday 03-07 at 10:00: Alice's deposit case due Monday 03-09 24:00, her
    urgent case due Sunday 08:00, Bob's due Monday 24:00; and one of Alice's that ran out on
    02-28 at 24:00."""
    mine = make_case(alice, title="抖店保证金 2000 元未退")
    move(alice, mine, "filed", FILED_AT)
    urgent = make_case(alice, title="账号被封", priority="urgent")
    move(alice, urgent, "filed", at(2026, 3, 7, 8, 0))
    theirs = make_case(bob, title="鲍勃的店铺被清退")
    move(bob, theirs, "filed", FILED_AT)
    late = make_case(alice, title="平台逾期未答复")
    move(alice, late, "filed", at(2026, 2, 20, 10, 0))
    sweep_deadlines(now=at(2026, 3, 7, 10, 0))
    return {"mine": mine, "urgent": urgent, "theirs": theirs, "late": late}


def test_a_seller_sees_only_her_own_clocks_due_soon_soonest_first(alice, two_sellers):
    html = dashboard(alice, when=SATURDAY)
    due_soon = section(html, "due-soon")
    urgent, mine = two_sellers["urgent"], two_sellers["mine"]
    assert due_soon.index(urgent.reference) < due_soon.index(mine.reference)
    assert "鲍勃" not in html and two_sellers["theirs"].reference not in html
    row = due_soon[due_soon.index(mine.reference) :]
    row = text(row[: row.index("</li>")])
    assert "Platform&#x27;s first response" in row or "Platform's first response" in row
    assert "Due 2026-03-09 24:00" in row
    assert "1 working day left" in row  # the weekend does not count
    assert f'href="{mine.get_absolute_url()}#clock-' in due_soon


def test_clocks_further_than_three_days_are_not_due_soon(alice, filed):
    html = dashboard(alice, when=NOW)
    assert 'id="due-soon"' not in html


def test_a_seller_sees_her_breached_clocks_on_open_cases(alice, bob, two_sellers, make_case):
    late = two_sellers["late"]
    breached = section(dashboard(alice, when=SATURDAY), "breached")
    assert late.reference in breached
    # When it ran out: after the Spring Festival break, on Saturday 02-28, a working day.
    assert "2026-02-28 24:00" in breached
    assert two_sellers["mine"].reference not in breached

    move(alice, late, "withdrawn", at(2026, 3, 7, 11, 0))
    html = dashboard(alice, when=at(2026, 3, 7, 12, 0))
    assert 'id="breached"' not in html


def test_staff_see_everyones_clocks(carol, two_sellers):
    html = dashboard(carol, when=SATURDAY)
    due_soon = section(html, "due-soon")
    for name in ("mine", "urgent", "theirs"):
        assert two_sellers[name].reference in due_soon
    assert two_sellers["late"].reference in section(html, "breached")


def test_due_soon_and_breached_show_ten_at_most(alice, make_case):
    for _ in range(12):
        case = make_case(alice)
        move(alice, case, "filed", FILED_AT)
    html = dashboard(alice, when=at(2026, 3, 7, 10, 0))
    assert section(html, "due-soon").count('<li class="clock') == 10
    sweep_deadlines(now=at(2026, 3, 10, 0, 0))
    html = dashboard(alice, when=at(2026, 3, 10, 9, 0))
    assert section(html, "breached").count('<li class="clock') == 10

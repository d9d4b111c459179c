"""The notifications page, marking read, and the unread badge in the navigation."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import clock
from cases.services import case_add_note, case_transition
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.views import NOTIFICATIONS_PER_PAGE
from tests.channels.web import HttpsClient

LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read_all")
# session, user, the navigation's unread badge, the paginator's count, the page of rows
LIST_BUDGET = 5


def read_url(notification) -> str:
    return reverse("notifications:read", kwargs={"notification_id": notification.pk})


@pytest.fixture
def web_as():
    def login(user):
        client = HttpsClient()
        client.force_login(user)
        return client

    return login


def _notes(actor, case, n):
    """n notifications for the case's owner (staff add n notes), oldest first."""
    for i in range(n):
        case_add_note(actor=actor, case=case, note=f"第 {i} 次催办")
    return list(Notification.objects.filter(case=case).order_by("id"))


def _unread_badge(html: str) -> str | None:
    match = re.search(r'<span class="badge unread-count">.*?</span>(\d+\+?)</span>', html)
    return match.group(1) if match else None


def test_the_page_needs_a_login():
    response = HttpsClient().get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_lists_my_notifications_newest_first_with_unread_ones_marked(
    web_as, alice, bob, carol, alice_case, make_case
):
    case_transition(actor=carol, case=alice_case, to="filed")
    case_add_note(actor=carol, case=alice_case, note="已联系平台")
    first, second = Notification.objects.filter(recipient=alice).order_by("id")
    Notification.objects.filter(pk=first.pk).update(read_at=clock.now())
    bobs_case = make_case(bob, title="鲍勃的案件")
    case_add_note(actor=carol, case=bobs_case, note="bob only")

    response = web_as(alice).get(LIST)

    assert response.status_code == 200
    html = response.text
    assert html.index("carol added a note") < html.index("carol moved the case to “Filed”")
    assert "鲍勃的案件" not in html
    assert html.count('class="notification unread"') == 1
    assert html.count('class="notification"') == 1
    # The unread one opens through the POST that marks it read; the read one is a plain link.
    assert f'action="{read_url(second)}"' in html
    assert f'action="{read_url(first)}"' not in html
    assert f'href="{alice_case.get_absolute_url()}"' in html


def test_the_page_runs_the_same_queries_for_one_notification_as_for_fifty(
    web_as, alice, carol, make_case, django_assert_max_num_queries
):
    client = web_as(alice)
    counts = []
    for n in (1, 49):
        _notes(carol, make_case(alice), n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(queries))
    assert Notification.objects.filter(recipient=alice).count() == 50

    with django_assert_max_num_queries(LIST_BUDGET):
        assert client.get(LIST + "?page=2").status_code == 200
    assert counts[0] == counts[1] <= LIST_BUDGET


def test_the_page_is_paginated(web_as, alice, carol, alice_case):
    _notes(carol, alice_case, NOTIFICATIONS_PER_PAGE + 1)
    client = web_as(alice)

    first = client.get(LIST).text
    second = client.get(LIST + "?page=2").text

    assert first.count('<li class="notification') == NOTIFICATIONS_PER_PAGE
    assert second.count('<li class="notification') == 1
    assert 'rel="next"' in first


def test_opening_a_notification_marks_it_read_and_goes_to_its_case(
    web_as, alice, carol, alice_case
):
    [notification] = _notes(carol, alice_case, 1)

    response = web_as(alice).post(read_url(notification))

    assert response.status_code == 302
    assert response["Location"] == alice_case.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_it_again_keeps_the_first_read_time(web_as, alice, carol, alice_case):
    [notification] = _notes(carol, alice_case, 1)
    client = web_as(alice)
    client.post(read_url(notification))
    notification.refresh_from_db()
    first_read = notification.read_at

    assert client.post(read_url(notification)).status_code == 302

    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_someone_elses_notification_is_not_found(web_as, alice, bob, carol, alice_case):
    [notification] = _notes(carol, alice_case, 1)

    assert web_as(bob).post(read_url(notification)).status_code == 404
    assert web_as(carol).post(read_url(notification)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_takes_a_post(web_as, alice, carol, alice_case):
    [notification] = _notes(carol, alice_case, 1)

    assert web_as(alice).get(read_url(notification)).status_code == 405
    assert web_as(alice).get(READ_ALL).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_mine(web_as, alice, bob, carol, alice_case, make_case):
    _notes(carol, alice_case, 3)
    _notes(carol, make_case(bob), 2)

    response = web_as(alice).post(READ_ALL, follow=True)

    assert response.redirect_chain == [(LIST, 302)]
    assert "3 notifications marked read." in response.text
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 2


def test_the_navigation_shows_my_unread_count_on_every_page(web_as, alice, carol, alice_case):
    notifications = _notes(carol, alice_case, 3)
    client = web_as(alice)

    assert _unread_badge(client.get(reverse("cases:dashboard")).text) == "3"
    assert _unread_badge(client.get(reverse("bodies:list")).text) == "3"
    client.post(read_url(notifications[0]))
    assert _unread_badge(client.get(reverse("cases:list")).text) == "2"
    client.post(READ_ALL)
    html = client.get(reverse("cases:dashboard")).text
    assert _unread_badge(html) is None
    assert f'href="{LIST}"' in html


def test_the_badge_stops_counting_at_a_hundred(web_as, alice, alice_case):
    def unread(n):
        Notification.objects.bulk_create(
            Notification(recipient=alice, case=alice_case, kind=NotificationKind.DEADLINE_WARNING)
            for _ in range(n)
        )

    unread(99)
    client = web_as(alice)
    assert _unread_badge(client.get(reverse("cases:dashboard")).text) == "99"
    unread(2)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("cases:dashboard")).text
    assert _unread_badge(html) == "99+"
    (count,) = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert "LIMIT 100" in count


def test_anonymous_visitors_get_no_badge_and_no_count_query(alice, carol, alice_case):
    _notes(carol, alice_case, 2)

    with CaptureQueriesContext(connection) as queries:
        response = HttpsClient().get(reverse("accounts:login"))

    assert response.status_code == 200
    assert _unread_badge(response.text) is None
    assert not any("notifications_notification" in q["sql"] for q in queries)


def test_the_badge_counts_the_sweeps_notifications_too(web_as, alice, alice_case):
    Notification.objects.create(
        recipient=alice,
        case=alice_case,
        kind=NotificationKind.DEADLINE_WARNING,
        created_at=clock.now() - timedelta(minutes=1),
    )

    assert _unread_badge(web_as(alice).get(reverse("cases:dashboard")).text) == "1"

"""The notifications API: your own only, newest first, keyset pages, unread filter, marking
read; someone else's notification answers 404 like a missing one."""

import datetime
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse

from cases import clock
from cases.services import case_add_note, case_transition
from deadlines.models import Deadline
from notifications.choices import NotificationKind
from notifications.models import Notification

LIST = reverse("notifications-api:notification-list")
READ_ALL = reverse("notifications-api:notification-read-all")


def read_url(notification_id: int) -> str:
    return reverse(
        "notifications-api:notification-read", kwargs={"notification_id": notification_id}
    )


def _notes(actor, case, n) -> list[Notification]:
    for i in range(n):
        case_add_note(actor=actor, case=case, note=f"第 {i} 次催办")
    return list(Notification.objects.filter(case=case).order_by("id"))


def _all_pages(client, url) -> list[dict]:
    rows = []
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_anonymous_callers_get_401(api_client):
    assert api_client.get(LIST).status_code == 401
    assert api_client.post(READ_ALL).status_code == 401


def test_the_list_has_my_notifications_newest_first_with_their_fields(
    alice, alice_api, carol, alice_case, make_case, bob
):
    case_transition(actor=carol, case=alice_case, to="filed")
    case_add_note(actor=carol, case=alice_case, note="已联系平台")
    case_add_note(actor=carol, case=make_case(bob), note="bob only")
    status_changed, noted = Notification.objects.filter(recipient=alice).order_by("id")

    response = alice_api.get(LIST, headers={"accept-language": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    assert [row["id"] for row in body["results"]] == [noted.pk, status_changed.pk]
    row = body["results"][1]
    assert datetime.datetime.fromisoformat(row.pop("created_at")) == status_changed.created_at
    assert row == {
        "id": status_changed.pk,
        "kind": "status_changed",
        "text": "carol moved the case to “Filed”",
        "case": alice_case.reference,
        "deadline": None,
        "read_at": None,
    }


def test_the_text_follows_the_request_language(alice_api, carol, alice_case):
    case_transition(actor=carol, case=alice_case, to="filed")

    english = alice_api.get(LIST, headers={"accept-language": "en"}).json()["results"][0]
    chinese = alice_api.get(LIST, headers={"accept-language": "zh-hans"}).json()["results"][0]

    assert english["text"] == "carol moved the case to “Filed”"
    assert "Filed" not in chinese["text"]


def test_a_deadline_notification_gives_its_deadline_and_due_time_in_my_zone(
    alice, alice_api, alice_case
):
    from tests.notifications.test_notifications import _deadline

    alice.time_zone = "Europe/Berlin"
    alice.save(update_fields=["time_zone"])
    due = datetime.datetime(2026, 11, 6, 16, 0, tzinfo=datetime.UTC)  # 17:00 in Berlin
    deadline: Deadline = _deadline(alice_case, due_at=due)
    Notification.objects.create(
        recipient=alice, case=alice_case, deadline=deadline, kind=NotificationKind.DEADLINE_WARNING
    )

    [row] = alice_api.get(LIST, headers={"accept-language": "en"}).json()["results"]

    assert row["deadline"] == deadline.pk
    assert row["kind"] == "deadline_warning"
    assert row["text"] == f"Due soon: {deadline.rule_snapshot['name']}, by 2026-11-06 17:00"


def test_unread_filters_the_list(alice, alice_api, carol, alice_case):
    first, second, third = _notes(carol, alice_case, 3)
    Notification.objects.filter(pk=second.pk).update(read_at=clock.now())

    unread = alice_api.get(f"{LIST}?unread=true").json()["results"]
    read = alice_api.get(f"{LIST}?unread=false").json()["results"]

    assert [row["id"] for row in unread] == [third.pk, first.pk]
    assert [row["id"] for row in read] == [second.pk]


@pytest.mark.parametrize("query", ["unread=yes", "unread=", "unread=True", "sort=created_at"])
def test_a_bad_filter_is_a_400_naming_it(alice_api, query):
    response = alice_api.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert response.json()["field"] in ("unread", "sort")


def test_the_list_pages_with_cursors_without_gaps_or_repeats(alice_api, carol, alice_case):
    notifications = _notes(carol, alice_case, 7)

    rows = _all_pages(alice_api, f"{LIST}?page_size=3")

    assert [row["id"] for row in rows] == [n.pk for n in reversed(notifications)]


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_query_count_is_fixed(
    alice_api, carol, alice_case, django_assert_max_num_queries, count
):
    _notes(carol, alice_case, count)
    alice_api.get(LIST)  # the token's first use records last_used_at
    # 1 token (+ its user), 1 page of notifications with case, deadline, event and actor.
    with django_assert_max_num_queries(2):
        rows = alice_api.get(f"{LIST}?page_size=100").json()["results"]
    assert len(rows) == count


def test_marking_one_read_returns_it_read(alice_api, carol, alice_case):
    [notification] = _notes(carol, alice_case, 1)

    response = alice_api.post(read_url(notification.pk))

    assert response.status_code == 200
    assert response.json()["id"] == notification.pk
    assert response.json()["read_at"] is not None
    notification.refresh_from_db()
    assert notification.read_at is not None
    # Again: still read, from the first time.
    again = alice_api.post(read_url(notification.pk)).json()
    assert datetime.datetime.fromisoformat(again["read_at"]) == notification.read_at


def test_someone_elses_notification_is_404(alice_api, bob_api, carol_api, carol, alice_case):
    [notification] = _notes(carol, alice_case, 1)

    missing = alice_api.post(read_url(2**40))
    assert missing.status_code == 404
    assert missing.json()["detail"]
    for client in (bob_api, carol_api):
        theirs = client.post(read_url(notification.pk))
        assert theirs.status_code == 404
        assert theirs.json() == missing.json()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_mine(alice, alice_api, bob, carol, alice_case, make_case):
    _notes(carol, alice_case, 3)
    _notes(carol, make_case(bob), 2)

    response = alice_api.post(READ_ALL)

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert alice_api.get(f"{LIST}?unread=true").json()["results"] == []
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 2
    assert alice_api.post(READ_ALL).json() == {"marked": 0}


def test_mark_all_read_until_leaves_what_arrived_since(alice, alice_api, carol, alice_case):
    older, newer = _notes(carol, alice_case, 2)
    Notification.objects.filter(pk=older.pk).update(created_at=clock.now() - timedelta(minutes=10))
    until = quote((clock.now() - timedelta(minutes=5)).isoformat())

    response = alice_api.post(f"{READ_ALL}?until={until}")

    assert response.json() == {"marked": 1}
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.read_at is not None
    assert newer.read_at is None


def test_mark_all_read_refuses_a_time_without_offset(alice_api):
    response = alice_api.post(f"{READ_ALL}?until=2026-11-03T10:00:00")

    assert response.status_code == 400
    assert response.json()["field"] == "until"

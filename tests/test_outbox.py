"""Tasks held back while the broker was down (outbox): sent once it is back, each distinct call
once, and kept while it is still away. The broker is the edge here (a real one: the Redis
outage test)."""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from config.tasks import enqueue_now
from notifications.tasks import deliver_notifications
from outbox.models import PendingTask
from outbox.services import send_pending

pytestmark = pytest.mark.django_db


def test_identical_held_back_calls_are_sent_once_and_all_rows_go():
    for _ in range(3):
        PendingTask.objects.create(task_name="evidence.tasks.make_thumbnail", args=["a"])
    PendingTask.objects.create(task_name="evidence.tasks.make_thumbnail", args=["b"])

    with mock.patch("outbox.services.current_app.send_task") as send:
        assert send_pending() == 4

    assert sorted(call.kwargs["args"] for call in send.call_args_list) == [["a"], ["b"]]
    assert not PendingTask.objects.exists()


def test_with_the_broker_still_away_the_rows_stay():
    PendingTask.objects.create(task_name="evidence.tasks.make_thumbnail", args=["a"])

    with mock.patch(
        "outbox.services.current_app.send_task", side_effect=OperationalError("refused")
    ):
        assert send_pending() == 0

    assert PendingTask.objects.count() == 1


def test_a_publish_the_broker_refuses_is_kept_and_the_next_one_does_not_wait_for_it(
    monkeypatch,
):
    from config import tasks

    monkeypatch.setitem(tasks._broker, "down_until", 0.0)
    with mock.patch.object(
        deliver_notifications, "delay", side_effect=OperationalError("refused")
    ) as delay:
        assert enqueue_now(deliver_notifications, ids=[1]) is False
        assert enqueue_now(deliver_notifications, ids=[2]) is False

    # The second did not ask the broker again within the retry interval.
    assert delay.call_count == 1
    kept = list(PendingTask.objects.values_list("task_name", "kwargs"))
    assert kept == [
        ("notifications.tasks.deliver_notifications", {"ids": [1]}),
        ("notifications.tasks.deliver_notifications", {"ids": [2]}),
    ]

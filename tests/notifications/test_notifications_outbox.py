"""The outbox at scale: beat's re-send tick (`deliver_notifications()` with no ids)."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.delivery import EMAIL_BATCH, deliver_pending
from notifications.models import Notification


def test_the_resend_tick_works_a_backlog_off_in_batches_at_a_fixed_cost_a_mail(
    alice, carol, alice_case
):
    """`deliver_notifications()` with no ids over a big outbox: one batch a run, oldest first,
    and the same few queries for each e-mail however many are waiting."""
    pending = [
        Notification(recipient=alice, case=alice_case, kind="case_changed")
        for _ in range(EMAIL_BATCH + 7)
    ]
    Notification.objects.bulk_create(pending)
    mail.outbox.clear()

    with CaptureQueriesContext(connection) as first:
        assert deliver_pending() == EMAIL_BATCH
    assert deliver_pending() == 7
    assert deliver_pending() == 0
    assert len(mail.outbox) == EMAIL_BATCH + 7
    # one listing query, then a claim, a read, a visibility check and a mark for each mail
    assert len(first.captured_queries) <= 1 + 5 * EMAIL_BATCH

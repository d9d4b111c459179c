"""Cases per status, kept in a nine-row table (`CaseStatusCount`) so the staff queue and the
staff's case list show their counts without a COUNT over a million cases. The case services
move a count in the transaction of the change; `manage.py desk_rebuild` recounts after data
was written around them."""

from django.db import connection, transaction
from django.db.models import Case as SQLCase
from django.db.models import Count, F, Value, When

from cases.choices import Status
from cases.models import Case, CaseStatusCount


def status_count_move(*, from_status: str | None, to_status: str) -> None:
    """One case left `from_status` (None: it is new) for `to_status`. Call inside the
    transaction that makes the change: one UPDATE of at most two rows, whose row locks also
    serialise concurrent moves between the same statuses."""
    if from_status == to_status:
        return
    statuses = [to_status] if from_status is None else [from_status, to_status]
    changed = CaseStatusCount.objects.filter(status__in=statuses).update(
        count=F("count") + SQLCase(When(status=to_status, then=Value(1)), default=Value(-1))
    )
    if changed < len(statuses):
        # A database whose counts were never built (emptied by a test): build them now.
        status_counts_rebuild()


def status_counts_rebuild() -> dict[str, int]:
    """Recount every status from the cases (one GROUP BY scan): after bulk loads such as
    seed_scale, or from `manage.py desk_rebuild`."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Wait for the moves in flight and hold new ones until the recount is written:
            # a move committed after the GROUP BY read the cases would be overwritten.
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(CaseStatusCount._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        counts = dict(Case.objects.order_by().values_list("status").annotate(n=Count("id")))
        rows = [CaseStatusCount(status=s, count=counts.get(s, 0)) for s in Status.values]
        CaseStatusCount.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["status"], update_fields=["count"]
        )
    return {row.status: row.count for row in rows}


def status_counts() -> list[dict]:
    """Cases per status, in lifecycle order, from the counts table (nine rows)."""
    counts = dict(CaseStatusCount.objects.values_list("status", "count"))
    return [
        {"status": value, "label": label, "count": max(counts.get(value, 0), 0)}
        for value, label in Status.choices
    ]


def cases_counted(*, status: str | None = None) -> int:
    """How many cases there are (in one status), from the counts table: no scan."""
    return sum(row["count"] for row in status_counts() if not status or row["status"] == status)

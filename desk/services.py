"""Writes of the staff desk: the per-status case counts and saved views."""

from django.db import IntegrityError, connection, transaction
from django.db.models import Case as SQLCase
from django.db.models import F, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from config.errors import DomainError
from desk.models import CaseStatusCount, SavedView

SAVED_VIEW_NAME_MAX = 80
SAVED_VIEW_QUERY_MAX = 2000
SAVED_VIEWS_MAX = 50


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
    from django.db.models import Count

    from cases.choices import Status
    from cases.models import Case

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


def require_staff(actor: User) -> None:
    """Staff-only actions answer anyone else as if there were nothing here (404)."""
    if not (actor.is_authenticated and actor.is_support_staff):
        raise Http404("No such page.")


def saved_view_create(*, actor: User, name: str, query: str) -> SavedView:
    """Save the queue's current filters under a name (one name per staff member)."""
    require_staff(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the view a name."), field="name")
    if len(name) > SAVED_VIEW_NAME_MAX:
        raise DomainError(
            _("A name has at most %(max)d characters.") % {"max": SAVED_VIEW_NAME_MAX},
            field="name",
        )
    query = (query or "").lstrip("?")
    if len(query) > SAVED_VIEW_QUERY_MAX:
        raise DomainError(_("These filters are too long to save."), field="query")
    if actor.saved_views.count() >= SAVED_VIEWS_MAX:
        raise DomainError(
            _("You have %(max)d saved views: delete one first.") % {"max": SAVED_VIEWS_MAX},
            field="name",
        )
    try:
        with transaction.atomic():
            return SavedView.objects.create(owner=actor, name=name, query=query)
    except IntegrityError:
        raise DomainError(
            _("You already have a view named “%(name)s”.") % {"name": name}, field="name"
        ) from None


def saved_view_delete(*, actor: User, view_id: int) -> None:
    """Delete one of the actor's own views; anyone else's is the same 404 as a missing one."""
    deleted, _rows = SavedView.objects.filter(pk=view_id, owner_id=actor.pk).delete()
    if not deleted:
        raise Http404("No such saved view.")

"""Writes of the staff desk: saved views (the per-status counts are `cases.counts`)."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from config.errors import DomainError
from desk.models import SavedView

SAVED_VIEW_NAME_MAX = 80
SAVED_VIEW_QUERY_MAX = 2000
SAVED_VIEWS_MAX = 50


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

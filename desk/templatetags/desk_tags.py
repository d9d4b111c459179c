"""What the staff desk's partials need from the database."""

from django import template

from cases.choices import Priority, Status
from desk.assignment import staff_members as _staff_members

register = template.Library()


@register.simple_tag
def staff_members() -> list:
    """Active support staff, by username, for the assignment selects: one query."""
    return list(_staff_members().only("id", "username", "first_name", "last_name"))


@register.simple_tag
def bulk_choices() -> dict:
    """The values a bulk action can set: priorities, and the statuses a selection can be moved
    to (not resolved: each resolved case needs its own outcome)."""
    return {
        "priorities": Priority.choices,
        "statuses": [(value, label) for value, label in Status.choices if value != Status.RESOLVED],
    }

"""What the staff desk's partials need from the database."""

from django import template

from desk.assignment import staff_members as _staff_members

register = template.Library()


@register.simple_tag
def staff_members() -> list:
    """Active support staff, by username, for the assignment selects: one query."""
    return list(_staff_members().only("id", "username", "first_name", "last_name"))

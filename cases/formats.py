"""How moments are shown to people, the same way on every page, e-mail and export."""

from datetime import datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings


def format_due(due_at: datetime, tz: tzinfo | str | None = None) -> str:
    """'2025-10-13 24:00' for the end of a day (as the law says it), else 'YYYY-MM-DD HH:MM'.
    `tz` defaults to settings.TIME_ZONE."""
    zone = ZoneInfo(tz or settings.TIME_ZONE) if tz is None or isinstance(tz, str) else tz
    local = due_at.astimezone(zone)
    if local.time() == time(0):
        return f"{(local.date() - timedelta(days=1)).isoformat()} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")

"""The beat container's healthcheck: `python -m config.beat_health SCHEDULE_FILE`.

Celery beat has no ping. It writes its schedule file (last run of each periodic task) at least
every three minutes while it ticks (the scheduler's sync interval; the deadline sweep runs
every minute), so a file not written for longer than MAX_AGE means beat is stuck or gone.
Exit 0 when healthy, 1 otherwise. Plain Python, no Django: it runs every minute."""

import sys
import time
from pathlib import Path

# Three minutes of sync interval and two of slack.
MAX_AGE = 300  # seconds


def newest_write(schedule: Path) -> float | None:
    """When the schedule was last written: the file, or the files the dbm backend made of it
    (celerybeat-schedule.db, .dat …)."""
    candidates = [schedule, *schedule.parent.glob(schedule.name + ".*")]
    times = [path.stat().st_mtime for path in candidates if path.is_file()]
    return max(times) if times else None


def healthy(schedule: Path, *, now: float | None = None, max_age: int = MAX_AGE) -> bool:
    written = newest_write(schedule)
    return written is not None and (now if now is not None else time.time()) - written <= max_age


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "var/beat/celerybeat-schedule")
    sys.exit(0 if healthy(path) else 1)

"""Issue 14: `beat` has a healthcheck in docker-compose.yml: its schedule file must be fresh."""

import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from config.beat_health import MAX_AGE, healthy

ROOT = Path(__file__).resolve().parent.parent


def test_a_fresh_schedule_is_healthy_and_a_stale_or_missing_one_is_not(tmp_path):
    schedule = tmp_path / "celerybeat-schedule"
    assert not healthy(schedule)  # beat never wrote it
    (tmp_path / "celerybeat-schedule.db").write_bytes(b"x")  # what a dbm backend writes
    assert healthy(schedule)
    stale = time.time() - MAX_AGE - 60
    os.utime(tmp_path / "celerybeat-schedule.db", (stale, stale))
    assert not healthy(schedule)


def test_the_module_exits_with_the_health_as_its_status(tmp_path):
    schedule = tmp_path / "celerybeat-schedule"
    run = [sys.executable, "-m", "config.beat_health", str(schedule)]
    assert subprocess.run(run, cwd=ROOT).returncode == 1
    schedule.write_bytes(b"x")
    assert subprocess.run(run, cwd=ROOT).returncode == 0


def test_compose_checks_beat_with_it_on_the_schedule_beat_writes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    beat = compose["services"]["beat"]
    check = beat["healthcheck"]["test"]
    schedule = next(
        arg.split("=", 1)[1] for arg in beat["command"] if arg.startswith("--schedule=")
    )
    assert check[:4] == ["CMD", "python", "-m", "config.beat_health"]
    assert check[4] == schedule

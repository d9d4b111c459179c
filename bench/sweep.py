"""The deadline sweep against a million running clocks, on PostgreSQL.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/recourse_bench
    python manage.py migrate && python manage.py seed_scale --cases 1000000   # once
    python bench/sweep.py                       # = make bench-sweep
    python bench/sweep.py --clocks 200000 --due 2000 --empty-runs 200 --json sweep.json

1. Reset: deletes the clocks of earlier runs (with their events and notifications, and puts
   back the priority their breaches raised), then writes --clocks running clocks, one per case,
   with one INSERT … SELECT from the cases, of which --due ran out in the hour before "now" and
   the rest are due 2 to 60 days later (warning one day before); then VACUUM ANALYZE and a
   CHECKPOINT (as a superuser), so the reset's writes are not flushed during the measurement.
2. EXPLAIN (ANALYZE, BUFFERS) of the breach claim with the backlog due, run inside a
   transaction that is rolled back (the SQL is whatever `sweep_deadlines` sends, captured).
3. One worker works off the backlog: `sweep_deadlines` with the default per-run cap, again and
   again until a run finds nothing. Total, per run, and the events and notifications written.
4. The empty sweep (nothing due): p50/p99 over --empty-runs runs, and the EXPLAIN of both
   claim queries then.

The clocks use an inactive rule `bench.sweep` (never started by the app) whose breach notifies,
raises the priority and suggests a next step, as platform.decision does. A benchmark, not a
test: it fails only on an error. See bench/README.md.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "bench-only-not-a-secret",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    # Whatever the sweep enqueues (e-mail delivery) goes nowhere: no worker of `make run`
    # picks up rows of this database.
    "CELERY_BROKER_URL": "memory://",
}
for key, value in BENCH_ENV.items():
    os.environ.setdefault(key, value)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.choices import EventKind  # noqa: E402
from cases.models import Case, CaseEvent  # noqa: E402
from deadlines.choices import DeadlineState, DeadlineUnit, Trigger, WaitingOn  # noqa: E402
from deadlines.models import Deadline, DeadlineRule  # noqa: E402
from deadlines.services import rule_snapshot  # noqa: E402
from deadlines.sweep import SWEEP_LIMIT, sweep_deadlines  # noqa: E402
from notifications.models import Notification  # noqa: E402

RULE_KEY = "bench.sweep"
BREACH_KINDS = [str(EventKind.DEADLINE_BREACHED), str(EventKind.DEADLINE_WARNED)]


def bench_rule() -> DeadlineRule:
    rule, _ = DeadlineRule.objects.update_or_create(
        key=RULE_KEY,
        defaults={
            "name": "Sweep benchmark",
            "name_zh": "清扫基准测试",
            "trigger": Trigger.STATUS_ENTERED,
            "duration": 7,
            "unit": DeadlineUnit.WORKING_DAYS,
            "warn_before": [1],
            "on_breach": ["notify", "raise_priority", "suggest"],
            "suggestion": "Escalate.",
            "suggestion_zh": "升级处理。",
            "waiting_on": WaitingOn.PLATFORM,
            "source": "bench/sweep.py",
            # Never started by the app: no status triggers it, and it is switched off.
            "active": False,
        },
    )
    return rule


def sql(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def reset(rule: DeadlineRule) -> None:
    """Undo earlier runs: priorities their breaches raised, their events and notifications
    (raw SQL: the ORM refuses to delete events, rightly, everywhere else), their clocks."""
    started = time.perf_counter()
    with transaction.atomic():
        bench_events = (
            "FROM cases_caseevent WHERE kind = ANY(%s) AND changes->'deadline'->>'rule' = %s"
        )
        raised = sql(
            "UPDATE cases_case SET priority = changes->'priority'->>'old' "
            f"FROM (SELECT case_id, changes {bench_events} AND changes ? 'priority') e "
            "WHERE cases_case.id = e.case_id",
            [BREACH_KINDS, RULE_KEY],
        )
        notifications = sql(
            "DELETE FROM notifications_notification WHERE deadline_id IN "
            "(SELECT id FROM deadlines_deadline WHERE rule_id = %s)",
            [rule.pk],
        )
        events = sql(f"DELETE {bench_events}", [BREACH_KINDS, RULE_KEY])
        clocks = sql("DELETE FROM deadlines_deadline WHERE rule_id = %s", [rule.pk])
    print(
        f"reset: {clocks:,} clocks, {events:,} events, {notifications:,} notifications of "
        f"earlier runs deleted, {raised:,} priorities put back "
        f"({time.perf_counter() - started:.1f} s)"
    )


def create_clocks(rule: DeadlineRule, *, now, clocks: int, due: int) -> None:
    """One INSERT … SELECT: clock n goes on the n-th case; every (clocks/due)-th one ran out
    in the last hour, the others are due 2 to 60 days from now and warn a day before.

    The column list comes from the model, so a column added later with a default is filled
    with it."""
    every = max(1, clocks // due)
    given = {
        "case_id": "c.id",
        "rule_id": "%(rule)s",
        "rule_snapshot": "%(snapshot)s::jsonb",
        "state": "%(running)s",
        "waiting_on": "%(waiting_on)s",
        "started_at": "d.due - interval '9 days'",
        "due_at": "d.due",
        "warn_at": "CASE WHEN d.overdue THEN NULL ELSE d.due - interval '1 day' END",
        "warnings_sent": "CASE WHEN d.overdue THEN 1 ELSE 0 END",
    }
    params = {
        "rule": rule.pk,
        "snapshot": json.dumps(rule_snapshot(rule)),
        "running": DeadlineState.RUNNING,
        "waiting_on": rule.waiting_on,
        "now": now,
        "clocks": clocks,
        "every": every,
        "due": due,
    }
    columns, values = [], []
    for field in Deadline._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in given:
            values.append(given[field.column])
        else:
            params[f"default_{field.column}"] = field.get_db_prep_save(
                field.get_default(), connection
            )
            values.append(f"%(default_{field.column})s")
    started = time.perf_counter()
    with transaction.atomic():
        inserted = sql(
            f"INSERT INTO deadlines_deadline ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} "
            "FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM cases_case "
            "      ORDER BY id LIMIT %(clocks)s) c, "
            "LATERAL (SELECT c.n %% %(every)s = 0 AND c.n / %(every)s <= %(due)s AS overdue) o, "
            "LATERAL (SELECT CASE WHEN o.overdue "
            "  THEN %(now)s - (c.n %% 3600 + 1) * interval '1 second' "
            "  ELSE %(now)s + interval '2 days' "
            "       + (c.n * 7919 %% (58 * 86400)) * interval '1 second'"
            "  END AS due, o.overdue) d",
            params,
        )
    insert_s = time.perf_counter() - started
    started = time.perf_counter()
    # Outside a transaction: VACUUM cannot run in one. Clears the dead rows of the reset.
    sql("VACUUM ANALYZE deadlines_deadline")
    sql("ANALYZE notifications_notification")
    sql("ANALYZE cases_caseevent")
    # Write out the reset's million dirty rows now, so that a checkpoint flushing them does not
    # land in the middle of the measured sweep (it made single 500-clock runs take 1.5 s).
    try:
        sql("CHECKPOINT")
    except Exception as error:  # not a superuser: measured with the reset's writes pending
        print(f"(no CHECKPOINT: {error})")
    print(
        f"clocks: {inserted:,} running clocks written in {insert_s:.1f} s "
        f"(VACUUM ANALYZE {time.perf_counter() - started:.1f} s)"
    )


def claim_queries(now) -> list[str]:
    """The SQL of the sweep's claim queries (SELECT … FOR UPDATE) as it sends them, captured
    from one sweep in a transaction that is rolled back."""
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        sweep_deadlines(now=now)
        transaction.set_rollback(True)
    return [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]


def explain(statement: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)  # EXPLAIN ANALYZE of FOR UPDATE takes the locks
    return plan


def show_plans(title: str, now) -> list[dict]:
    plans = []
    for statement in claim_queries(now):
        phase = "warn" if "warn_at" in statement.split("WHERE", 1)[1] else "breach"
        plan = explain(statement)
        plans.append({"phase": phase, "sql": statement, "plan": plan})
        print(f"\n--- {title}: {phase} claim ---\n{statement}\n\n{plan}")
    return plans


def work_off_backlog(rule: DeadlineRule, now) -> dict:
    events_before = CaseEvent.objects.count()
    notifications_before = Notification.objects.count()
    runs = []
    started = time.perf_counter()
    while True:
        run_started = time.perf_counter()
        result = sweep_deadlines(now=now)
        runs.append((time.perf_counter() - run_started, result.breached + result.warned))
        if not (result.breached or result.warned):
            break
    total = time.perf_counter() - started
    working = [seconds for seconds, handled in runs if handled]
    figures = {
        "runs": len(runs),
        "clocks_handled": sum(handled for _, handled in runs),
        "total_s": total,
        "per_run_ms": {
            "mean": statistics.mean(working) * 1000 if working else 0,
            "min": min(working) * 1000 if working else 0,
            "max": max(working) * 1000 if working else 0,
            "last_empty": runs[-1][0] * 1000,
        },
        "events": CaseEvent.objects.count() - events_before,
        "notifications": Notification.objects.count() - notifications_before,
        "still_running_due": Deadline.objects.filter(
            rule=rule, state=DeadlineState.RUNNING, due_at__lte=now
        ).count(),
        "priorities_raised": Case.objects.filter(
            events__kind=EventKind.DEADLINE_BREACHED,
            events__changes__deadline__rule=RULE_KEY,
            events__changes__has_key="priority",
        ).count(),
    }
    per = figures["per_run_ms"]
    print(
        f"\nbacklog: {figures['clocks_handled']:,} clocks in {figures['runs']} runs "
        f"(cap {SWEEP_LIMIT}), {total:.2f} s in all; per run with work "
        f"{per['mean']:.0f} ms mean ({per['min']:.0f} to {per['max']:.0f}), the last, empty, "
        f"{per['last_empty']:.1f} ms\n"
        f"         {figures['events']:,} events and {figures['notifications']:,} notification "
        f"rows written, {figures['priorities_raised']:,} priorities raised; "
        f"{figures['still_running_due']} due clocks left running"
    )
    return figures


def empty_sweeps(now, runs: int) -> dict:
    for _ in range(10):  # warm-up
        sweep_deadlines(now=now)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        result = sweep_deadlines(now=now)
        timings.append(time.perf_counter() - started)
        assert not (result.breached or result.warned), result
    timings.sort()

    def pct(p):
        return timings[min(len(timings) - 1, round(p / 100 * (len(timings) - 1)))] * 1000

    figures = {"runs": runs, "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": timings[-1] * 1000}
    print(
        f"\nempty sweep: p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
        f"max {figures['max_ms']:.2f} ms over {runs} runs"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clocks", type=int, default=1_000_000, help="running clocks")
    parser.add_argument("--due", type=int, default=10_000, help="of which already due")
    parser.add_argument("--empty-runs", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at PostgreSQL: the sweep's locking is measured there.")
    cases = Case.objects.count()
    if cases < args.clocks:
        sys.exit(
            f"{cases:,} cases for {args.clocks:,} clocks (one each): run "
            f"`python manage.py seed_scale --cases {args.clocks}` first, or pass --clocks."
        )
    now = timezone.now().replace(microsecond=0)
    print(f"{cases:,} cases; PostgreSQL {connection.pg_version // 10000}; now = {now}")
    rule = bench_rule()
    reset(rule)
    create_clocks(rule, now=now, clocks=args.clocks, due=args.due)
    results: dict = {"clocks": args.clocks, "due": args.due, "cap": SWEEP_LIMIT}
    results["plans_with_backlog"] = show_plans(f"{args.due:,} due", now)
    results["backlog"] = work_off_backlog(rule, now)
    results["empty"] = empty_sweeps(now, args.empty_runs)
    results["plans_empty"] = show_plans("nothing due", now)
    # Sanity: the next warnings are a day before clocks due in two days or more.
    assert not Deadline.objects.filter(
        rule=rule, state=DeadlineState.RUNNING, warn_at__lte=now + timedelta(hours=1)
    ).exists()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
        print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()

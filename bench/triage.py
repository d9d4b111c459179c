"""Latency of the staff queue, a filtered queue, a search and the API list under concurrent
clients, on whatever data the database holds (seed_scale: 1.1 M cases in recourse_bench).

    DATABASE_URL=postgres://…/recourse_bench python manage.py migrate
    DATABASE_URL=postgres://…/recourse_bench python bench/triage.py            # 8 clients, gunicorn
    DATABASE_URL=postgres://…/recourse_bench python bench/triage.py --explain  # plans only

Targets: p99 ≤ 100 ms for the queue pages, ≤ 50 ms for the API list. Reuses bench/run.py's
runner (gunicorn, threads, percentiles). A benchmark, not a test: it fails only on an error.
"""

import argparse
import importlib.util
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_run", HERE / "run.py")
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)  # sets the bench environment and calls django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from accounts.models import Role  # noqa: E402
from accounts.services import token_create  # noqa: E402
from cases.models import Case  # noqa: E402

SCENARIOS = [
    run.Scenario("web  /staff/                 staff", "/staff/", "staff"),
    run.Scenario(
        "web  /staff/?filters        staff",
        "/staff/?status=in_review&platform=douyin_shop&assignee=none",
        "staff",
    ),
    run.Scenario("web  /staff/?overdue        staff", "/staff/?overdue=on", "staff"),
    run.Scenario(
        "web  /staff/?q=保证金        staff", "/staff/?q=%E4%BF%9D%E8%AF%81%E9%87%91", "staff"
    ),
    run.Scenario("web  /staff/?q=RC-2026-0012 staff", "/staff/?q=RC-2026-0012&status=all", "staff"),
    run.Scenario("api  /api/v1/cases/          staff", "/api/v1/cases/", "staff", api=True),
    run.Scenario(
        "api  /api/v1/cases/?search   staff",
        "/api/v1/cases/?search=%E4%BF%9D%E8%AF%81%E9%87%91",
        "staff",
        api=True,
    ),
    run.Scenario("api  /api/v1/cases/          seller", "/api/v1/cases/", "seller", api=True),
]


def explain() -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the queue's page query, plain, filtered and searched."""
    from desk.selectors import QueueFilters, queue_cases

    staff = run.bench_user(Role.STAFF)
    for label, filters in [
        ("queue", QueueFilters()),
        ("status=in_review", QueueFilters(status="in_review")),
        ("overdue", QueueFilters(overdue=True)),
        ("search 保证金", QueueFilters(q="保证金")),
    ]:
        qs = queue_cases(actor=staff, filters=filters)[:51]
        print(f"--- {label}")
        print(qs.explain(analyze=True, buffers=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", "-n", type=int, default=400, help="per scenario")
    parser.add_argument("--warmup", type=int, default=16)
    parser.add_argument("--concurrency", "-c", type=int, default=8)
    # As docker-compose.yml runs the web on this two-core machine.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--only", default="")
    parser.add_argument("--in-process", action="store_true", help="one at a time, no gunicorn")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if args.explain:
        explain()
        return
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    scenarios = [s for s in SCENARIOS if args.only in s.name]
    users = {"seller": run.bench_user(Role.SELLER), "staff": run.bench_user(Role.STAFF)}
    tokens = {role: token_create(actor=user, name="bench")[1] for role, user in users.items()}
    print(
        f"{connection.vendor} · {Case.objects.count():,} cases · "
        + (
            "in-process, one at a time"
            if args.in_process
            else f"gunicorn {args.workers} workers x {args.threads} threads, "
            f"{args.concurrency} clients"
        )
    )
    if args.in_process:
        results = run.run_in_process(scenarios, users, tokens, args.requests, args.warmup)
    else:
        results = run.run_http(
            scenarios,
            users,
            tokens,
            args.requests,
            args.warmup,
            args.concurrency,
            args.workers,
            args.port,
            args.threads,
        )
    run.print_table(results)


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()

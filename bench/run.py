"""Latency of the case list page and the API case list on whatever data the database holds.

    python manage.py seed_scale --cases 1000000     # once, on PostgreSQL
    python bench/run.py                             # in-process, Django's test client
    python bench/run.py --http --concurrency 8      # through gunicorn, 8 clients at once

Prints p50/p90/p99 per scenario, the queries each request made and the throughput. See
bench/README.md. A benchmark, not a test: it never fails on a number, only on an error.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Production-like settings (DEBUG off) that still run without HTTPS or a real secret, and
# without throttling the benchmark itself.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "bench-only-not-a-secret",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "API_THROTTLE_USER": "100000000/min",
    "AXES_ENABLED": "0",
    "LOG_LEVEL": "WARNING",
}
for key, value in BENCH_ENV.items():
    os.environ.setdefault(key, value)

import warnings  # noqa: E402

import django  # noqa: E402

# whitenoise warns that STATIC_ROOT is empty; the in-process client does not serve files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.services import token_create, user_create  # noqa: E402
from cases.models import Case  # noqa: E402


@dataclass
class Scenario:
    name: str
    path: str
    who: str  # "seller" or "staff"
    api: bool = False


SCENARIOS = [
    Scenario("web  /cases/            seller", "/cases/", "seller"),
    Scenario("web  /cases/            staff", "/cases/", "staff"),
    Scenario(
        "web  /cases/?status=…   staff", "/cases/?status=in_review&kind=deposit_refund", "staff"
    ),
    Scenario("web  /cases/?page=50    staff", "/cases/?page=50", "staff"),
    Scenario("api  /api/v1/cases/     seller", "/api/v1/cases/", "seller", api=True),
    Scenario("api  /api/v1/cases/     staff", "/api/v1/cases/", "staff", api=True),
    Scenario(
        "api  /api/v1/cases/?…   staff",
        "/api/v1/cases/?status=filed&platform=douyin_shop",
        "staff",
        api=True,
    ),
]


@dataclass
class Result:
    scenario: Scenario
    timings: list[float] = field(default_factory=list)
    queries: int = 0
    wall: float = 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def bench_user(role: str) -> User:
    """The seller with the most cases among the bench sellers (or the demo seller), and a
    staff member; created if the database has none."""
    if role == Role.STAFF:
        staff = User.objects.filter(username="bench-staff").first()
        staff = staff or User.objects.filter(role=Role.STAFF, is_active=True).first()
        return staff or user_create(username="bench-staff", password=None, role=Role.STAFF)
    for username in ("bench-seller-000001", "lina"):
        user = User.objects.filter(username=username).first()
        if user:
            return user
    owner = Case.objects.values_list("owner", flat=True).first()
    if owner is None:
        sys.exit("No cases to measure: run `python manage.py seed_scale --cases 100000` first.")
    return User.objects.get(pk=owner)


def run_in_process(scenarios, users, tokens, requests: int, warmup: int) -> list[Result]:
    results = []
    for scenario in scenarios:
        client = Client()
        headers = {}
        if scenario.api:
            headers["HTTP_AUTHORIZATION"] = f"Token {tokens[scenario.who]}"
        else:
            client.force_login(users[scenario.who])
        result = Result(scenario)
        for i in range(warmup + requests):
            started = time.perf_counter()
            if i == warmup:
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(scenario.path, **headers)
                result.queries = len(captured)
            else:
                response = client.get(scenario.path, **headers)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                sys.exit(
                    f"{scenario.path} answered {response.status_code}:\n{response.content[:500]}"
                )
            if i >= warmup:
                result.timings.append(elapsed)
        result.wall = sum(result.timings)
        results.append(result)
    return results


def run_http(scenarios, users, tokens, requests, warmup, concurrency, workers, port, threads=4):
    """Serve with gunicorn (collectstatic first, as in production) and send `concurrency`
    requests at a time from threads."""
    env = {**os.environ, **{k: os.environ[k] for k in BENCH_ENV}}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",  # 1: gunicorn's sync worker, as docker-compose.yml runs it
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        cookies = {}
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            cookies[role] = (
                f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            )

        results = []
        for scenario in scenarios:
            headers = (
                {"Authorization": f"Token {tokens[scenario.who]}"}
                if scenario.api
                else {"Cookie": cookies[scenario.who]}
            )

            def fetch(_, scenario=scenario, headers=headers) -> float:
                request = urllib.request.Request(base + scenario.path, headers=headers)
                started = time.perf_counter()
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{scenario.path}: {response.status}")
                return time.perf_counter() - started

            with ThreadPoolExecutor(concurrency) as pool:
                list(pool.map(fetch, range(warmup)))
                started = time.perf_counter()
                timings = list(pool.map(fetch, range(requests)))
                wall = time.perf_counter() - started
            results.append(Result(scenario, timings, queries=-1, wall=wall))
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def print_table(results: list[Result]) -> None:
    header = (
        f"{'scenario':<36} {'n':>5} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'queries':>7} {'req/s':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.scenario.name:<36} {len(r.timings):>5} {r.pct(50):>8.1f} {r.pct(90):>8.1f} "
            f"{r.pct(99):>8.1f} {max(r.timings) * 1000:>8.1f} "
            f"{r.queries if r.queries >= 0 else '-':>7} {len(r.timings) / r.wall:>7.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", "-n", type=int, default=200, help="per scenario")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--only", default="", help="run scenarios whose name contains this")
    parser.add_argument("--http", action="store_true", help="through gunicorn instead")
    parser.add_argument("--concurrency", "-c", type=int, default=4, help="--http clients")
    parser.add_argument("--workers", type=int, default=2, help="--http gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    scenarios = [s for s in SCENARIOS if args.only in s.name]
    # Templates use {% static %}; the in-process client has no collectstatic manifest.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    users = {"seller": bench_user(Role.SELLER), "staff": bench_user(Role.STAFF)}
    tokens = {role: token_create(actor=user, name="bench")[1] for role, user in users.items()}
    total = Case.objects.count()
    own = Case.objects.filter(owner=users["seller"]).count()
    print(
        f"{connection.vendor} · {total:,} cases · seller {users['seller'].username} owns {own:,}"
        f" · staff {users['staff'].username} · "
        + (
            f"gunicorn {args.workers} workers x 4 threads, {args.concurrency} clients"
            if args.http
            else "in-process test client, one at a time"
        )
    )
    if args.http:
        results = run_http(
            scenarios,
            users,
            tokens,
            args.requests,
            args.warmup,
            args.concurrency,
            args.workers,
            args.port,
        )
    else:
        results = run_in_process(scenarios, users, tokens, args.requests, args.warmup)
    print_table(results)
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "scenario": r.scenario.name.split(),
                        "path": r.scenario.path,
                        "n": len(r.timings),
                        "p50_ms": r.pct(50),
                        "p90_ms": r.pct(90),
                        "p99_ms": r.pct(99),
                        "queries": r.queries,
                        "req_per_s": len(r.timings) / r.wall,
                    }
                    for r in results
                ],
                indent=2,
            )
        )


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()

"""50 sellers at once against gunicorn for 60 s, and the same with Redis stopped halfway.

    python bench/outage.py                 # both runs; PostgreSQL at 127.0.0.1:5432
    python bench/outage.py --clients 50 --seconds 60 --stop-redis-at 30

Each run starts from nothing: a database of its own (migrated, the demo data loaded), a Redis
of its own on a free port (cache, sessions and broker, the shape docker-compose.yml ships),
gunicorn with DEBUG off. Every client signs in on the web and with an API token as a demo seller
and goes round the seller's paths: the dashboard, the case list, a case page, the API's case
list and case, and every fourth round logs a contact through the API. An answer other than
2xx/3xx, or no answer, is an error. In the outage run a Redis the script started is killed
halfway through; nothing restarts it. Prints requests, errors (with the first few), throughput
and latency before and after the stop. A benchmark, not a test: see bench/README.md.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SELLERS = ("lina", "wanghao", "zhouyun")
DEMO_PASSWORD_FROM = ROOT / "demo" / "data" / "demo.toml"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_password() -> str:
    match = re.search(r'^password\s*=\s*"([^"]+)"', DEMO_PASSWORD_FROM.read_text(), re.M)
    assert match, "no demo password in demo/data/demo.toml"
    return match.group(1)


class Stack:
    """PostgreSQL database, Redis and gunicorn of this run's own."""

    def __init__(self, server: str, workers: int):
        self.server = server
        self.db = f"recourse_outage_{os.getpid()}"
        self.work = Path(tempfile.mkdtemp(prefix="recourse-outage-"))
        self.redis_port, self.web_port = free_port(), free_port()
        self.workers = workers
        self.redis = self.web = None
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{server}/{self.db}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "RECOURSE_VAR_DIR": str(self.work / "var"),
            "EVIDENCE_DIR": str(self.work / "evidence"),
            "MAIL_DIR": str(self.work / "mail"),
            # 50 clients sign in from one address at once: the limits on signing in (which the
            # tests cover) would refuse most of them before the run starts.
            "API_THROTTLE_USER": "1000000/min",
            "API_THROTTLE_TOKEN": "1000000/min",
            "API_THROTTLE_TOKEN_USERNAME": "1000000/min",
            "AXES_ENABLED": "0",
            "LOG_LEVEL": "ERROR",
        }

    def manage(self, *args) -> str:
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def __enter__(self):
        subprocess.run(
            ["psql", "-q", f"{self.server}/postgres", "-c", f"CREATE DATABASE {self.db}"],
            check=True,
        )
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.redis = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.redis_port), *options],
            stdout=subprocess.DEVNULL,
        )
        self.manage("migrate", "--noinput", "-v0")
        self.manage("seed_demo", "--force")
        # As in production: pages name their CSS through the collected manifest.
        self.manage("collectstatic", "--noinput", "-v0")
        bind = ["--bind", f"127.0.0.1:{self.web_port}", "--log-level", "error"]
        shape = ["--workers", str(self.workers), "--worker-class", "gthread", "--threads", "8"]
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", *bind, *shape],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.3)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def stop_redis(self) -> None:
        self.redis.kill()
        self.redis.wait()

    def __exit__(self, *exc):
        for process in (self.web, self.redis):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(30)
        subprocess.run(
            ["psql", "-q", f"{self.server}/postgres", "-c", f"DROP DATABASE IF EXISTS {self.db}"],
            check=False,
        )
        shutil.rmtree(self.work, ignore_errors=True)


class Seller:
    """One client: a web session (cookies sent by hand: they are Secure, and this is plain
    HTTP to gunicorn behind where the TLS proxy would be) and an API token."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.request(
            "POST",
            "/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, f"sign-in failed: {response.status_code}"
        response = self.http.post(
            f"{base}/api/v1/auth/token/",
            json={"username": username, "password": password, "name": "bench"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        self.api = {"Authorization": f"Token {response.json()['token']}"}
        cases = self.http.get(f"{base}/api/v1/cases/", headers=self.api, timeout=30).json()
        self.reference = cases["results"][0]["reference"]

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = self.http.request(
            method,
            f"{self.base}{path}",
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def round(self, n: int):
        yield "dashboard", self.get("/")
        yield "case list", self.get("/cases/")
        yield "case page", self.get(f"/cases/{self.reference}/")
        yield "api list", self.request("GET", "/api/v1/cases/", headers=dict(self.api))
        yield (
            "api case",
            self.request("GET", f"/api/v1/cases/{self.reference}/", headers=dict(self.api)),
        )
        if n % 4 == 0:
            occurred = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
            yield (
                "api contact",
                self.request(
                    "POST",
                    f"/api/v1/cases/{self.reference}/contacts/",
                    headers={**self.api, "Content-Type": "application/json"},
                    data=json.dumps(
                        {
                            "channel": "phone",
                            "direction": "outbound",
                            "occurred_at": occurred,
                            "counterpart": "抖店客服",
                            "filing_type": "inquiry",
                            "summary": "压测：询问保证金退还进度。",
                        }
                    ),
                ),
            )


def run(stack: Stack, clients: int, seconds: float, stop_redis_at: float | None) -> dict:
    password = demo_password()
    sellers = [Seller(stack.url, SELLERS[i % len(SELLERS)], password) for i in range(clients)]
    results: list[tuple[float, float, str, int]] = []  # (start offset, seconds, path, status)
    errors: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()
    end = started + seconds

    def client(seller: Seller):
        n = 0
        while time.monotonic() < end:
            n += 1
            steps = seller.round(n)
            while True:
                t0 = time.monotonic()
                try:
                    name, response = next(steps)
                    status = response.status_code
                except StopIteration:
                    break
                except requests.RequestException as error:
                    name, status = "?", 0
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}"[:200])
                elapsed = time.monotonic() - t0
                with lock:
                    results.append((t0 - started, elapsed, name, status))
                    if status and not 200 <= status < 400:
                        errors.append(f"{name}: {status}")

    threads = [threading.Thread(target=client, args=(s,)) for s in sellers]
    for thread in threads:
        thread.start()
    stopped_at = None
    if stop_redis_at is not None:
        time.sleep(stop_redis_at)
        stack.stop_redis()
        stopped_at = time.monotonic() - started
    for thread in threads:
        thread.join()
    return {"results": results, "errors": errors, "stopped_at": stopped_at, "seconds": seconds}


def summary(label: str, rows: list, seconds: float) -> str:
    if not rows:
        return f"  {label}: no requests"
    times = sorted(r[1] * 1000 for r in rows)
    bad = sum(1 for r in rows if not 200 <= r[3] < 400)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return (
        f"  {label}: {len(rows)} requests, {bad} errors, {len(rows) / seconds:.0f} req/s, "
        f"p50 {statistics.median(times):.0f} ms, p99 {p99:.0f} ms"
    )


def report(title: str, outcome: dict) -> bool:
    rows, stopped = outcome["results"], outcome["stopped_at"]
    print(f"\n{title}")
    print(summary("all", rows, outcome["seconds"]))
    if stopped is not None:
        print(summary("before Redis stopped", [r for r in rows if r[0] < stopped], stopped))
        after = [r for r in rows if r[0] >= stopped]
        print(summary("after Redis stopped", after, outcome["seconds"] - stopped))
    for error in outcome["errors"][:10]:
        print(f"    {error}")
    return not outcome["errors"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--stop-redis-at", type=float, default=30)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn processes")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--only", choices=["steady", "outage"])
    args = parser.parse_args()
    ok = True
    print(
        f"{args.clients} clients, {args.seconds:.0f} s each run, gunicorn {args.workers} "
        f"workers x 8 threads, PostgreSQL, Redis for cache, sessions and broker"
    )
    if args.only in (None, "steady"):
        with Stack(args.server, args.workers) as stack:
            ok &= report("Redis up throughout", run(stack, args.clients, args.seconds, None))
    if args.only in (None, "outage"):
        with Stack(args.server, args.workers) as stack:
            outcome = run(stack, args.clients, args.seconds, args.stop_redis_at)
            ok &= report(f"Redis killed at {args.stop_redis_at:.0f} s, not restarted", outcome)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

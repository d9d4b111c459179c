"""Upload a large evidence file to a served Recourse and measure what it costs the web process.

    python bench/upload.py                       # 100 MB, gunicorn, a throwaway SQLite database
    python bench/upload.py --size-mb 200 --runs 5
    python bench/upload.py --server runserver
    DATABASE_URL=postgres://…/recourse_bench python bench/upload.py    # a database of its own

1. Makes a file of random bytes behind an MP4 header (so it is accepted as video/mp4).
2. Times hashing it: `sha256sum`, and `evidence.files.sha256_of` in this process.
3. Times `evidence_attach` in this process: sniff, then copy into storage hashing on the way.
4. Starts gunicorn (one worker, one thread) or runserver on a free port, with
   EVIDENCE_MAX_FILE_SIZE raised for the file, and uploads it through the API with a token,
   streaming the multipart body from disk. Meanwhile it samples the web process's resident
   memory (/proc/<pid>/status: VmRSS, and VmHWM after resetting it), and reports the peak
   growth over the idle, warmed-up process.

Evidence files, the broker folder and (without DATABASE_URL) the database live in a temporary
folder removed afterwards (--keep to look at it). Linux only (/proc). A benchmark, not a test:
it fails only on an error, never on a number. See bench/README.md for measured figures.
"""

import argparse
import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
# An MP4 `ftyp` box: libmagic calls what follows video/mp4, whatever the rest is.
MP4_HEADER = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=100, help="file size (default 100)")
    parser.add_argument(
        "--runs", type=lambda n: max(1, int(n)), default=3, help="uploads to time (default 3)"
    )
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    return parser.parse_args()


def configure(scratch: Path, size: int, runs: int) -> dict[str, str]:
    """The environment of this process and of the server: production settings (DEBUG off)
    without HTTPS or throttling, everything written under `scratch`."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "bench-only-not-a-secret",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_USER": "100000000/min",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "RECOURSE_VAR_DIR": str(scratch / "var"),
        "EVIDENCE_DIR": str(scratch / "evidence"),
        "EVIDENCE_MAX_FILE_SIZE": str(size + MB),
        "EVIDENCE_MAX_BYTES_PER_CASE": str((size + MB) * (runs + 3)),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{scratch / 'bench.sqlite3'}",
        # Django spools uploads over 2.5 MB to a temporary file: keep it with the rest.
        "TMPDIR": str(scratch / "tmp"),
        # whitenoise: no collected static files, and none are needed here.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }
    (scratch / "tmp").mkdir(parents=True, exist_ok=True)
    os.environ.update(env)
    return {**os.environ, **env}


def make_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as out:
        out.write(MP4_HEADER)
        digest.update(MP4_HEADER)
        left = size - len(MP4_HEADER)
        while left > 0:
            chunk = os.urandom(min(MB, left))
            out.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def best_of(times: int, action) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The web process's memory ------------------------------------------------------------


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0, same user or root)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.005):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_kb = 0
        self.running = True

    def run(self):
        while self.running:
            self.peak_kb = max(self.peak_kb, status_kb(self.pid, "VmRSS"))
            time.sleep(self.every)

    def stop(self) -> int:
        self.running = False
        self.join()
        return self.peak_kb


# --- The server -----------------------------------------------------------------------------


def start_server(kind: str, port: int, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    """Start the server; returns it and the pid of the process that handles requests."""
    if kind == "gunicorn":
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=1",
            "--timeout=300",
            "--log-level=warning",
        ]
    else:
        command = [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--nothreading",
            f"127.0.0.1:{port}",
        ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{kind} exited with status {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status in (200, 503):
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.terminate()
        raise SystemExit(f"{kind} did not answer on port {port}")
    if kind == "runserver":
        return server, server.pid
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return server, int(children[0])  # the one gunicorn worker


def upload(port: int, token: str, reference: str, path: Path, name: str) -> tuple[float, dict]:
    """POST the file as multipart/form-data, streamed from disk in 1 MB pieces."""
    boundary = uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="kind"\r\n\r\nscreen_recording\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="description"\r\n\r\nupload benchmark\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size

    def body():
        yield head
        with path.open("rb") as source:
            yield from iter(lambda: source.read(MB), b"")
        yield tail

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request(
        "POST",
        f"/api/v1/cases/{reference}/evidence/",
        body=body(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        },
    )
    response = connection.getresponse()
    payload = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 201:
        raise SystemExit(f"upload answered {response.status}: {payload[:500]!r}")
    return elapsed, json.loads(payload)


# --- Main -------------------------------------------------------------------------------------


def main():
    args = parse_args()
    size = args.size_mb * MB
    scratch = Path(tempfile.mkdtemp(prefix="recourse-upload-bench-"))
    env = configure(scratch, size, args.runs)
    server = None
    try:
        database = env["DATABASE_URL"].split("://")[0]
        print(f"Scratch folder {scratch}; database: {database}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )

        import django

        django.setup()
        from django.core.files.uploadedfile import UploadedFile

        from accounts.models import User
        from accounts.services import token_create, user_create
        from cases.services import case_create
        from evidence.files import sha256_of
        from evidence.services import evidence_attach

        user = User.objects.filter(username="bench-uploader").first() or user_create(
            username="bench-uploader", password=None, role="seller"
        )
        case = case_create(
            actor=user,
            kind="account_ban",
            platform="douyin",
            title="Upload benchmark",
            details={"account_id": "bench", "ban_type": "permanent", "banned_on": "2026-01-05"},
        )
        _token, key = token_create(actor=user, name="upload benchmark")

        path = scratch / "recording.mp4"
        print(f"Writing {args.size_mb} MB of random bytes behind an MP4 header …")
        expected = make_file(path, size)

        # Hashing, with the file in the page cache for both (the first read warms it).
        def coreutils():
            subprocess.run(["sha256sum", str(path)], check=True, stdout=subprocess.DEVNULL)

        def python_hash():
            with path.open("rb") as source:
                assert sha256_of(source) == expected

        sha256sum_s = best_of(3, coreutils)
        sha256_of_s = best_of(3, python_hash)

        def attach_in_process():
            with path.open("rb") as source:
                item = evidence_attach(
                    actor=user,
                    case=case,
                    upload=UploadedFile(source, name="in-process.mp4", size=size),
                    kind="screen_recording",
                )
            assert item.sha256 == expected

        attach_s = best_of(2, attach_in_process)

        port = free_port()
        server, pid = start_server(args.server, port, env)
        # Warm up: the first upload imports and allocates what every later one reuses.
        small = scratch / "small.mp4"
        small.write_bytes(MP4_HEADER + os.urandom(64 * 1024))
        upload(port, key, case.reference, small, "warm-up.mp4")
        idle_kb = status_kb(pid, "VmRSS")

        runs = []
        for number in range(1, args.runs + 1):
            before_kb = status_kb(pid, "VmRSS")
            hwm_reset = reset_peak(pid)
            sampler = RssSampler(pid)
            sampler.start()
            elapsed, body = upload(port, key, case.reference, path, f"recording-{number}.mp4")
            sampled_kb = sampler.stop()
            assert body["sha256"] == expected, "the server's hash differs from the file's"
            peak_kb = max(sampled_kb, status_kb(pid, "VmHWM") if hwm_reset else 0)
            runs.append(
                {
                    "seconds": elapsed,
                    "mb_per_s": args.size_mb / elapsed,
                    "rss_before_mb": before_kb / 1024,
                    "peak_growth_mb": (peak_kb - before_kb) / 1024,
                    "rss_after_mb": status_kb(pid, "VmRSS") / 1024,
                }
            )

        figures = {
            "size_mb": args.size_mb,
            "server": args.server,
            "database": database,
            "sha256sum_s": sha256sum_s,
            "sha256_of_s": sha256_of_s,
            "attach_in_process_s": attach_s,
            "idle_rss_mb": idle_kb / 1024,
            "peak_measured_with": "VmHWM + VmRSS samples" if hwm_reset else "VmRSS samples",
            "uploads": runs,
        }
        report(figures)
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.keep:
            print(f"Kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def report(figures: dict) -> None:
    size = figures["size_mb"]

    def rate(seconds):
        return f"{size / seconds:7.0f} MB/s"

    print()
    print(
        f"{size} MB MP4 upload · {figures['server']} (1 worker, 1 thread) · "
        f"{figures['database']} · file in the page cache"
    )
    print(f"{'':<52}{'time':>9}  {'throughput':>12}")
    rows = [
        ("sha256sum (coreutils)", figures["sha256sum_s"]),
        ("evidence.files.sha256_of, in-process", figures["sha256_of_s"]),
        ("evidence_attach in-process (sniff, copy + hash)", figures["attach_in_process_s"]),
    ]
    rows += [
        (f"HTTP upload through the API, run {n}", run["seconds"])
        for n, run in enumerate(figures["uploads"], start=1)
    ]
    for label, seconds in rows:
        print(f"{label:<52}{seconds:8.2f}s  {rate(seconds):>12}")
    print()
    print(f"Web process: {figures['idle_rss_mb']:.1f} MB resident when idle after a warm-up upload")
    print(f"{'':<52}{'before':>9}  {'peak growth':>12}  {'after':>8}")
    for n, run in enumerate(figures["uploads"], start=1):
        print(
            f"{'upload ' + str(n):<52}{run['rss_before_mb']:7.1f}MB  "
            f"{run['peak_growth_mb']:10.1f}MB  {run['rss_after_mb']:6.1f}MB"
        )
    print(f"(peak from {figures['peak_measured_with']})")


if __name__ == "__main__":
    main()

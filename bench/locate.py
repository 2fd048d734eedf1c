"""Benchmark of the locator: `make bench` (PostgreSQL) or `python bench/locate.py` (SQLite).

Prints p50/p95 of GET /api/v1/locate for 1,000 random postal codes, in-process (Flask test
client) and over HTTP (gunicorn, 2 workers, keep-alive off as browsers across sites), each next
to a bare Flask endpoint measured in the same run; SQL queries per locate; gazetteer load time
and resident memory in a fresh process. Targets (issue 2, issue 13 §3): locate p95 within 2x
the bare endpoint over HTTP with at most 1 SQL statement per request; gazetteer loaded in
under 1 s and under 100 MB.

`--before DIR` also serves another checkout of the portal (say `git archive main` unpacked in
DIR) from a second gunicorn on the same database, and measures it in the same loop, request
after request: before and after in one run, on the same machine load.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REQUESTS = 1000


def database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    return url


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def summary(name: str, values: list[float], bare: list[float] | None = None) -> str:
    p50, p95 = pct(values, 50) * 1000, pct(values, 95) * 1000
    line = f"{name:<34} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms"
    if bare:
        ratio50, ratio95 = p50 / (pct(bare, 50) * 1000), p95 / (pct(bare, 95) * 1000)
        line += f"   ratio p50 {ratio50:4.2f}x  p95 {ratio95:4.2f}x"
    return line


def gazetteer_load() -> str:
    code = (
        "import resource, time\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t = time.perf_counter()\n"
        "from portal.geo.gazetteer import Gazetteer\n"
        "g = Gazetteer.load()\n"
        "elapsed = time.perf_counter() - t\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(f'{len(g)} {elapsed:.3f} {before / 1024:.1f} {after / 1024:.1f}')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    count, seconds, before, after = out
    return (
        f"gazetteer: {count} entries loaded in {float(seconds) * 1000:.0f} ms; "
        f"process RSS {before} MB before, {after} MB after (+{float(after) - float(before):.1f} MB)"
    )


def sample_postal_codes() -> list[str]:
    from portal.geo.gazetteer import get_gazetteer

    codes = sorted({code for commune in get_gazetteer() for code in commune.postal_codes})
    rng = random.Random(2026)
    return [rng.choice(codes) for _ in range(REQUESTS)]


def in_process(codes: list[str]) -> tuple[list[float], list[float], float]:
    from sqlalchemy import event

    from bench.app import app
    from portal.extensions import db

    client = app.test_client()
    queries = 0

    def count(*_: object) -> None:
        nonlocal queries
        queries += 1

    from portal.network.snapshot import cache_for

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        # The network's version check goes to the driver's cursor, unseen by engine events.
        cache = cache_for(db.session)
    for code in codes[:50]:  # warm-up
        client.get(f"/api/v1/locate?postal_code={code}")
        client.get("/_bench/bare")
    locate, bare = [], []
    queries = 0
    checks = cache.version_checks
    for code in codes:
        t = time.perf_counter()
        response = client.get(f"/api/v1/locate?postal_code={code}")
        locate.append(time.perf_counter() - t)
        assert response.status_code in (200, 400), response.status_code
        t = time.perf_counter()
        client.get("/_bench/bare")
        bare.append(time.perf_counter() - t)
    return locate, bare, (queries + cache.version_checks - checks) / len(codes)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(root: Path, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn (2 workers) serving `bench/app.py` from `root`, once its bare endpoint answers;
    `env` adds to the environment (e.g. `BENCH_TIMING`)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "bench.app:app",
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/_bench/bare", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def timed_get(url: str) -> float:
    t = time.perf_counter()
    try:
        urllib.request.urlopen(url).read()
    except urllib.error.HTTPError as error:  # 400 for a code of no commune: still timed
        error.read()
    return time.perf_counter() - t


def over_http(codes: list[str], roots: list[Path]) -> list[tuple[list[float], list[float]]]:
    """(locate, bare) timings of each checkout's gunicorn, measured in turn for each code."""
    servers = [serve(root) for root in roots]
    try:
        for code in codes[:50]:
            for _, base in servers:
                timed_get(f"{base}/api/v1/locate?postal_code={code}")
        timings: list[tuple[list[float], list[float]]] = [([], []) for _ in servers]
        for code in codes:
            for (_, base), (locate, bare) in zip(servers, timings, strict=True):
                locate.append(timed_get(f"{base}/api/v1/locate?postal_code={code}"))
                bare.append(timed_get(base + "/_bench/bare"))
        return timings
    finally:
        for server, _ in servers:
            server.terminate()
            server.wait(timeout=10)


def prepare() -> None:
    from alembic import command

    from bench.app import app
    from portal.cli import alembic_config
    from portal.demo import load_demo
    from portal.extensions import db

    with app.app_context():
        cfg = alembic_config()
        cfg.attributes["app"] = app
        command.upgrade(cfg, "head")
        print(load_demo(db.session))
        db.session.commit()


def main() -> None:
    before = None
    if "--before" in sys.argv:
        before = Path(sys.argv[sys.argv.index("--before") + 1]).resolve()
    url = database_url()
    print(f"database: {url.split('@')[-1]}")
    print(gazetteer_load())
    prepare()
    codes = sample_postal_codes()
    locate, bare, queries = in_process(codes)
    print(summary("in-process bare endpoint", bare))
    print(summary("in-process /api/v1/locate", locate, bare))
    print(f"SQL queries per locate: {queries:.2f}")
    print(f"load average before HTTP: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    timings = over_http(codes, [ROOT] if before is None else [ROOT, before])
    (locate_http, bare_http), *others = timings
    print(summary("HTTP (gunicorn) bare endpoint", bare_http))
    print(summary("HTTP (gunicorn) /api/v1/locate", locate_http, bare_http))
    for locate_before, bare_before in others:
        print(summary("HTTP before: bare endpoint", bare_before))
        print(summary("HTTP before: /api/v1/locate", locate_before, bare_before))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

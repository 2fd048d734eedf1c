"""The HTTP side of the booking benchmark: gunicorn on a free port, clients that keep their
connection and session cookie as a browser does, the searches timed one at a time, and the
bare endpoint under the same 50 clients as the bookings."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.app import server_timing
from bench.locate import ROOT, free_port, pct
from bench.machine import CpuMeter

CLIENTS = 50
BOOKINGS_PER_CLIENT = 20
BARE_PER_CLIENT = 100
SLOT_LINK = re.compile(r'href="/rendez-vous/creneau/\d+')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Sample:
    """Times of one kind of request: client-side seconds, server ms, SQL ms and statements."""

    client: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)

    def add(self, elapsed: float, server_ms: float, sql_ms: float, queries: int) -> None:
        self.client.append(elapsed * 1000)
        self.server.append(server_ms)
        self.sql.append(sql_ms)
        self.queries.append(queries)

    def count_slots(self, html: str) -> None:
        self.slots.append(len(SLOT_LINK.findall(html)))


def report(title: str, samples: dict[str, Sample]) -> str:
    bare = samples["bare"]
    lines = [
        f"{title}:",
        f"  {'':<36}{'server p50':>11}{'p95':>9}{'client p50':>12}{'p95':>9}"
        f"{'SQL p50':>9}{'stmts':>7}{'max':>5}{'links':>7}  p95 ÷ bare (server / client)",
    ]
    for name, s in samples.items():
        ratio = ""
        if name != "bare":
            ratio = (
                f"{pct(s.server, 95) / pct(bare.server, 95):6.1f}× / "
                f"{pct(s.client, 95) / pct(bare.client, 95):5.1f}×"
            )
        links = f"{min(s.slots):>7}" if s.slots else f"{'':>7}"
        lines.append(
            f"  {name:<36}{pct(s.server, 50):8.2f} ms{pct(s.server, 95):6.2f} ms"
            f"{pct(s.client, 50):9.2f} ms{pct(s.client, 95):6.2f} ms{pct(s.sql, 50):6.2f} ms"
            f"{sum(s.queries) / len(s.queries):7.1f}{max(s.queries):5d}{links}  {ratio}"
        )
    lines.append("  (stmts: SQL statements per request, mean and max; links: fewest slot links)")
    return "\n".join(lines)


class Server:
    """gunicorn serving bench/app.py against the benchmark database, on a free port."""

    def __init__(self, workers: int, threads: int, env: dict[str, str] | None = None) -> None:
        self.workers, self.threads, self.port = workers, threads, free_port()
        self.env = env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def describe(self) -> str:
        return f"gunicorn {self.workers} workers × {self.threads} threads, gthread"

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                *("--workers", str(self.workers), "--worker-class", "gthread"),
                *("--threads", str(self.threads), "--bind", f"127.0.0.1:{self.port}"),
                *("--log-level", "warning", "bench.app:app"),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "BENCH_TIMING": "1", **self.env},
        )
        for _ in range(200):
            try:
                Client(self.port).get("/_bench/bare")
                break
            except OSError:
                time.sleep(0.1)
        # Each worker imports lazily on its first requests: warm all of them.
        run_threads(CLIENTS, lambda _: [Client(self.port).get("/_bench/bare") for _ in range(5)])
        return self

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


class Client:
    """One person's browser: one keep-alive connection, its cookies."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, keep: bool = True
    ) -> tuple[int, http.client.HTTPMessage, str, float]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        elapsed = time.perf_counter() - began
        if keep:
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";")[0].partition("=")
                self.cookies[name] = value
        return response.status, response.headers, text, elapsed

    def get(self, path: str) -> tuple[int, http.client.HTTPMessage, str, float]:
        return self.request("GET", path)


def run_threads(count: int, work: Any) -> list[Any]:
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = work(index)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def sample_http(
    server: Server, communes: list[str], queries: dict[str, str], rounds: int
) -> dict[str, Sample]:
    client = Client(server.port)
    samples = {name: Sample() for name in [*queries, "bare"]}

    def get(name: str, path: str, warm: bool) -> None:
        status, headers, text, elapsed = client.get(path)
        assert status == 200, (path, status)
        if not warm:
            samples[name].add(elapsed, *server_timing(headers["Server-Timing"]))
            if name != "bare":
                samples[name].count_slots(text)

    for warm, count in ((True, 40), (False, rounds)):
        for i in range(count):
            commune = communes[i % len(communes)]
            for name, query in queries.items():
                get(name, f"/rendez-vous?commune={commune}{query}", warm)
                get("bare", "/_bench/bare", warm)
    return samples


@dataclass
class Throughput:
    title: str
    done: int
    seconds: float
    client_ms: list[float]
    server_ms: list[float]
    queries: list[int]
    errors: dict[str, int]
    checks: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.done / self.seconds

    def describe(self) -> str:
        lines = [
            f"  {self.title}: {self.done} in {self.seconds:.2f} s = {self.rate:.1f}/s; "
            f"client p50 {pct(self.client_ms, 50):.1f} ms, p95 {pct(self.client_ms, 95):.1f} ms; "
            f"server p50 {pct(self.server_ms, 50):.1f} ms, p95 {pct(self.server_ms, 95):.1f} ms; "
            f"SQL statements {sum(self.queries) / len(self.queries):.1f} (max "
            f"{max(self.queries)}); errors {sum(self.errors.values())} {self.errors or ''}"
        ]
        lines += [f"    {check}" for check in self.checks]
        return "\n".join(lines)


def hammer_bare(server: Server) -> Throughput:
    meter = CpuMeter(server)
    cpu: list[dict[str, float]] = []
    barrier = threading.Barrier(CLIENTS, action=lambda: cpu.append(meter.read()))
    marks: list[tuple[float, float]] = []

    def person(_: int) -> list[tuple[float, float, float, int, str]]:
        client = Client(server.port)
        client.get("/_bench/bare")
        barrier.wait()
        client.connection.close()
        began, results = time.perf_counter(), []
        for _ in range(BARE_PER_CLIENT):
            status, headers, _body, elapsed = client.get("/_bench/bare")
            assert status == 200
            timing = server_timing(headers["Server-Timing"])
            results.append((elapsed * 1000, *timing, headers.get("X-Bench-Worker", "")))
        marks.append((began, time.perf_counter()))
        return results

    flat = [r for results in run_threads(CLIENTS, person) for r in results]
    cpu.append(meter.read())
    seconds = max(end for _, end in marks) - min(start for start, _ in marks)
    outcome = Throughput(
        f"bare endpoint under the same {CLIENTS} clients",
        len(flat),
        seconds,
        [r[0] for r in flat],
        [r[1] for r in flat],
        [r[3] for r in flat],
        {},
    )
    workers = sorted(Counter(r[4] for r in flat).values(), reverse=True)
    outcome.checks = [CpuMeter.describe(*cpu), f"requests served per gunicorn worker: {workers}"]
    return outcome

"""What the load test prints (`bench/load.py`): the steps' percentiles and statuses, the
targets, and what the server side did meanwhile — CPU per gunicorn worker, and the database
connections seen in `pg_stat_activity` once a second."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from typing import TYPE_CHECKING

from bench.locate import pct
from bench.machine import _processes

if TYPE_CHECKING:
    from bench.load import Server
    from bench.load_visit import Tally

LOAD_RATIO_TARGET = 10.0  # issue 10: front door p95 under load below 10× its idle value
BARE = "GET /static (bare)"


def report(tally: Tally, seconds: float | None, idle: Tally | None = None) -> str:
    """One line per step: count, p50/p95/p99/max, statuses, and p95 against idle and bare."""
    bare = tally.times.get(BARE)
    head = f"  {'step':<38}{'count':>6}{'p50':>11}{'p95':>11}{'p99':>11}{'max':>11}"
    lines = [head + "  statuses; p95 ÷ idle p95; p95 ÷ bare p95"]
    for step, values in sorted(tally.times.items(), key=lambda item: _order(item[0])):
        statuses = ", ".join(
            f"{status}×{count}" for (name, status), count in sorted(tally.statuses.items())
            if name == step
        )  # fmt: skip
        ratios = ""
        if idle is not None and step in idle.times:
            ratios += f"; {pct(values, 95) / pct(idle.times[step], 95):.1f}× idle"
        if bare and step != BARE:
            ratios += f"; {pct(values, 95) / pct(bare, 95):.1f}× bare"
        lines.append(
            f"  {step:<38}{len(values):>6}{pct(values, 50):>8.1f} ms{pct(values, 95):>8.1f} ms"
            f"{pct(values, 99):>8.1f} ms{max(values):>8.0f} ms  {statuses}{ratios}"
        )
    requests = sum(tally.statuses.values())
    fives = sum(n for (_, status), n in tally.statuses.items() if status >= 500)
    if seconds:
        bookings = len(tally.booked)
        lines.append(
            f"  throughput: {requests:,} requests in {seconds:.1f} s = {requests / seconds:.1f} "
            f"requests/s; {bookings:,} bookings = {bookings / seconds:.2f} bookings/s"
        )
    lines.append(
        f"  5xx: {fives}; other errors: {sum(tally.errors.values())} "
        f"{dict(tally.errors) or ''}; reconnections after keep-alive closed: {tally.reconnects}"
    )
    if tally.outcomes:
        lines.append(f"  journeys: {dict(tally.outcomes.most_common())}")
    return "\n".join(lines)


STEPS = ("GET /", "POST / (questionnaire)", "GET /resultat", BARE, "GET /rendez-vous (search)",
         "GET /rendez-vous/creneau (form)", "POST /rendez-vous/reserver",
         "GET /rendez-vous/gerer (confirmation)")  # fmt: skip


def _order(step: str) -> int:
    return STEPS.index(step) if step in STEPS else len(STEPS)


def verdict(idle: Tally, busy: Tally, checks: list[str], front_door: tuple[str, ...]) -> list[str]:
    fives = sum(n for (_, status), n in busy.statuses.items() if status >= 500)
    doubles = int(checks[0].split("database: ")[1].split()[0])
    lines = [
        f"  no 5xx: {fives} — {'MET' if fives == 0 else 'NOT MET'}",
        f"  no double booking: {doubles} slots with two live appointments — "
        f"{'MET' if doubles == 0 else 'NOT MET'}",
    ]
    for step in front_door:
        ratio = pct(busy.times[step], 95) / pct(idle.times[step], 95)
        lines.append(
            f"  {step}: p95 {pct(busy.times[step], 95):.1f} ms under load ÷ "
            f"{pct(idle.times[step], 95):.1f} ms idle = {ratio:.1f}× < {LOAD_RATIO_TARGET:.0f}× — "
            f"{'MET' if ratio < LOAD_RATIO_TARGET else 'NOT MET'}"
        )
    return lines


class WorkerCpu:
    """CPU seconds of each gunicorn worker over the run: does one carry the others' load?"""

    def __init__(self, server: Server) -> None:
        assert server.process is not None
        self.master = server.process.pid
        self.tick = os.sysconf("SC_CLK_TCK")
        self.before: dict[int, int] = {}

    def _read(self) -> dict[int, int]:
        return {pid: own for pid, ppid, own, _ in _processes() if ppid == self.master}

    def start(self) -> None:
        self.before, self.began = self._read(), time.perf_counter()

    def describe(self) -> str:
        after, wall = self._read(), time.perf_counter() - self.began
        used = sorted(((after[p] - self.before.get(p, 0)) / self.tick for p in after), reverse=True)
        shares = ", ".join(f"{seconds:.1f} s" for seconds in used)
        return f"CPU per gunicorn worker over {wall:.1f} s: {shares} (1 worker ≤ 1 core: its GIL)"


class DbWatch:
    """Once a second, the benchmark database's connections by state in pg_stat_activity."""

    def __init__(self, url: str) -> None:
        self.dsn = url.replace("postgresql+psycopg://", "postgresql://")
        self.samples: list[Counter[str]] = []
        self.done = threading.Event()

    def start(self) -> None:
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.done.set()
        self.thread.join()

    def _watch(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self.done.wait(1.0):
                rows = conn.execute(
                    "SELECT coalesce(state, '?'), coalesce(wait_event_type, '') "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                ).fetchall()
                seen: Counter[str] = Counter()
                for state, wait in rows:
                    seen["connections"] += 1
                    seen[state] += 1
                    if wait == "Lock":
                        seen["waiting on a lock"] += 1
                self.samples.append(seen)

    def describe(self) -> str:
        if not self.samples:
            return "pg_stat_activity: no sample"
        keys = sorted({k for s in self.samples for k in s})
        parts = [
            f"{k} mean {sum(s[k] for s in self.samples) / len(self.samples):.1f} "
            f"max {max(s[k] for s in self.samples)}"
            for k in keys
        ]
        return f"pg_stat_activity, {len(self.samples)} samples: " + "; ".join(parts)

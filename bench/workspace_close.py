"""`close-expired` over the whole dataset (`bench/workspace.py`, part 2).

Runs, each as if today were a later day (`--today`), after the page measurements:
1. a nightly run (tomorrow): the units whose last day was today, and the book's overdue ones;
2. a six-week backlog (cron stopped for six weeks): thousands of units at once;
3. the same day again: idempotent (closes nothing), and what an idle run costs;
4. a fresh backlog (fifteen weeks) closed by two `flask cep close-expired` processes started
   together, as cron on two hosts: SKIP LOCKED must split the work, never close twice.

Runs 1-3 call `close_expired_units` in batches of 500 with a commit per batch, exactly as
the command does, in this process (time per batch recorded). Each run is checked against the
units expected beforehand (open, deadline before the day, and not a printed livrable within
its paper-return grace): all closed, as « abandon », at their deadline, one survey each.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, text

from bench.locate import pct

ROOT = Path(__file__).resolve().parent.parent
BATCH = 500

# The units `expired_unit_ids` selects, without its LIMIT and lock.
EXPECTED = """
SELECT u.id FROM unit u
WHERE u.status = 'open' AND u.deadline < :day
  AND NOT (u.deadline >= :grace AND EXISTS (
      SELECT 1 FROM livrable l WHERE l.unit_id = u.id AND l.status = 'frozen'))
"""


@dataclass
class Outcome:
    title: str
    expected: int
    closed: int
    seconds: float
    batches: list[float] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    statements: int = 0
    sql_seconds: float = 0.0

    def describe(self) -> str:
        rate = f"{self.closed / self.seconds:,.0f} units/s" if self.closed else "idle"
        line = (
            f"  {self.title}: {self.closed:,} closed of {self.expected:,} expected in "
            f"{self.seconds:.2f} s ({rate})"
        )
        if len(self.batches) > 1:
            line += (
                f"; {len(self.batches)} batches of ≤ {BATCH}, p50 {pct(self.batches, 50):.0f} ms,"
                f" max {max(self.batches):.0f} ms"
            )
        elif self.batches:
            line += f"; one batch, {self.batches[0]:.1f} ms"
        if self.statements:
            per_unit = f", {self.statements / self.closed:.1f} per unit" if self.closed else ""
            line += (
                f"\n    {self.statements:,} SQL statements{per_unit}, {self.sql_seconds:.2f} s in"
                f" SQL, {self.seconds - self.sql_seconds:.2f} s in Python and the driver"
            )
        return "\n".join([line, *(f"    {c}" for c in self.checks)])


def _expected(day: date) -> set[int]:
    from bench.app import app
    from portal.advisor.rules import PAPER_RETURN_GRACE_DAYS
    from portal.extensions import db

    grace = day - timedelta(days=PAPER_RETURN_GRACE_DAYS)
    with app.app_context():
        ids = set(db.session.scalars(text(EXPECTED), {"day": day, "grace": grace}).all())
        db.session.rollback()
    return ids


def _orphans() -> int:
    """Closed units without a survey, in the whole table."""
    from bench.app import app
    from portal.extensions import db

    with app.app_context():
        found = db.session.scalar(
            text(
                "SELECT count(*) FROM unit u WHERE u.status = 'closed'"
                " AND NOT EXISTS (SELECT 1 FROM survey s WHERE s.unit_id = u.id)"
            )
        )
        db.session.rollback()
    return int(found or 0)


def _check(expected: set[int], reported: int, orphans_before: int) -> list[str]:
    """Every expected unit closed once, as « abandon » at its deadline, with one survey, and
    no closed unit left without its survey by the run."""
    from bench.app import app
    from portal.extensions import db

    ids = sorted(expected)
    with app.app_context():
        closed, surveys, surveyed = db.session.execute(
            text(
                "SELECT count(*) FILTER (WHERE u.status = 'closed' AND u.closure_kind = 'abandon'"
                "   AND u.closed_on = u.deadline AND u.motif_cloture = 'abandon'),"
                " count(s.id), count(DISTINCT s.unit_id)"
                " FROM unit u LEFT JOIN survey s ON s.unit_id = u.id WHERE u.id = ANY(:ids)"
            ),
            {"ids": ids},
        ).one()
        doubled = db.session.scalar(
            text(
                "SELECT count(*) FROM (SELECT unit_id FROM survey GROUP BY 1 HAVING count(*) > 1) x"
            )
        )
        db.session.rollback()
    orphans = _orphans()
    ok = closed == len(ids) == surveys == surveyed == reported
    ok = ok and orphans == orphans_before and not doubled
    return [
        f"{'PASS' if ok else 'FAIL'}: {closed:,} of {len(ids):,} expected closed as abandon at "
        f"their deadline; {reported:,} reported closed; {surveys:,} surveys for them "
        f"({surveyed:,} units); units with two surveys: {doubled}; closed units without a "
        f"survey: {orphans_before} before, {orphans} after (those before were written so)"
    ]


def in_process(title: str, day: date) -> Outcome:
    """The command's loop, in this process: batches of 500, a commit per batch."""
    from bench.app import app
    from portal.advisor.closing import close_expired_units
    from portal.extensions import db

    expected, orphans = _expected(day), _orphans()
    batches: list[float] = []
    total, sql, marks = 0, [0, 0.0], [0.0]

    def before(*_: object) -> None:
        marks[0] = time.perf_counter()

    def after(*_: object) -> None:
        sql[0] += 1
        sql[1] += time.perf_counter() - marks[0]

    began = time.perf_counter()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        try:
            while True:
                started = time.perf_counter()
                closed = close_expired_units(db.session, today=day, limit=BATCH)
                db.session.commit()
                batches.append((time.perf_counter() - started) * 1000)
                total += len(closed)
                if len(closed) < BATCH:
                    break
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
            event.remove(db.engine, "after_cursor_execute", after)
    outcome = Outcome(title, len(expected), total, time.perf_counter() - began, batches)
    outcome.statements, outcome.sql_seconds = int(sql[0]), float(sql[1])
    outcome.checks = _check(expected, total, orphans)
    return outcome


def two_processes(title: str, day: date) -> Outcome:
    """Two `flask cep close-expired` started together, as cron on two hosts."""
    expected, orphans = _expected(day), _orphans()
    flask = str(Path(sys.executable).parent / "flask")
    command = [flask, "--app", "portal", "cep", "close-expired", "--today", day.isoformat()]
    env = {k: v for k, v in os.environ.items() if k != "BENCH_TIMING"}
    results: dict[int, tuple[str, float, float]] = {}

    def one(index: int) -> None:
        started = time.perf_counter()
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        results[index] = (done.stdout.strip(), started, time.perf_counter())

    began = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    counts = [int(out.split("closed=")[1].split()[0]) for out, _, _ in results.values()]
    outcome = Outcome(title, len(expected), sum(counts), seconds)
    outcome.checks = [
        f"process {i + 1}: {out!r} in {end - start:.2f} s (Python start-up included)"
        for i, (out, start, end) in sorted(results.items())
    ]
    split = all(counts) and len(counts) == 2
    outcome.checks.append(
        f"{'PASS' if split else 'FAIL'}: the work was split between the processes ({counts})"
    )
    outcome.checks += _check(expected, sum(counts), orphans)
    return outcome


def explain(day: date) -> list[str]:
    """The plan of one batch's selection (`expired_unit_ids`), on the day given."""
    from bench.app import app
    from portal.advisor.closing import expired_unit_ids
    from portal.extensions import db

    with app.app_context():
        statement = []

        def grab(_c: object, _cur: object, sql: str, params: object, *_: object) -> None:
            statement.append((sql, params))

        event.listen(db.engine, "before_cursor_execute", grab)
        try:
            expired_unit_ids(db.session, today=day, limit=BATCH)
        finally:
            event.remove(db.engine, "before_cursor_execute", grab)
            db.session.rollback()
        sql, params = statement[-1]
        with db.engine.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)  # type: ignore[arg-type]
            lines = [str(line) for line in plan.scalars()]
            conn.rollback()
    return lines


def close_expired_benchmark() -> None:
    from portal.clock import today_in_france

    today = today_in_france()
    nightly, backlog, fresh = (today + timedelta(days=d) for d in (1, 42, 105))
    print(f"  plan of one batch's selection on {backlog} (six weeks of backlog):")
    print("\n".join(f"    {line}" for line in explain(backlog)))
    print(in_process(f"nightly run (--today {nightly})", nightly).describe(), flush=True)
    print(in_process(f"six-week backlog (--today {backlog})", backlog).describe(), flush=True)
    print(in_process(f"the same day again (--today {backlog})", backlog).describe(), flush=True)
    print(f"  plan of the idle run's selection on {backlog}:")
    print("\n".join(f"    {line}" for line in explain(backlog)))
    print(
        two_processes(f"two processes at once, fresh backlog (--today {fresh})", fresh).describe(),
        flush=True,
    )

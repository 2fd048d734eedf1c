"""Benchmark of the complaint queues (issue 12), on PostgreSQL only: `make bench-complaints`,
or `scripts/with-postgres .venv/bin/python bench/complaints.py [--rounds 200] [--profile]`.

Dataset (`bench/complaints_data.py`, built by a child process so that the measuring one starts
fresh): the demo network and a national year of complaints, 1,550 (≈ 1 % of 155,000 entries)
over the 18 operators in proportion to their sites, in every state, with their messages, and
about a third referred to the mediator, the referrals in every state.

In-process (Flask test client, signed in through the real sign-in form), `--rounds` requests of
each page after warm-up, with the bare endpoint of `bench/app.py` in the same run: p50/p95/max
of the server time (`Server-Timing`), SQL statements per request (`before_cursor_execute`), and
the ratio to the bare endpoint, for
- the operator's queue `GET /pro/reclamations`, signed in as the manager of the busiest operator;
- the mediator's queue `GET /pro/mediateur/saisines`, signed in as a mediator — « not
  available » when the running code has no `mediator.queue` route.
Targets: p95 ≤ 100 ms and ≤ 15 SQL statements per page (PASS / FAIL lines).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/complaints.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ["BENCH_TIMING"] = "1"  # Server-Timing on every response (bench/app.py)
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.booking_http import report  # noqa: E402
from bench.fresh import build_in_child  # noqa: E402
from bench.locate import pct  # noqa: E402
from bench.machine import machine_load  # noqa: E402
from bench.workspace_pages import in_process, signed_in_client, verdict  # noqa: E402

OPERATOR_QUEUE = "/pro/reclamations"
MEDIATOR_QUEUE = "/pro/mediateur/saisines"


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests of each page")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--build-only", metavar="FACTS", help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare(url: str, facts: str) -> None:
    """A fresh schema (the throwaway database of scripts/with-postgres), then the dataset."""
    from sqlalchemy import text

    from bench import complaints_data
    from bench.app import app
    from bench.fresh import fresh_demo
    from portal.clock import today_in_france
    from portal.extensions import db

    def log(line: str) -> None:
        print(line, flush=True)

    fresh_demo(url, log)
    with app.app_context():
        began = time.perf_counter()
        dataset = complaints_data.build(db.session, today_in_france(), log)
        db.session.commit()
        log(dataset.describe())
        log(f"  complaints and referrals: {time.perf_counter() - began:.1f} s (core functions)")
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        Path(facts).write_text(
            json.dumps(
                {"manager": dataset.busiest_manager, "mediator": complaints_data.MEDIATOR_EMAIL}
            )
        )


def mediator_queue_exists() -> bool:
    from bench.app import app

    return "mediator.queue" in app.view_functions


def core_referral_queue(rounds: int) -> list[str]:
    """`portal.mediation.mediator_queue.referral_queue` alone (no page), for each state of its
    `QueueState` (or `state=None`), when the running code has it: p50/p95 and SQL statements
    per call."""
    try:
        module = importlib.import_module("portal.mediation.mediator_queue")
        referral_queue = module.referral_queue
    except (ImportError, AttributeError):
        return ["  core function: no `portal.mediation.mediator_queue.referral_queue` (yet)"]
    from sqlalchemy import event

    from bench.app import app
    from portal.clock import today_in_france
    from portal.extensions import db

    counted: list[int] = []
    lines = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_: counted.append(1))
        today = today_in_france()
        for state in list(getattr(module, "QueueState", [None])):
            times: list[float] = []
            rows, statements = 0, 0
            for i in range(rounds + 10):
                counted.clear()
                began = time.perf_counter()
                rows = len(list(referral_queue(db.session, today=today, state=state)))
                if i >= 10:
                    times.append((time.perf_counter() - began) * 1000)
                    statements = max(statements, len(counted))
                db.session.rollback()
            lines.append(
                f"  core referral_queue(state={state}): {rows} rows, p50 {pct(times, 50):.2f} ms,"
                f" p95 {pct(times, 95):.2f} ms, {statements} SQL statement(s) at most"
            )
    return lines


def open_complaints(manager: str) -> int:
    """How many complaints the manager's queue should list (not closed, their operator)."""
    from sqlalchemy import text

    from bench.app import app
    from portal.extensions import db

    with app.app_context():
        return int(
            db.session.scalar(
                text(
                    "SELECT count(*) FROM complaint c JOIN staff_member s"
                    " ON s.operator_id = c.operator_id WHERE s.email = :e"
                    " AND c.status <> 'closed'"
                ),
                {"e": manager},
            )
            or 0
        )


def measure(who: str, email: str, pages: dict[str, str], rounds: int) -> list[str]:
    """Each page of `pages` (name → path) in turn with the bare endpoint, signed in as `email`."""
    client = signed_in_client(email)
    failed: dict[str, str] = {}
    collector: list[str] = []
    paths = {name: [path] for name, path in pages.items()}
    samples = in_process(client, paths, rounds, failed, collector)
    lines = [report(f"{who} ({email}), in-process", samples), *collector]
    bare = samples["bare"]
    for name, sample in samples.items():
        lines.append(f"  {name}: server max {max(sample.server):.2f} ms")
        if name != "bare":
            lines.append(
                f"  {name}: ratio to bare p50 {pct(sample.server, 50) / pct(bare.server, 50):.0f}×,"
                f" p95 {pct(sample.server, 95) / pct(bare.server, 95):.0f}×"
            )
    lines.append("Targets (p95 ≤ 100 ms, ≤ 15 SQL statements), in-process:")
    lines.extend(verdict(samples, failed))
    for name, path in pages.items():
        html = client.get(path).get_data(as_text=True)
        rows = html.count("<li") + html.count("<tr")
        lines.append(f"  {name}: {len(html):,} bytes, {rows} list items and table rows")
    return lines


def mediator_pages() -> dict[str, str]:
    """The queue as it opens, and each `?etat=` of `QueueState` when the code has one."""
    pages = {"mediator's queue": MEDIATOR_QUEUE}
    try:
        states = importlib.import_module("portal.mediation.mediator_queue").QueueState
    except (ImportError, AttributeError):
        return pages
    for state in states:
        pages[f"mediator's queue ?etat={state.value}"] = f"{MEDIATOR_QUEUE}?etat={state.value}"
    return pages


def main() -> None:
    args = options()
    if args.build_only:
        prepare(URL, args.build_only)
        return
    print(
        f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}",
        flush=True,
    )
    print(f"machine before: {machine_load()}", flush=True)
    people = build_in_child(__file__)
    print(f"machine after the build: {machine_load()}", flush=True)

    manager = people["manager"]
    print(f"\n1. The operator's queue {OPERATOR_QUEUE}: {open_complaints(manager)} open complaints")
    lines = measure("operator's queue", manager, {"operator's queue": OPERATOR_QUEUE}, args.rounds)
    print("\n".join(lines), flush=True)

    print(f"\n2. The mediator's queue {MEDIATOR_QUEUE}")
    if mediator_queue_exists():
        lines = measure("mediator's queue", people["mediator"], mediator_pages(), args.rounds)
        print("\n".join(lines), flush=True)
    else:
        print("  not available: this code has no `mediator.queue` route (yet)")
    print("\n".join(core_referral_queue(args.rounds)), flush=True)

    if args.profile:
        from bench.booking_profile import show

        for email, path in ((manager, OPERATOR_QUEUE), (people["mediator"], MEDIATOR_QUEUE)):
            if path == MEDIATOR_QUEUE and not mediator_queue_exists():
                continue
            client = signed_in_client(email)
            one = functools.partial(client.get, path)
            show(path, one, one)
    print(f"\nmachine at the end: {machine_load()}")


if __name__ == "__main__":
    main()

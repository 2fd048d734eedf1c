"""Benchmark of the advisor's workspace (issue 4 §8), on PostgreSQL only: `make bench-workspace`,
or `scripts/with-postgres .venv/bin/python bench/workspace.py [--scale 1] [--profile]`.

Dataset (`bench/workspace_data.py`, built by a child process so that the measuring one starts
fresh): the demo network and five years of national activity, 800,000 × `--scale` dossiers with
their beneficiaries, units, interactions and surveys; one advisor of lot 1 holding exactly 300
open units (some warned, some overdue), this week's appointments and waiting requests.

1. In-process (Flask test client, signed in as that advisor through the real sign-in form,
   CSRF token read from the page), `--rounds` requests of each after warm-up: the advisor's
   home `GET /pro/conseiller`, a dossier page `GET /pro/dossiers/<id>` for random dossiers of
   that advisor, and the bare endpoint of `bench/app.py` in the same run: p50/p95 of the server
   time (`Server-Timing`), SQL statements per page, ratio to bare. Targets: p95 ≤ 100 ms and
   ≤ 15 SQL statements per page (PASS / FAIL lines).
2. `close-expired` over the whole dataset (`bench/workspace_close.py`): a nightly run, a
   six-week backlog, the same run again (idempotent, idle), then two `flask cep close-expired`
   processes at once on a fresh backlog (SKIP LOCKED), with the checks that every unit expected
   closed is closed once, as « abandon » at its deadline, with exactly one survey.

`--profile` adds, for one request of each page, every SQL statement with its time, the
`EXPLAIN (ANALYZE, BUFFERS)` of the slowest SELECT and the Python functions that cost most.
To try a fix before proposing it: `--what-if "CREATE INDEX …"` (run on the built dataset,
repeatable) and `--gc-freeze` (the loaded app taken out of the cyclic garbage collector, as a
server may do after start-up). `--scale 0.02` builds a small dataset in seconds.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/workspace.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ["BENCH_TIMING"] = "1"  # Server-Timing on every response (bench/app.py)
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.booking_http import report  # noqa: E402
from bench.fresh import build_in_child  # noqa: E402
from bench.machine import machine_load  # noqa: E402
from bench.workspace_pages import (  # noqa: E402
    HOME,
    advisor_dossiers,
    home_lists,
    in_process,
    signed_in_client,
    verdict,
)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 800,000 dossiers")
    parser.add_argument("--rounds", type=int, default=200, help="requests of each page")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--build-only", metavar="FACTS", help=argparse.SUPPRESS)
    parser.add_argument("--no-close", action="store_true", help="skip close-expired")
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() before measuring the pages (the loaded app out of the cyclic GC)",
    )
    parser.add_argument(
        "--what-if",
        action="append",
        default=[],
        metavar="SQL",
        help="SQL run after the build, before measuring (a proposed index, say); repeatable",
    )
    return parser.parse_args()


def prepare(url: str, scale: float, facts: str) -> None:
    """A fresh schema (the throwaway database of scripts/with-postgres), then the dataset."""

    from bench import workspace_data
    from bench.app import app
    from bench.fresh import fresh_demo
    from portal.clock import today_in_france
    from portal.extensions import db

    def log(line: str) -> None:
        print(line, flush=True)

    fresh_demo(url, log)
    began = time.perf_counter()
    with app.app_context():
        dataset = workspace_data.build(db.session, today_in_france(), datetime.now(UTC), scale, log)
        log(dataset.describe())
        Path(facts).write_text(json.dumps({"advisor": dataset.advisor_email}))
        log(f"dataset built in {time.perf_counter() - began:.0f} s")


def what_if(statements: list[str]) -> None:
    """Try a change on the built dataset (say `CREATE INDEX …`), then refresh statistics."""
    from sqlalchemy import create_engine

    engine = create_engine(URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for sql in statements:
            began = time.perf_counter()
            conn.exec_driver_sql(sql)
            print(f"what-if: {sql} ({time.perf_counter() - began:.1f} s)")
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def main() -> None:
    args = options()
    if args.build_only:
        prepare(URL, args.scale, args.build_only)
        return
    print(
        f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]};"
        f" scale {args.scale}",
        flush=True,
    )
    print(f"machine before: {machine_load()}", flush=True)
    email = build_in_child(__file__, "--scale", str(args.scale))["advisor"]
    print(f"machine after the build: {machine_load()}", flush=True)

    if args.what_if:
        what_if(args.what_if)
    dossiers, numbers = advisor_dossiers(email)
    rng = random.Random(2026)
    paths = {
        "advisor's home": [HOME],
        "dossier page": [f"/pro/dossiers/{rng.choice(dossiers)}" for _ in range(args.rounds)],
    }
    client = signed_in_client(email)
    print(f"\n1. The advisor's pages, {args.rounds} requests each, {len(dossiers)} dossiers drawn")
    failed: dict[str, str] = {}
    if args.gc_freeze:
        gc.freeze()  # what a server could do once the app is loaded
        print("what-if: gc.freeze() after start-up and sign-in")
    collector: list[str] = []
    samples = in_process(client, paths, args.rounds, failed, collector)
    print(report("in-process (Flask test client, signed in)", samples))
    print("\n".join(collector))
    print(f"  {home_lists(client, numbers)}")
    print("Targets (issue 4 §8), in-process:")
    print("\n".join(verdict(samples, failed)))
    if args.profile:
        from bench.booking_profile import show

        for name, choices in paths.items():
            one = functools.partial(client.get, choices[0])
            show(f"{name} — {choices[0]}", one, one)
    if not args.no_close:
        from bench.workspace_close import close_expired_benchmark

        print("\n2. close-expired over the whole dataset")
        close_expired_benchmark()
    print(f"\nmachine at the end: {machine_load()}")
    if failed:
        sys.exit(f"{len(failed)} page(s) did not answer 200: {', '.join(failed)}")


if __name__ == "__main__":
    main()

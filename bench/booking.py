"""Benchmark of "Book the first appointment within 30 jours ouvrés", on PostgreSQL only:
`make bench-booking`, or `scripts/with-postgres .venv/bin/python bench/booking.py [--profile]`.

Dataset (`bench/booking_data.py`, built by a child process so that the measuring one starts
fresh): the demo network, its lot 1 grown to 110 sites and 300 advisors, six months of past
appointments and 60 % of the future slots taken.

1. The slot search page `GET /rendez-vous?commune=…` (the first page, a filtered one, a later
   week) for 300 communes of lot 1 drawn by population, in-process (Flask test client) and
   over HTTP (gunicorn), next to the bare endpoint of `bench/app.py` in the same run: p50/p95
   of the server time (the `Server-Timing` header of `bench/app.py`) and of the time the
   client saw, and SQL statements per page. Then the same pages with generic plans forced,
   as PostgreSQL may choose for a prepared statement. Targets: p95 ≤ 50 ms and ≤ 10 SQL
   statements per page.
   Each in-process measure is taken twice in the same run: first with the search as it was
   before issue 13 §3 (`bench/booking_before.py`), then as it is.
2. Bookings through gunicorn (4 workers × 8 threads), in alternate turns with the
   confirmation rendered in the request as before (BENCH_BEFORE=mail) and by the sender as
   now: one client alone (the cost of a booking), then 50 client threads, each with its own
   session and CSRF token, POSTing the booking form for distinct free slots; bookings per
   second, latency, errors, CPU by process group, then the database is checked for double
   bookings. The bare endpoint is measured under the same 50 clients.
3. The search pages again in-process, on tables no longer freshly vacuumed.

`--profile` adds, for one request of each page and one booking, every SQL statement with its
time and the PostgreSQL plan of the slowest SELECT, and the Python functions that cost most.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Before anything imports bench.app: the app must be built on the throwaway PostgreSQL.
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/booking.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ["BENCH_TIMING"] = "1"  # Server-Timing on every response (bench/app.py)
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.booking_http import (  # noqa: E402
    CLIENTS,
    Sample,
    Server,
    hammer_bare,
    report,
    sample_http,
)
from bench.booking_load import book  # noqa: E402
from bench.locate import pct  # noqa: E402
from bench.machine import machine_load  # noqa: E402

ROUNDS = 300  # requests of each page, in-process and over HTTP
GENERIC_ROUNDS = 5  # generic plans can take seconds: a few requests are enough to tell
TURN_BOOKINGS = 10  # per client and turn (two turns before, two now)
SEQUENTIAL_BOOKINGS = 50  # one client alone first: the cost of a booking without contention
P95_TARGET_MS, QUERIES_TARGET = 50.0, 10


def prepare(url: str) -> None:
    """A fresh schema (the throwaway database of scripts/with-postgres), then the dataset."""

    from bench import booking_data
    from bench.app import app
    from bench.fresh import fresh_demo
    from portal.clock import today_in_france
    from portal.extensions import db

    fresh_demo(url)
    with app.app_context():
        began = time.perf_counter()
        today = today_in_france()
        dataset = booking_data.build(db.session, today, datetime.now(UTC))
        print(dataset.describe())
        print(f"dataset built in {time.perf_counter() - began:.0f} s", flush=True)


def lot_communes() -> list[str]:
    """Where the searches come from: communes of lot 1 drawn in proportion to their
    population (Paris often, as in real traffic: many searches share the same nearest
    sites, hence the same SQL), one per request, seeded."""
    from bench.booking_data import LOT
    from portal.geo.gazetteer import get_gazetteer
    from portal.network.territory import LOT_BY_NUMBER

    communes = [
        c
        for c in get_gazetteer().communes_in_region(LOT_BY_NUMBER[LOT].region_code)
        if c.kind == "commune"
    ]
    rng = random.Random(2026)
    return [c.insee for c in rng.choices(communes, [c.population for c in communes], k=ROUNDS)]


def pages(today: date) -> dict[str, str]:
    later = today - timedelta(days=today.weekday()) + timedelta(weeks=3)
    return {
        "first page": "",
        "filtered (téléphone, midi)": "&modalite=telephone&moment=midi",
        f"later week ({later.isoformat()})": f"&semaine={later.isoformat()}",
    }


def in_process(
    communes: list[str], queries: dict[str, str], warm_rounds: int = 20
) -> dict[str, Sample]:
    from bench.app import app, server_timing

    client = app.test_client()
    samples = {name: Sample() for name in [*queries, "bare"]}

    def get(name: str, path: str, warm: bool) -> None:
        began = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - began
        assert response.status_code == 200, (path, response.status_code)
        if not warm:
            samples[name].add(elapsed, *server_timing(response.headers["Server-Timing"]))
            samples[name].count_slots(response.get_data(as_text=True))

    for warm, rounds in ((True, warm_rounds), (False, len(communes))):
        for i in range(rounds):
            commune = communes[i % len(communes)]
            for name, query in queries.items():
                get(name, f"/rendez-vous?commune={commune}{query}", warm)
                get("bare", "/_bench/bare", warm)
    return samples


def generic_plans(communes: list[str], queries: dict[str, str]) -> dict[str, Sample]:
    """The pages again with every statement prepared at once and planned generically: what
    PostgreSQL may switch to by itself after five executions of a prepared statement (psycopg
    prepares a statement from its fifth execution on one connection). A plan that needs the
    actual values to be fast (a partial index, a range estimate) shows here."""
    from sqlalchemy import event

    from bench.app import app
    from portal.extensions import db

    def generic(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.prepare_threshold = 0
        dbapi_connection.execute("SET plan_cache_mode = force_generic_plan")
        dbapi_connection.commit()

    with app.app_context():
        engine = db.engine
    engine.dispose()
    event.listen(engine, "connect", generic)
    try:
        return in_process(communes[:GENERIC_ROUNDS], queries, warm_rounds=1)
    finally:
        event.remove(engine, "connect", generic)
        engine.dispose()


def render_deferred(limit: int = 300) -> str:
    """What the sender now does for each booking: render the confirmation the POST queued
    (`mail.rendering.render_pending`), timed in-process and rolled back."""
    from sqlalchemy import select

    from bench.app import app
    from portal.extensions import db
    from portal.mail.models import OutboxMessage
    from portal.mail.rendering import render_pending

    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.render_template.is_not(None)).limit(limit)
        ).all()
        times = []
        for row in rows:
            began = time.perf_counter()
            render_pending(db.session, row, app.config["SECRET_KEY"])
            times.append(time.perf_counter() - began)
        db.session.rollback()
    if not times:
        return "  the sender's rendering: no deferred message found"
    p50, p95 = pct(times, 50) * 1000, pct(times, 95) * 1000
    return (
        f"  the sender's rendering of {len(times)} confirmations: p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, {sum(times):.2f} s in all (rolled back)"
    )


def verdict(samples: dict[str, Sample]) -> list[str]:
    lines = []
    for name, sample in samples.items():
        if name == "bare":
            continue
        p95 = pct(sample.server, 95)
        worst = max(sample.queries)
        lines.append(
            f"  {name}: server p95 {p95:.1f} ms ≤ {P95_TARGET_MS:.0f} ms "
            f"{'MET' if p95 <= P95_TARGET_MS else 'NOT MET'}; {worst} SQL statements ≤ "
            f"{QUERIES_TARGET} {'MET' if worst <= QUERIES_TARGET else 'NOT MET'}"
        )
    return lines


def main() -> None:
    if "--build-only" in sys.argv:
        prepare(URL)
        return
    print(
        f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}",
        flush=True,
    )
    print(f"machine before: {machine_load()}", flush=True)
    # Built by another process: the one measuring starts as fresh as a server would.
    subprocess.run([sys.executable, __file__, "--build-only"], check=True)
    print(f"machine after the build: {machine_load()}")
    from portal.clock import today_in_france

    today = today_in_france()
    communes = lot_communes()
    queries = pages(today)
    print(
        f"\n1. Slot search, {ROUNDS} requests of each page from {len(set(communes))} communes "
        "of lot 1, drawn by population"
    )
    from bench import booking_before

    with booking_before.search():
        local_before = in_process(communes, queries)
    print(report("BEFORE issue 13 §3, in-process (Flask test client)", local_before))
    local = in_process(communes, queries)
    print(report("in-process (Flask test client)", local))
    with booking_before.search():
        generic_before = generic_plans(communes, queries)
    before_title = f"BEFORE, in-process, generic plans forced, {GENERIC_ROUNDS} each"
    print(report(before_title, generic_before))
    generic = generic_plans(communes, queries)
    print(report(f"in-process, generic plans forced, {GENERIC_ROUNDS} requests each", generic))
    with Server(workers=4, threads=8) as server:
        remote = sample_http(server, communes, queries, ROUNDS)
        print(report(f"over HTTP ({server.describe()}), one client, keep-alive", remote))
        print("Targets, in-process, BEFORE:")
        print("\n".join(verdict(local_before)))
        print("Targets, in-process with generic plans, BEFORE:")
        print("\n".join(verdict(generic_before)))
        print("Targets, in-process:")
        print("\n".join(verdict(local)))
        print("Targets, in-process with generic plans:")
        print("\n".join(verdict(generic)))
        print("Targets, over HTTP:")
        print("\n".join(verdict(remote)))
    # The booking POST as before (confirmation rendered in the request) and as now, in turns
    # (before, now, before, now): a machine whose load drifts weighs on both alike.
    print("\n2. Booking distinct free slots, the confirmation rendered in the request (before)")
    print("   or by the sender (now), in alternate turns of 50 clients × 10 bookings")
    turns: dict[str, list[Any]] = {"before": [], "now": []}
    for turn in range(2):
        for variant, env in (("before", {"BENCH_BEFORE": "mail"}), ("now", {})):
            with Server(workers=4, threads=8, env=env) as server:
                print(f"\n  turn {turn + 1}, {variant}: {server.describe()}")
                print(f"  machine: {machine_load()}")
                if turn == 0:
                    alone = book(server, today, clients=1, per_client=SEQUENTIAL_BOOKINGS)
                    print(alone.describe())
                outcome = book(server, today, clients=CLIENTS, per_client=TURN_BOOKINGS)
                print(outcome.describe())
                turns[variant].append(outcome)
                if turn == 1 and variant == "now":
                    bare = hammer_bare(server)
                    print(bare.describe())
    for variant, outcomes in turns.items():
        done = sum(o.done for o in outcomes)
        seconds = sum(o.seconds for o in outcomes)
        print(f"  {variant}: {done} bookings in {seconds:.2f} s = {done / seconds:.1f}/s")
    print(f"  bare: {bare.rate:.0f} requests/s under the same 50 clients")
    print(f"  machine: {machine_load()}")
    print(render_deferred())
    # The tables are no longer freshly vacuumed, as in production: plans may change.
    booked = 2 * SEQUENTIAL_BOOKINGS + 4 * CLIENTS * TURN_BOOKINGS
    print(f"\n3. Slot search again, after these {booked:,} bookings")
    again = in_process(communes, queries)
    print(report("in-process (Flask test client)", again))
    print("Targets, in-process after the bookings:")
    print("\n".join(verdict(again)))
    if "--profile" in sys.argv:
        from bench.booking_profile import profile_booking, profile_search

        profile_search(communes[0], queries)
        profile_booking(today)


if __name__ == "__main__":
    main()

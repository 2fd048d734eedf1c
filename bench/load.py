"""Load test of the public journey on gunicorn + PostgreSQL: `make bench-load`, or
`scripts/with-postgres .venv/bin/python bench/load.py [--visitors 200 --seconds 60]`.

Loopback only, bounded by time and by a request count, stops by itself. It migrates the
throwaway database of `scripts/with-postgres`, loads the demo (`flask cep upgrade`,
`seed-demo`, `materialise-slots`, as `make run` does) and starts its own gunicorn serving
`wsgi:app` on a free port of 127.0.0.1, with CSRF on and `PORTAL_ENV=production`.

1. Idle: one visitor alone, the whole journey below, p50/p95 of each step: the front door
   (`GET /`, the questionnaire `POST /`, then `GET /resultat`) next to a static file (the
   bare endpoint: the app's floor), and the steps after it.
2. Load: `--visitors` threads for `--seconds`, each a browser (a keep-alive connection, a
   cookie jar) looping through a person's journey (`bench/load_visit.py`): the front door for
   a commune drawn by population among all the lots, the stylesheet, the slot search the
   answer links to, the form of one offered slot, the booking (CSRF token and cookie read from
   the form, a fresh form key, a person's details), and the confirmation page it redirects to.
   Throughput, p50/p95/p99 per step, 5xx and other errors; CPU of gunicorn, PostgreSQL and
   these clients, connections seen in `pg_stat_activity`.
3. The database: no slot with two live appointments, one appointment per booking answered.

Targets (issue 10): no 5xx, no double booking, front door p95 under load < 10× idle.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/load.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("SECRET_KEY", "bench-load-secret")

from bench.load_report import DbWatch, WorkerCpu, report, verdict  # noqa: E402
from bench.load_visit import Browser, Budget, StepFailed, Stop, Tally, front_door, journey  # noqa: E402
from bench.locate import free_port  # noqa: E402
from bench.machine import CpuMeter, machine_load  # noqa: E402

BIN = Path(sys.executable).parent
STATIC = "/static/css/portal.css"  # what every first page loads: the bare endpoint
FRONT_DOOR = ("GET /", "POST / (questionnaire)", "GET /resultat")


def prepare() -> None:
    """Migrate and load the demo as `make run` does, each command in its own process."""
    for command in ("upgrade", "seed-demo", "materialise-slots"):
        began = time.perf_counter()
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "cep", command], cwd=ROOT, check=True)
        print(f"flask cep {command}: {time.perf_counter() - began:.1f} s", flush=True)


def communes(count: int, seed: int) -> list[str]:
    """What visitors type: communes of every lot, drawn by population, as the autocomplete
    writes them (« Saint-Malo (35400) »)."""
    from portal.geo.gazetteer import get_gazetteer
    from portal.network.territory import LOT_BY_REGION

    pool = [
        c
        for region in LOT_BY_REGION
        for c in get_gazetteer().communes_in_region(region)
        if c.kind == "commune" and c.postal_codes
    ]
    drawn = random.Random(seed).choices(pool, [max(c.population, 1) for c in pool], k=count)
    return [c.label for c in drawn]


class Server:
    """gunicorn serving wsgi:app (gthread) on a free loopback port."""

    def __init__(self, workers: int, threads: int) -> None:
        self.workers, self.threads, self.port = workers, threads, free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def describe(self) -> str:
        return f"gunicorn wsgi:app, {self.workers} workers × {self.threads} threads (gthread)"

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "PORTAL_ENV": "production",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}",
        }
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                *("--workers", str(self.workers), "--worker-class", "gthread"),
                *("--threads", str(self.threads), "--bind", f"127.0.0.1:{self.port}"),
                *("--log-level", "warning", "wsgi:app"),
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(300):
            try:
                Browser(self.port, Tally()).send("warm", "GET", STATIC)
                break
            except StepFailed:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer within 30 s")
        # Each worker loads templates and the gazetteer on its first requests: warm them all.
        run_threads(self.workers * self.threads, lambda _: _warm(self.port))
        return self

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


def _warm(port: int) -> None:
    browser, rng = Browser(port, Tally()), random.Random()
    for label in ("Rennes (35000)", "Lyon (69001)", "Lille (59000)"):
        front_door(browser, rng, label)
        browser.connection.close()


def run_threads(count: int, work: object) -> None:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]  # type: ignore[arg-type]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def idle(port: int, labels: list[str], rounds: int) -> Tally:
    """One visitor alone, `rounds` whole journeys after a warm-up: each step's own cost."""
    rng = random.Random(1)
    for count in (20, rounds):  # the first tally (the warm-up) is thrown away
        tally = Tally()
        browser = Browser(port, tally)
        for i in range(count):
            journey(browser, rng, labels[i % len(labels)], STATIC)
    return tally


def load(server: Server, labels: list[str], args: argparse.Namespace) -> tuple[Tally, str, str]:
    """`args.visitors` people at once for `args.seconds` (or `args.max_requests` requests)."""
    tallies = [Tally() for _ in range(args.visitors)]
    budget = Budget(deadline=0.0, max_requests=args.max_requests, think=args.think)
    meter, workers, watch = CpuMeter(server), WorkerCpu(server), DbWatch(URL)
    cpu: list[dict[str, float]] = []

    def start() -> None:  # run by the last visitor to reach the barrier: all start together
        budget.deadline = time.perf_counter() + args.seconds
        cpu.append(meter.read())
        workers.start()
        watch.start()

    barrier = threading.Barrier(args.visitors, action=start)

    def visitor(index: int) -> None:
        rng = random.Random(args.seed * 1000 + index)
        browser = Browser(server.port, tallies[index], budget)
        barrier.wait()
        while True:
            try:
                journey(browser, rng, rng.choice(labels), STATIC)
            except StepFailed:
                continue
            except Stop:
                break
            except Exception as error:  # a harness bug must not pass for a quiet server
                tallies[index].errors[f"visitor crashed: {error!r}"] += 1
                break

    run_threads(args.visitors, visitor)
    cpu.append(meter.read())
    watch.stop()
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, CpuMeter.describe(*cpu), f"{workers.describe()}\n  {watch.describe()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--idle-rounds", type=int, default=200)
    # 2 cores: 4 processes so that one runs Python while another waits on PostgreSQL, each
    # with 8 threads (within SQLAlchemy's pool of 5 + 10 overflow: no thread waits for a
    # connection); 32 requests in flight, the other visitors queue in the workers' pollers.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    # 0: each visitor sends its next request as soon as the last answer is in (a stress test:
    # 200 requests always outstanding). Above 0, a pause of that mean before each click or form.
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--communes", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print(f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print(f"machine before: {machine_load()}", flush=True)
    prepare()
    labels = communes(args.communes, args.seed)
    print(f"{args.communes} communes drawn by population ({len(set(labels))} distinct)")
    with Server(args.workers, args.threads) as server:
        print(f"\n1. Idle: one visitor, {args.idle_rounds} journeys, {server.describe()}")
        quiet = idle(server.port, labels, args.idle_rounds)
        print(report(quiet, seconds=None))
        print(f"  machine: {machine_load()}")
        print(
            f"\n2. Load: {args.visitors} visitors for {args.seconds:.0f} s (at most "
            f"{args.max_requests:,} requests), keep-alive, one cookie jar each, "
            f"think time {args.think:g} s mean before each click or form",
            flush=True,
        )
        busy, cpu, watched = load(server, labels, args)
        window = busy.last - busy.first
        print(report(busy, seconds=window, idle=quiet))
        everything = [t for values in busy.times.values() for t in values]
        in_flight = sum(everything) / 1000 / window
        print(
            f"  mean latency {sum(everything) / len(everything):.0f} ms; requests in flight on "
            f"average (Little's law: rate × latency) {in_flight:.1f} of {args.visitors} visitors"
        )
        print(f"  {cpu}\n  {watched}")
    print("\n3. The database after the run")
    from bench.booking_load import check_database

    slots, keys = zip(*busy.booked, strict=True) if busy.booked else ((), ())
    checks = check_database(list(slots), list(keys))
    print("\n".join(f"  {line}" for line in checks))
    print("\nTargets:")
    print("\n".join(verdict(quiet, busy, checks, FRONT_DOOR)))


if __name__ == "__main__":
    main()

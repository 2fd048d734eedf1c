"""Benchmark of the steering views (issue 15 §3), on PostgreSQL only:
`scripts/with-postgres .venv/bin/python bench/steering_view.py [--scale 1] [--rounds 100]`.

Dataset: the national five-year dataset of the workspace benchmark (`bench/workspace_data.py`,
800,000 × `--scale` dossiers), built by a child process (`bench/workspace.py --build-only`).
Then the monthly job (`flask cep indicators --month`, the nightly cost) runs for the 13 months
the pages show, each timed — the pages read those snapshots. A France compétences member and a
manager of the lot with most dossiers are made, and a gunicorn (2 workers, `BENCH_TIMING=1`:
each response carries its server time and SQL statement count) serves the portal. Over HTTP,
signed in through the real form, request after request:

- the national view `/pro/pilotage` (the last complete month, a lot's trend beside the
  nation's) — targets p95 ≤ 300 ms and ≤ 20 SQL statements;
- the lot's view `/pro/pilotage/lot` for the manager — target p95 ≤ 100 ms;
- the lot's detail by site of its widest table (« Parcours », 6.1–6.8, every site),
  `/pro/pilotage/lot/sites?table=famille-3` — no target of its own; measured beside the lot's;
- the bare endpoint `/_bench/bare`, for the ratio.

`--explain` also runs the national page's `reported_figures` calls once in-process and prints
their statements, slowest first, with PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of the slowest
(is the index `ix_indicator_snapshot_period` used?).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/steering_view.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("SECRET_KEY", "bench-secret")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "banc d'essai des vues de pilotage"


def people() -> tuple[str, str, int]:
    """A France compétences member and a manager of the busiest lot (by dossiers)."""
    from sqlalchemy import func, select

    from bench.app import app
    from portal.advisor.models import Dossier
    from portal.auth.services import hash_password
    from portal.extensions import db
    from portal.network.models import StaffMember, StaffRole

    with app.app_context():
        operator_id = db.session.execute(
            select(Dossier.operator_id, func.count())
            .group_by(Dossier.operator_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()[0]
        made = []
        for role, operator in (
            (StaffRole.FRANCE_COMPETENCES, None),
            (StaffRole.MANAGER, operator_id),
        ):
            member = StaffMember(
                operator_id=operator,
                email=f"bench-{role.value}-{time.time_ns()}@bench.cep-demo.example",
                full_name=f"Banc {role.value}",
                role=role,
                password_hash=hash_password(PASSWORD),
            )
            db.session.add(member)
            made.append(member.email)
        db.session.commit()
    return made[0], made[1], operator_id


def signed_in(base: str, email: str) -> urllib.request.OpenerDirector:
    """An HTTP client with its own cookies, signed in through the real form (CSRF on)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(base + "/pro/connexion").read().decode()
    token = CSRF.search(page)
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    ).encode()
    opener.open(base + "/pro/connexion", data=data).read()
    return opener


def timed(opener: urllib.request.OpenerDirector, url: str) -> tuple[float, float, int, float]:
    """(client ms, server ms, SQL statements, SQL ms) of one GET."""
    from bench.app import server_timing

    began = time.perf_counter()
    with opener.open(url) as response:
        response.read()
        status, header = response.status, response.headers.get("Server-Timing", "")
    elapsed = (time.perf_counter() - began) * 1000
    assert status == 200, (url, status)
    server, sql_ms, statements = server_timing(header) if header else (0.0, 0.0, 0)
    return elapsed, server, statements, sql_ms


def pct(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def months_shown() -> list[str]:
    """The 13 months the pages show by default: the last complete month and the 12 before."""
    from portal.clock import today_in_france
    from portal.reporting.steering_forms import default_month
    from portal.reporting.steering_views import TREND_MONTHS

    months = [default_month(today_in_france())]
    while len(months) < TREND_MONTHS:
        months.append(months[-1].previous())
    return [m.key for m in reversed(months)]


def monthly_job(months: list[str]) -> list[tuple[str, float, str]]:
    """`flask cep indicators --month M` for each month, as cron runs it: (month, seconds,
    what it printed)."""
    from bench.app import app

    runner = app.test_cli_runner()
    timings = []
    for month in months:
        began = time.perf_counter()
        result = runner.invoke(args=["cep", "indicators", "--month", month])
        seconds = time.perf_counter() - began
        assert result.exit_code == 0, result.output
        output = " | ".join(result.output.split("\n")).strip(" |")
        print(f"  job --month {month}: {seconds:6.1f} s  ({output})", flush=True)
        timings.append((month, seconds, output))
    return timings


def explain() -> None:
    """The national page's statements, slowest first, and the plan of the slowest."""
    from sqlalchemy import event

    from bench.app import app
    from portal.clock import today_in_france
    from portal.extensions import db
    from portal.reporting.indicators import Period, reported_figures
    from portal.reporting.steering_forms import default_semester
    from portal.reporting.steering_trends import TREND

    months = [Period.parse(m) for m in months_shown()]
    semester = default_semester(today_in_france())
    seen: list[tuple[float, str, object]] = []
    started: dict[int, float] = {}

    def before(conn: object, cursor: object, statement: str, params: object, *_: object) -> None:
        started[id(cursor)] = time.perf_counter()

    def after(conn: object, cursor: object, statement: str, params: object, *_: object) -> None:
        seen.append(((time.perf_counter() - started.pop(id(cursor))) * 1000, statement, params))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        chosen = reported_figures(db.session, [months[-1], semester])
        numbers = sorted({number for number, _category in TREND})
        trend = reported_figures(db.session, months[:-1], numbers=numbers)
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
        print(
            f"\nreported_figures (the month + the semester, then the trend over 12 months, every"
            f" lot): {len(seen)} statements, {len(chosen.figures)} + {len(trend.figures)}"
            f" figures, computed now: {[p.key for p in chosen.live + trend.live]}"
        )
        for ms, statement, _params in sorted(seen, key=lambda s: s[0], reverse=True):
            print(f"  {ms:8.1f} ms  {' '.join(statement.split())[:150]}")
        ms, statement, params = max(seen, key=lambda s: s[0])
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            print("\nEXPLAIN of the slowest:\n" + "\n".join(row[0] for row in cursor.fetchall()))
        db.session.rollback()


def profile(fc_email: str, manager_email: str) -> None:
    """Where the pages' time goes in-process: the 25 costliest functions of each (cProfile)."""
    import cProfile
    import pstats

    from bench.app import app

    for email, path in (
        (fc_email, "/pro/pilotage"),
        (manager_email, "/pro/pilotage/lot"),
        (manager_email, "/pro/pilotage/lot/sites?table=famille-3"),
    ):
        client = app.test_client()
        page = client.get("/pro/connexion").get_data(as_text=True)
        token = CSRF.search(page)
        assert token
        client.post(
            "/pro/connexion",
            data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
        )
        client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            client.get(path)
        profiler.disable()
        print(f"\nprofile of 3 × {path}:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 800,000 dossiers")
    parser.add_argument("--rounds", type=int, default=100, help="requests per page")
    parser.add_argument("--skip-build", action="store_true", help="reuse the database as is")
    parser.add_argument("--explain", action="store_true", help="print the slowest statements")
    parser.add_argument("--profile", action="store_true", help="profile both pages in-process")
    args = parser.parse_args()
    from bench.fresh import build_in_child
    from bench.machine import machine_load

    print(f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; scale {args.scale}", flush=True)
    print(f"machine before: {machine_load()}", flush=True)
    if not args.skip_build:
        build_in_child(str(ROOT / "bench" / "workspace.py"), "--scale", str(args.scale))
    months = months_shown()
    print(f"monthly job, the 13 months shown ({months[0]} to {months[-1]}):", flush=True)
    timings = monthly_job(months)
    total = sum(seconds for _month, seconds, _output in timings)
    print(
        f"monthly job: {total:.1f} s for {len(timings)} months,"
        f" {total / len(timings):.1f} s per month on average"
        f" (max {max(seconds for _m, seconds, _o in timings):.1f} s)",
        flush=True,
    )
    print(f"machine after the job: {machine_load()}", flush=True)
    fc_email, manager_email, operator_id = people()
    if args.explain:
        explain()
    if args.profile:
        profile(fc_email, manager_email)
    from bench.locate import serve

    server, base = serve(ROOT, {"BENCH_TIMING": "1"})
    try:
        national, lot = signed_in(base, fc_email), signed_in(base, manager_email)
        bare = urllib.request.build_opener()
        pages = {
            "national view /pro/pilotage": (national, f"{base}/pro/pilotage?lot={operator_id}"),
            "lot view /pro/pilotage/lot": (lot, f"{base}/pro/pilotage/lot"),
            # The lot's widest table by site (Parcours, 6.1–6.8), from the lot page's link.
            "sites /pro/pilotage/lot/sites": (
                lot,
                f"{base}/pro/pilotage/lot/sites?table=famille-3",
            ),
            "bare endpoint": (bare, f"{base}/_bench/bare"),
        }
        for opener, url in pages.values():  # warm-up: both workers, every page
            for _ in range(4):
                timed(opener, url)
        results: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name in pages}
        for _ in range(args.rounds):
            for name, (opener, url) in pages.items():
                results[name].append(timed(opener, url))
    finally:
        server.terminate()
        server.wait(timeout=10)
    bare_p95 = pct([r[0] for r in results["bare endpoint"]], 95)
    print(f"\nover HTTP (gunicorn, 2 workers), {args.rounds} requests each, interleaved:")
    for name, rows in results.items():
        client = [r[0] for r in rows]
        server_ms = [r[1] for r in rows]
        sql_ms = [r[3] for r in rows]
        print(
            f"  {name:<34} p50 {pct(client, 50):7.1f} ms  p95 {pct(client, 95):7.1f} ms"
            f"  (server p95 {pct(server_ms, 95):7.1f} ms, SQL p50 {pct(sql_ms, 50):6.1f} ms)"
            f"  SQL statements max"
            f" {max(r[2] for r in rows)}  ratio p95 {pct(client, 95) / bare_p95:5.1f}x"
        )
    print(f"machine after: {machine_load()}", flush=True)


if __name__ == "__main__":
    main()

"""Benchmark of the advisor's agenda week (issue 14 §3), on PostgreSQL only:
`scripts/with-postgres .venv/bin/python bench/agenda_week.py [--scale 1] [--rounds 200]`.

Dataset: the national one of the workspace benchmark (`bench/workspace_data.py`: the demo
network and five years of national activity, 800,000 × `--scale` dossiers), built by a child
process so that the measuring one starts fresh. Its advisor holds 25 appointments this week
(first appointments and follow-ups on their own slots, `bench/workspace_agenda.py`); 15
sessions of their open units are added this week (`unit_id` set, a third of them by video),
so the week shows 40 appointments, free bands and the unit of each session.

Measured in-process (Flask test client, signed in through the real form), with the bare
endpoint of `bench/app.py` in the same run: `GET /pro/agenda?week=<this Monday>`, p50/p95 of
the server time (`Server-Timing`), SQL statements per page, ratio to bare. Targets: p95 ≤
100 ms and ≤ 10 statements (PASS / FAIL lines).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/agenda_week.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ["BENCH_TIMING"] = "1"  # Server-Timing on every response (bench/app.py)
os.environ.setdefault("SECRET_KEY", "bench-secret")

from bench.booking_http import report  # noqa: E402
from bench.fresh import build_in_child  # noqa: E402
from bench.locate import pct  # noqa: E402
from bench.machine import machine_load  # noqa: E402
from bench.workspace_pages import in_process, signed_in_client  # noqa: E402

P95_TARGET_MS, STATEMENTS_TARGET = 100.0, 10
SESSIONS = 15  # added to the 25 appointments of the workspace dataset: 40 in the week
SESSION_HOURS = (8, 12, 13, 17)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 800,000 dossiers")
    parser.add_argument("--rounds", type=int, default=200, help="requests of the page")
    parser.add_argument("--build-only", metavar="FACTS", help=argparse.SUPPRESS)
    return parser.parse_args()


def add_sessions(session: object, advisor_id: int, today: date) -> int:
    """SESSIONS sessions of the advisor's open units this week, on slots of their own."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from portal.clock import PARIS

    assert isinstance(session, Session)
    units = session.execute(
        text(
            "SELECT u.id, d.beneficiary_id, u.operator_id FROM unit u"
            " JOIN dossier d ON d.id = u.dossier_id"
            " WHERE u.advisor_id = :a AND u.status = 'open' ORDER BY u.id LIMIT :n"
        ),
        {"a": advisor_id, "n": SESSIONS},
    ).all()
    monday = today - timedelta(days=today.weekday())
    made = 0
    for index, (unit_id, person_id, operator_id) in enumerate(units):
        day = monday + timedelta(days=index % 5)
        hour = SESSION_HOURS[(index // 5) % len(SESSION_HOURS)]
        starts = datetime.combine(day, datetime.min.time(), PARIS).replace(hour=hour)
        visio = index % 3 == 0
        slot_id = session.scalar(
            text(
                "INSERT INTO slot (advisor_id, operator_id, starts_at, ends_at,"
                " offers_presentiel, offers_telephone, offers_visio, created_by_id)"
                " VALUES (:a, :o, :s, :e, false, true, :v, :a) RETURNING id"
            ),
            {"a": advisor_id, "o": operator_id, "s": starts.astimezone(UTC),
             "e": (starts + timedelta(hours=1)).astimezone(UTC), "v": visio},
        )  # fmt: skip
        session.execute(
            text(
                "INSERT INTO appointment (slot_id, unit_id, beneficiary_id, operator_id,"
                " advisor_id, starts_at, ends_at, modality, status, sequence, created_at,"
                " booked_by_id, video_url) VALUES (:slot, :unit, :p, :o, :a, :s, :e, :m,"
                " 'booked', 0, :s, :a, :v)"
            ),
            {"slot": slot_id, "unit": unit_id, "p": person_id, "o": operator_id,
             "a": advisor_id, "s": starts.astimezone(UTC),
             "e": (starts + timedelta(hours=1)).astimezone(UTC),
             "m": "visio" if visio else "telephone",
             "v": f"https://visio.example.fr/cep-{unit_id}" if visio else None},
        )  # fmt: skip
        made += 1
    return made


def prepare(scale: float, facts: str) -> None:
    from sqlalchemy import text

    from bench import workspace_data
    from bench.app import app
    from bench.fresh import fresh_demo
    from portal.clock import today_in_france
    from portal.extensions import db

    def log(line: str) -> None:
        print(line, flush=True)

    fresh_demo(URL, log)
    began = time.perf_counter()
    today = today_in_france()
    with app.app_context():
        dataset = workspace_data.build(db.session, today, datetime.now(UTC), scale, log)
        log(dataset.describe())
        added = add_sessions(db.session, dataset.advisor_id, today)
        db.session.commit()
        monday = today - timedelta(days=today.weekday())
        week = db.session.scalar(
            text(
                "SELECT count(*) FROM appointment WHERE advisor_id = :a AND starts_at >= :m"
                " AND starts_at < :m + interval '7 days'"
                " AND status IN ('booked', 'held', 'missed')"
            ),
            {"a": dataset.advisor_id, "m": datetime.combine(monday, datetime.min.time())},
        )
        log(f"{added} sessions added: {week} live appointments in the advisor's week")
        Path(facts).write_text(
            json.dumps({"advisor": dataset.advisor_email, "monday": monday.isoformat()})
        )
    log(f"dataset built in {time.perf_counter() - began:.0f} s")


def main() -> None:
    args = options()
    if args.build_only:
        prepare(args.scale, args.build_only)
        return
    print(
        f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]};"
        f" scale {args.scale}",
        flush=True,
    )
    print(f"machine before: {machine_load()}", flush=True)
    facts = build_in_child(__file__, "--scale", str(args.scale))
    print(f"machine after the build: {machine_load()}", flush=True)
    client = signed_in_client(facts["advisor"])
    path = f"/pro/agenda?week={facts['monday']}"
    page = client.get(path).get_data(as_text=True)
    shown = page.count('class="card appointment')
    print(f"\nThe agenda week {path}: {shown} appointments shown, {args.rounds} requests")
    failed: dict[str, str] = {}
    gc_lines: list[str] = []
    samples = in_process(client, {"agenda week": [path]}, args.rounds, failed, gc_lines)
    print(report("in-process (Flask test client, signed in)", samples))
    print("\n".join(gc_lines))
    print("Targets (issue 14), in-process:")
    for line in verdict(samples, failed):
        print(line)
    print(f"\nmachine at the end: {machine_load()}")
    if failed:
        sys.exit(f"the page did not answer 200: {failed}")


def verdict(samples: dict[str, object], failed: dict[str, str]) -> list[str]:
    lines = [f"  FAIL {name}: {error}" for name, error in failed.items()]
    sample = samples.get("agenda week")
    if sample is None:
        return lines
    p95 = pct(sample.server, 95)  # type: ignore[attr-defined]
    worst = max(sample.queries)  # type: ignore[attr-defined]
    lines.append(
        f"  {'PASS' if p95 <= P95_TARGET_MS else 'FAIL'} agenda week: server p95 {p95:.1f} ms"
        f" ≤ {P95_TARGET_MS:.0f} ms"
    )
    lines.append(
        f"  {'PASS' if worst <= STATEMENTS_TARGET else 'FAIL'} agenda week: {worst} SQL"
        f" statements at most ≤ {STATEMENTS_TARGET}"
    )
    return lines


if __name__ == "__main__":
    main()

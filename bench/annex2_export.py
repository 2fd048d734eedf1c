"""Benchmark of the daily Annex 2 export (issue 15 §4), on PostgreSQL only:
`scripts/with-postgres .venv/bin/python bench/annex2_export.py [--scale 1]`.

Dataset: the national five-year dataset of the workspace benchmark (`bench/workspace_data.py`,
800,000 × `--scale` dossiers), built by a child process (`bench/workspace.py --build-only`).
Then, each in a fresh child process so that its peak RSS (`resource.getrusage`, ru_maxrss) is
the export's own:

- the busiest day of the last year (most units engaged), exported as `flask cep export-annex2
  --output DIR` does it (`export_day`: one file per operator, livrables, manifest);
- the whole last year (365 days up to yesterday) through the same rows (`stream_rows` over the
  period, CSV written to a file), every dossier that changed in the year (~155,000 at scale 1).

For each: rows, seconds, rows/s, RSS after start-up (the app loaded) and the peak RSS. Constant
memory shows as peak(year) ≈ peak(day). `--runs` repeats each measure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
URL = os.environ.get("TEST_DATABASE_URL", "")
if not URL.startswith("postgresql"):
    sys.exit("bench/annex2_export.py measures PostgreSQL: run it under scripts/with-postgres")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("SECRET_KEY", "bench-secret")


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(kind: str, first: str, last: str, out: str) -> None:
    """In the child: one export, then one JSON line with the figures."""
    from bench.app import app
    from portal.extensions import db
    from portal.reporting.annex2 import Period, stream_rows
    from portal.reporting.annex2_files import encode, export_day, targets

    with app.app_context():
        chosen = targets(db.session, None)
        db.session.rollback()
        started_rss = current_rss_mb()
        began = time.perf_counter()
        if kind == "day":
            paths = export_day(db.session, date.fromisoformat(first), chosen, "csv", Path(out))
            rows = sum(max(p.read_bytes().count(b"\r\n") - 1, 0) for p in paths)
            size = sum(p.stat().st_size for p in paths)
        else:
            period = Period(date.fromisoformat(first), date.fromisoformat(last))
            counter = [0]

            def counted(found: Iterator[dict[str, str]]) -> Iterator[dict[str, str]]:
                for row in found:
                    counter[0] += 1
                    yield row

            target = Path(out) / "year.csv"
            with target.open("wb") as sink:
                streamed = stream_rows(db.session, period, [t.id for t in chosen])
                for chunk in encode(counted(streamed), "csv"):
                    sink.write(chunk)
            rows = counter[0]
            size = target.stat().st_size
        seconds = time.perf_counter() - began
        db.session.rollback()
    print(
        json.dumps(
            {
                "kind": kind,
                "first": first,
                "last": last,
                "rows": rows,
                "bytes": size,
                "seconds": round(seconds, 2),
                "rows_per_s": round(rows / seconds) if seconds else 0,
                "rss_start_mb": round(started_rss, 1),
                "peak_rss_mb": round(rss_mb(), 1),
            }
        ),
        flush=True,
    )


def busiest_day(today: date) -> tuple[date, int, int]:
    from sqlalchemy import text

    from bench.app import app
    from portal.extensions import db

    with app.app_context():
        day, units = db.session.execute(
            text(
                "SELECT engaged_on, count(*) FROM unit WHERE engaged_on >= :a AND engaged_on < :t"
                " GROUP BY engaged_on ORDER BY count(*) DESC, engaged_on LIMIT 1"
            ),
            {"a": today - timedelta(days=365), "t": today},
        ).one()
        dossiers = db.session.scalar(text("SELECT count(*) FROM dossier"))
    return day, units, int(dossiers or 0)


def child(kind: str, first: date, last: date) -> dict[str, object]:
    folder = tempfile.mkdtemp(prefix="annex2-bench-")
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, first.isoformat(), last.isoformat(), folder],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 800,000 dossiers")
    parser.add_argument("--runs", type=int, default=2, help="measures of each export")
    parser.add_argument("--skip-build", action="store_true", help="reuse the database as is")
    parser.add_argument("--measure", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    from bench.fresh import build_in_child
    from bench.machine import machine_load
    from portal.clock import today_in_france

    print(f"database: {URL.split('@')[-1]}; {os.cpu_count()} CPUs; scale {args.scale}", flush=True)
    print(f"machine before: {machine_load()}", flush=True)
    if not args.skip_build:
        build_in_child(str(ROOT / "bench" / "workspace.py"), "--scale", str(args.scale))
    today = today_in_france()
    day, units, dossiers = busiest_day(today)
    print(f"{dossiers} dossiers; busiest day of the last year: {day} ({units} units engaged)")
    year = (today - timedelta(days=365), today - timedelta(days=1))
    for _ in range(args.runs):
        for kind, first, last in (("day", day, day), ("year", *year)):
            print(json.dumps(child(kind, first, last)), flush=True)
    print(f"machine after: {machine_load()}", flush=True)


if __name__ == "__main__":
    main()

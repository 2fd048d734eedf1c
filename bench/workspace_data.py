"""The dataset of the advisor-workspace benchmark: five years of national activity.

On top of the demo network (18 operators), set-based SQL (`INSERT … SELECT` over
`generate_series`, never ORM loops) writes `800,000 × scale` dossiers spread over the
operators in proportion to their network (domain rules "Volumes": ~155,000 entries a year
nationally, very uneven lots), each with its beneficiary and its units:

- UO1 first (90 %), or UO2.1 directly (10 %); after a signed UO1, a UO2.1 for about half
  (~45 % of dossiers hold a UO2.1), after a signed UO2.1, a UO2.2 for ~9 % (~3 % of dossiers);
- each unit engaged within days of the previous closure, deadline at 2 / 6 / 18 months
  (the UO2.2's from its UO2.1's engagement, SQL `+ interval 'n months'`, as `add_months`);
  signed (or, for UO2.2, closed on request) on a day within its delay for ~80 %, otherwise
  closed as « abandon » at its deadline; whatever has not reached that day yet is still open;
- Annex 2 numbers from a per operator and month `row_number()` added to the existing
  `dossier_counter` (which is then raised), purchase orders per operator, year and UO created
  for the units with their `AAAA-Lotww-UOxx-yy-zzzzz` references; 2 to 6 interactions per unit;
  a survey per closed unit (a third answered); the livrable drafts of UO1 and UO2.1 (signed,
  printed and waiting, or in progress; no versions, PDFs nor scans nationally).
  The bulk dossiers carry no request nor first appointment (those columns stay empty).

Then `bench/workspace_book.py` gives one advisor their book (exactly 300 open units, their
livrables with versions and signatures) and `bench/workspace_agenda.py` their week's
appointments and the waiting requests. Seeded (`setseed`): the same scale on the same day
gives the same data. Staging tables (`bench_*`, unlogged) are dropped at the end. The SQL
that writes the rows is in `bench/workspace_rows.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.workspace_rows import run
from portal.clock import PARIS
from portal.demo import SITES_PER_LOT
from portal.network.models import StaffMember

NATIONAL_DOSSIERS = 800_000
DAYS = 5 * 365 + 1  # five years of openings, up to today
SEED = 0.2026

Log = Callable[[str], None]


def codes(session: Session) -> dict[str, list[str]]:
    rows = session.execute(
        text("SELECT list_name, code FROM reference_item WHERE active ORDER BY list_name, position")
    ).all()
    found: dict[str, list[str]] = {}
    for list_name, code in rows:
        found.setdefault(list_name, []).append(code)
    return found


def stage(session: Session) -> None:
    """The staging tables: one row per planned dossier and per planned unit."""
    session.execute(text("SELECT setseed(:seed)"), {"seed": SEED})
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    session.execute(text("DROP TABLE IF EXISTS bench_dossier, bench_unit, bench_po"))
    # A value of a reference list drawn with `r` in [0, 1).
    session.execute(
        text(
            "CREATE FUNCTION pg_temp.pick(a text[], r float8) RETURNS text LANGUAGE sql IMMUTABLE"
            " AS 'SELECT a[1 + floor(r * cardinality(a))::int]'"
        )
    )
    session.execute(
        text(
            "CREATE UNLOGGED TABLE bench_dossier (g bigint PRIMARY KEY, operator_id int NOT NULL,"
            " advisor_id int NOT NULL, site_id int, opened_on date NOT NULL)"
        )
    )
    session.execute(
        text(
            "CREATE UNLOGGED TABLE bench_unit (g bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " dossier_g bigint NOT NULL, seq smallint NOT NULL, kind varchar(2) NOT NULL,"
            " operator_id int NOT NULL, advisor_id int NOT NULL, engaged_on date NOT NULL,"
            " deadline date NOT NULL, uo21_on date, closure_kind varchar(10), closed_on date,"
            " interactions smallint NOT NULL)"
        )
    )


def plan_dossiers(session: Session, today: date, count: int) -> int:
    """`count` dossiers over the operators, weighted by their network; a random advisor of
    the operator (at their first site); opened over five years, growing: ~150,000 entries in
    the fourth year back, ~185,000 in the last (domain rules: 155,709 in 2022)."""
    weights = [SITES_PER_LOT[lot] for lot in sorted(SITES_PER_LOT)]
    total = sum(weights)
    return run(
        session,
        """
        WITH share AS (
            SELECT o.id AS operator_id, round(:count * w.sites / :total)::int AS n
            FROM unnest(CAST(:lots AS int[]), CAST(:weights AS int[])) AS w(lot, sites)
            JOIN operator o ON o.lot_number = w.lot
        ), pool AS (
            SELECT s.operator_id, array_agg(s.id ORDER BY s.id) AS ids,
                   array_agg((SELECT min(a.site_id) FROM advisor_site a WHERE a.staff_id = s.id)
                             ORDER BY s.id) AS sites
            FROM staff_member s
            WHERE s.role = 'advisor' AND s.active AND s.operator_id IS NOT NULL
            GROUP BY s.operator_id
        ), drawn AS (
            SELECT share.operator_id, i, pool.ids, pool.sites,
                   1 + floor(random() * cardinality(pool.ids))::int AS k,
                   floor(:days * power(random(), 1.1))::int AS days_ago
            FROM share JOIN pool USING (operator_id) CROSS JOIN generate_series(1, share.n) i
        )
        INSERT INTO bench_dossier (g, operator_id, advisor_id, site_id, opened_on)
        SELECT row_number() OVER (ORDER BY operator_id, i), operator_id, ids[k], sites[k],
               CAST(:today AS date) - days_ago
        FROM drawn
        """,
        count=count,
        total=total,
        lots=sorted(SITES_PER_LOT),
        weights=weights,
        days=DAYS,
        today=today,
    )


# Closes the units read from `{source}` (dossier_g, seq, kind, operator_id, advisor_id, e, dl,
# uo21_on): the person's act (signature, or a UO2.2's written request) on a day within the
# delay for a share of them, otherwise the abandon at the deadline; not before that day.
_UNITS = """
INSERT INTO bench_unit (dossier_g, seq, kind, operator_id, advisor_id, engaged_on, deadline,
                        uo21_on, closure_kind, closed_on, interactions)
SELECT dossier_g, seq, kind, operator_id, advisor_id, e, dl, uo21_on,
       CASE WHEN acted AND c <= :today THEN act WHEN NOT acted AND dl < :today THEN 'abandon' END,
       CASE WHEN acted AND c <= :today THEN c WHEN NOT acted AND dl < :today THEN dl END,
       2 + floor(5 * power(ri, 8))::int
FROM (
    SELECT s.*, ro < CASE kind WHEN '01' THEN 0.82 WHEN '21' THEN 0.76 ELSE 0.6 END AS acted,
           CASE kind WHEN '22' THEN 'requested' ELSE 'signed' END AS act,
           e + floor(rc * (dl - e + 1))::int AS c
    FROM (SELECT src.*, random() AS ro, random() AS rc, random() AS ri FROM ({source}) src) s
) t
"""
_FIRST_UNITS = """
SELECT g AS dossier_g, 1 AS seq, k AS kind, operator_id, advisor_id, e,
       (e + CASE k WHEN '01' THEN interval '2 months' ELSE interval '6 months' END)::date AS dl,
       CASE WHEN k = '21' THEN e END AS uo21_on
FROM (SELECT d.*, CASE WHEN random() < 0.9 THEN '01' ELSE '21' END AS k,
             LEAST(CAST(:today AS date), d.opened_on + floor(random() * 15)::int) AS e
      FROM bench_dossier d) x
"""
# The next unit after a signed UO1 (a UO2.1) or a signed UO2.1 (a UO2.2), engaged within
# three weeks of that signature, when that day has come.
_NEXT_UNITS = """
SELECT dossier_g, seq + 1 AS seq, nk AS kind, operator_id, advisor_id, e2 AS e,
       (CASE nk WHEN '21' THEN e2 + interval '6 months'
                ELSE uo21_on + interval '18 months' END)::date AS dl,
       CASE nk WHEN '21' THEN e2 ELSE uo21_on END AS uo21_on
FROM (SELECT u.*, CASE u.kind WHEN '01' THEN '21' ELSE '22' END AS nk,
             u.closed_on + floor(random() * 21)::int AS e2, random() AS rn
      FROM bench_unit u
      WHERE u.seq = :previous AND u.closure_kind = 'signed' AND u.kind IN ('01', '21')) p
WHERE rn < CASE nk WHEN '21' THEN 0.49 ELSE 0.09 END AND e2 <= :today
"""


def plan_units(session: Session, today: date) -> int:
    planned = run(session, _UNITS.format(source=_FIRST_UNITS), today=today)
    for previous in (1, 2):
        source = _NEXT_UNITS.replace(":previous", str(previous))
        planned += run(session, _UNITS.format(source=source), today=today)
    return planned


def timed(log: Log, title: str, step: Callable[[], int]) -> int:
    began = time.perf_counter()
    rows = step()
    log(f"  {title}: {rows:,} rows in {time.perf_counter() - began:.1f} s")
    return rows


@dataclass
class Dataset:
    advisor_id: int
    advisor_email: str
    operator_id: int
    counts: dict[str, int]
    book: dict[str, int]

    def describe(self) -> str:
        lines = [
            "dataset: " + ", ".join(f"{n:,} {table}" for table, n in self.counts.items()),
            f"advisor {self.advisor_email} (id {self.advisor_id}, operator {self.operator_id}): "
            + ", ".join(f"{n:,} {what}" for what, n in self.book.items()),
        ]
        return "\n".join(lines)


def build(session: Session, today: date, now: datetime, scale: float, log: Log) -> Dataset:
    """The national dataset and the advisor's book, on the demo network; committed, then
    vacuumed and analysed."""
    from bench import workspace_agenda as agenda
    from bench import workspace_book as book
    from bench import workspace_rows as rows

    member, colleague = book.advisors(session)
    assert member.operator_id is not None
    ref = codes(session)
    stage(session)
    count = round(NATIONAL_DOSSIERS * scale)
    timed(log, "plan: national dossiers", lambda: plan_dossiers(session, today, count))
    timed(log, "plan: their units", lambda: plan_units(session, today))
    timed(
        log,
        "plan: the advisor's open dossiers moved to a colleague",
        lambda: book.clear_advisor(session, member.id, colleague.id),
    )
    first_g = book.plan_book(session, today, member)
    timed(log, "purchase orders", lambda: rows.orders(session))
    base = rows.bases(session)
    timed(log, "beneficiaries and dossiers", lambda: rows.people_and_dossiers(session, base))
    timed(log, "units", lambda: rows.units(session, base, ref))
    timed(log, "interactions", lambda: rows.interactions(session, base, ref, today))
    timed(log, "surveys", lambda: rows.surveys(session, base))
    timed(log, "livrables (drafts)", lambda: rows.livrables(session, base, first_g))
    rows.finish(session)
    first_dossier = base["dossier"] + first_g
    timed(log, "the book's livrables", lambda: book.livrables(session, member, first_dossier))
    timed(
        log,
        "this week's appointments",
        lambda: agenda.week(session, member, first_dossier, today, now),
    )
    timed(log, "waiting requests", lambda: agenda.waiting(session, member, today))
    book.password(session, member)
    session.commit()
    began = time.perf_counter()
    with session.get_bind().engine.connect() as conn:
        autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("SET maintenance_work_mem = '512MB'")
        autocommit.exec_driver_sql("VACUUM ANALYZE")
        autocommit.exec_driver_sql("CHECKPOINT")
    log(f"  VACUUM ANALYZE, CHECKPOINT: {time.perf_counter() - began:.1f} s")
    return describe(session, member, today)


def describe(session: Session, member: StaffMember, today: date) -> Dataset:
    def count(sql: str, **params: Any) -> int:
        return int(session.scalar(text(f"SELECT count(*) FROM {sql}"), params) or 0)

    tables = (
        "beneficiary", "dossier", "unit", "interaction", "survey", "purchase_order", "livrable",
        "appointment", "appointment_request",
    )  # fmt: skip
    counts = {table: count(table) for table in tables}
    counts["open units"] = count("unit WHERE status = 'open'")
    assert member.operator_id is not None
    mine = "unit WHERE advisor_id = :a AND status = 'open'"
    monday = datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time(), PARIS)
    book = {
        "open units": count(mine, a=member.id),
        "of them warned (80 % of the delay)": count(
            f"{mine} AND deadline >= :t AND (:t - engaged_on) >= 0.8 * (deadline - engaged_on)",
            a=member.id,
            t=today,
        ),
        "overdue": count(f"{mine} AND deadline < :t", a=member.id, t=today),
        "closed units": count("unit WHERE advisor_id = :a AND status = 'closed'", a=member.id),
        "dossiers": count("dossier WHERE advisor_id = :a", a=member.id),
        "appointments this week": count(
            "appointment WHERE advisor_id = :a AND starts_at >= :m"
            " AND starts_at < :m + interval '7 days'",
            a=member.id,
            m=monday,
        ),
        "waiting requests in the operator": count(
            "appointment_request WHERE operator_id = :o AND status = 'waiting'",
            o=member.operator_id,
        ),
    }
    return Dataset(member.id, member.email, member.operator_id, counts, book)

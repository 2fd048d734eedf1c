"""The monthly snapshots of the indicators (`flask cep indicators --month`, cron: README):
the figures as computed at the time, so that a month's figures can be shown as they were
sent, and their revisions when late data changed them (« révisé le … : 12 → 13 »).

Each figure (period, indicator, category, operator, site) has its own chain of revisions: a
run stores revision 1 of a figure never stored, nothing for a figure whose latest revision
holds the same terms, and revision n + 1 for one that changed; older revisions stay. Safe on
several hosts: on PostgreSQL a transaction-scoped advisory lock per period serialises runs
(the second one then finds the figures stored and stores nothing); the unique index on
(period, number, category, operator, site, revision) refuses a double revision everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from portal.reporting.indicators.figures import Figure
from portal.reporting.indicators.periods import Period
from portal.reporting.models import IndicatorSnapshot

# pg_advisory_xact_lock(namespace, key): the namespace of the indicator snapshots.
LOCK_NAMESPACE = 7315
NATION = 0  # operator_id of the nation, site_id of a whole lot, in the table
DECIMALS = 9  # terms equal to this many decimals are the same figure


class SnapshotError(ValueError):
    """A month the job cannot take; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


BAD_MONTH = "bad_month"
MONTH_NOT_OVER = "month_not_over"


@dataclass(frozen=True, slots=True)
class Revision:
    revision: int
    numerator: float | None
    denominator: float | None
    value: float | None
    computed_at: datetime


@dataclass(frozen=True, slots=True)
class SnapshotRow:
    """A figure's latest revision, with the earlier ones (oldest first)."""

    period: str
    number: str
    category: str | None
    operator_id: int | None  # None: the nation
    site_id: int | None  # None: the whole lot
    numerator: float | None
    denominator: float | None
    value: float | None
    revision: int
    computed_at: datetime
    revisions: tuple[Revision, ...]  # the earlier revisions; empty when never revised


@dataclass(frozen=True, slots=True)
class Stored:
    period: str
    new: int  # figures stored for the first time (revision 1)
    revised: int  # figures whose terms changed (revision n + 1)
    unchanged: int


def month_to_snapshot(text_: str, today: date) -> Period:
    """The month of `--month`: « YYYY-MM », a month already over in France."""
    try:
        period = Period.parse(text_)
    except ValueError:
        raise SnapshotError(BAD_MONTH) from None
    if period.kind != "month":
        raise SnapshotError(BAD_MONTH)
    if period.end > today:
        raise SnapshotError(MONTH_NOT_OVER)
    return period


def periods_of_month(month: Period) -> list[Period]:
    """The month, and its semester when the month ends one (June, December)."""
    semester = Period.semester_of(month.start)
    return [month, semester] if semester.end == month.end else [month]


def _key(row: IndicatorSnapshot | Figure) -> tuple[str, str, int, int]:
    category = row.category or ""
    return row.number, category, row.operator_id or NATION, row.site_id or NATION


def _terms(row: IndicatorSnapshot | Figure) -> tuple[float | None, ...]:
    return tuple(
        None if v is None else round(float(v), DECIMALS)
        for v in (row.numerator, row.denominator, row.value)
    )


def store_figures(
    session: Session, period: Period, figures: Sequence[Figure], *, now: datetime
) -> Stored:
    """Store the period's figures (see the module's docstring). Flushes, never commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, hashtext(:period))"),
            {"namespace": LOCK_NAMESPACE, "period": period.key},
        )
    latest: dict[tuple[str, str, int, int], IndicatorSnapshot] = {}
    for row in session.scalars(
        select(IndicatorSnapshot)
        .where(IndicatorSnapshot.period == period.key)
        .order_by(IndicatorSnapshot.revision)
    ):
        latest[_key(row)] = row
    new = revised = unchanged = 0
    for f in figures:
        if f.period != period:
            continue
        known = latest.get(_key(f))
        if known is not None and _terms(known) == _terms(f):
            unchanged += 1
            continue
        number, category, operator_id, site_id = _key(f)
        session.add(
            IndicatorSnapshot(
                period=period.key,
                number=number,
                category=category,
                operator_id=operator_id,
                site_id=site_id,
                numerator=f.numerator,
                denominator=f.denominator,
                value=f.value,
                revision=1 if known is None else known.revision + 1,
                computed_at=now,
            )
        )
        if known is None:
            new += 1
        else:
            revised += 1
    session.flush()
    return Stored(period.key, new, revised, unchanged)


def snapshots(
    session: Session, period: Period, operator_ids: Sequence[int] | None = None
) -> list[SnapshotRow]:
    """The stored figures of a period: the latest revision of each, with the earlier ones.
    Every operator's and the nation's when `operator_ids` is None; else those operators'.
    One statement."""
    query = select(IndicatorSnapshot).where(IndicatorSnapshot.period == period.key)
    if operator_ids is not None:
        query = query.where(IndicatorSnapshot.operator_id.in_(list(operator_ids)))
    chains: dict[tuple[str, str, int, int], list[IndicatorSnapshot]] = {}
    for row in session.scalars(query.order_by(IndicatorSnapshot.revision)):
        chains.setdefault(_key(row), []).append(row)
    result = []
    for (number, category, operator_id, site_id), chain in chains.items():
        last = chain[-1]
        result.append(
            SnapshotRow(
                period=period.key,
                number=number,
                category=category or None,
                operator_id=operator_id or None,
                site_id=site_id or None,
                numerator=last.numerator,
                denominator=last.denominator,
                value=last.value,
                revision=last.revision,
                computed_at=last.computed_at,
                revisions=tuple(
                    Revision(r.revision, r.numerator, r.denominator, r.value, r.computed_at)
                    for r in chain[:-1]
                ),
            )
        )
    return result


def latest_snapshot_period(session: Session) -> str | None:
    """The key of the latest month stored (« 2026-11 »), None when nothing is."""
    return session.scalar(
        select(func.max(IndicatorSnapshot.period)).where(IndicatorSnapshot.period.not_like("%S%"))
    )

"""The figures as they were reported: what the monthly job stored (`snapshots`), and only what
it has not stored yet computed now.

`reported_figures(session, periods, ...)` reads the latest revision of every figure of the
periods asked in ONE statement (`period IN (...)`, on the index `(period, operator_id)`),
with the earlier revisions of each in the same pass over the rows, and calls `compute()` for
the periods that have no snapshot at all (a month the job has not run for, the current one):
`Reported.live` names them, so that a page can say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.reporting.indicators.catalogue import BY_NUMBER
from portal.reporting.indicators.figures import Figure
from portal.reporting.indicators.periods import Period
from portal.reporting.indicators.snapshots import NATION, Revision
from portal.reporting.models import IndicatorSnapshot

# A figure's identity: (number, period key, operator (None: the nation), site (None: the
# whole lot), category) — the key the steering tables index figures by.
FigureKey = tuple[str, str, int | None, int | None, str | None]


def key_of(figure: Figure) -> FigureKey:
    return (figure.number, figure.period.key, figure.operator_id, figure.site_id, figure.category)


@dataclass(frozen=True, slots=True)
class StoredFigure:
    """How a reported figure was stored: its latest revision, when it was computed, and the
    earlier revisions (oldest first; empty when never revised)."""

    revision: int
    computed_at: datetime
    earlier: tuple[Revision, ...]


@dataclass(slots=True)
class Reported:
    figures: list[Figure]
    stored: dict[FigureKey, StoredFigure] = field(default_factory=dict)
    live: list[Period] = field(default_factory=list)  # computed now: no snapshot at all

    def about(self, figure: Figure) -> StoredFigure | None:
        """How the figure was stored; None when it was computed now."""
        return self.stored.get(key_of(figure))

    def __add__(self, other: Reported) -> Reported:
        live = self.live + [p for p in other.live if p not in self.live]
        return Reported(self.figures + other.figures, {**self.stored, **other.stored}, live)


def reported_figures(
    session: Session,
    periods: Sequence[Period],
    *,
    operator_ids: Sequence[int] | None = None,
    by_site: bool = False,
    numbers: Sequence[str] | None = None,
) -> Reported:
    """The figures of the periods, as `compute()` gives them (same arguments), read from the
    snapshots where the period has any, computed now for the others. One statement when
    every period is stored."""
    from portal.reporting.indicators import compute  # the package imports this module

    if numbers is not None and (unknown := set(numbers) - set(BY_NUMBER)):
        raise ValueError(f"unknown indicators: {', '.join(sorted(unknown))}")
    asked = {p.key: p for p in periods}
    if not asked:
        return Reported([])
    t = IndicatorSnapshot
    query = select(
        t.period,
        t.number,
        t.category,
        t.operator_id,
        t.site_id,
        t.numerator,
        t.denominator,
        t.value,
        t.revision,
        t.computed_at,
    ).where(t.period.in_(list(asked)))
    if operator_ids is not None:
        query = query.where(t.operator_id.in_(list(operator_ids)))
    if not by_site:
        query = query.where(t.site_id == NATION)
    if numbers is not None:
        query = query.where(t.number.in_(list(numbers)))
    query = query.order_by(t.period, t.number, t.category, t.operator_id, t.site_id, t.revision)
    figures: list[Figure] = []
    stored: dict[FigureKey, StoredFigure] = {}
    seen: set[str] = set()
    chain: tuple[Revision, ...] = ()
    previous: Any = None
    for row in session.execute(query):
        period_key, number, category, operator_id, site_id, num, den, value, revision, at = row
        if previous is not None and row[:5] == previous[:5]:
            # The same figure again: the rows come by revision, the last one is kept and the
            # ones before it become its earlier revisions.
            figures.pop()
            _k, _n, _c, _o, _s, p_num, p_den, p_value, p_revision, p_at = previous
            chain = (*chain, Revision(p_revision, p_num, p_den, p_value, p_at))
        else:
            chain = ()
        previous = row
        figure = Figure(
            number,
            asked[period_key],
            operator_id or None,
            site_id or None,
            num,
            den,
            value,
            category or None,
        )
        figures.append(figure)
        key = (number, period_key, figure.operator_id, figure.site_id, figure.category)
        stored[key] = StoredFigure(revision, at, chain)
        seen.add(period_key)
    live = [p for p in asked.values() if p.key not in seen]
    if live:
        figures += compute(
            session, live, operator_ids=operator_ids, by_site=by_site, numbers=numbers
        )
    return Reported(figures, stored, live)


def latest_reported_month(session: Session, until: Period) -> Period | None:
    """The latest month stored up to `until` (`latest_snapshot_period`, never a month after
    it: a snapshot from a clock set ahead); None when none is. One statement."""
    t = IndicatorSnapshot
    latest = session.scalar(
        select(func.max(t.period)).where(t.period.not_like("%S%"), t.period <= until.key)
    )
    return None if latest is None else Period.parse(latest)


__all__ = [
    "FigureKey",
    "Reported",
    "StoredFigure",
    "key_of",
    "latest_reported_month",
    "reported_figures",
]

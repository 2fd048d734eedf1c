"""Journeys (CCTP 4.3, 6.x), per lot and per site (the dossier's site):

- 6.1: among the UO2 closed in the period, the share where the person mobilised a
  complementary prestation (`prestations` holding something other than « aucune »).
- 6.2–6.4: the mean calendar days from engagement to a voluntary closure (signed, or asked
  for in writing) of the units closed in the period; abandons left out.
- 6.5–6.7: the number of units closed by abandon in the period.
- 6.8: among the people (e-mail case aside, birth date) who closed a UO2 in the period, the
  share who engaged again within three months: a later dossier of the same operator
  `open_dossier` linked to that closure (`reengagement_of_unit_id`, set only within
  `REENGAGEMENT_MONTHS`). People do not add up over months: counted per period (a CASE over
  periods that do not overlap), one statement per group of such periods.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Integer, case, cast, func, literal_column, select, union_all
from sqlalchemy.orm import Session, aliased

from portal.advisor.models import ClosureKind, Dossier, Unit, UnitKind, UnitStatus
from portal.people.models import Beneficiary
from portal.reporting.indicators.figures import Figure, figure
from portal.reporting.indicators.periods import Period, bucket, layers, span
from portal.reporting.indicators.sources import UO2, VOLUNTARY, Monthly, Sources, range_

DELAYS = {"6.2": UnitKind.UO1, "6.3": UnitKind.UO21, "6.4": UnitKind.UO22}
ABANDONS = {"6.5": UnitKind.UO1, "6.6": UnitKind.UO21, "6.7": UnitKind.UO22}
NUMBERS = ("6.1", *DELAYS, *ABANDONS, "6.8", "8.6")


def _places(sources: Sources, operator_id: int) -> list[int | None]:
    return [None, *sources.context.sites.get(operator_id, [])]


def figures(sources: Sources) -> Iterator[Figure]:
    wanted = sources.numbers
    if wanted & {"6.1", *DELAYS, *ABANDONS, "8.6"}:
        yield from _from_closures(sources)
    if "6.8" in wanted:
        counts = reengagement_counts(
            sources.context.session,
            sources.context.periods,
            sources.context.operator_ids,
            by_site=sources.context.by_site,
        )
        for period in sources.context.periods:
            for operator_id in sources.context.operators:
                for site_id in _places(sources, operator_id):
                    people, again = counts.get((operator_id, site_id, period.key), (0, 0))
                    yield figure("6.8", period, operator_id, site_id, again, people)


def _contributions(
    kind: UnitKind, closure: ClosureKind, values: list[float]
) -> Iterator[tuple[str, tuple[float, ...]]]:
    """What a group of closed units adds to each indicator: (numerator, denominator)."""
    count, days, with_prestation, auto = values
    if kind in UO2:
        yield "6.1", (with_prestation, count)
    for number, delayed in DELAYS.items():
        if kind == delayed and closure in VOLUNTARY:
            yield number, (days, count)
    for number, abandoned in ABANDONS.items():
        if kind == abandoned and closure == ClosureKind.ABANDON:
            yield number, (count, 0)
    yield "8.6", (auto, with_prestation)


def _from_closures(sources: Sources) -> Iterator[Figure]:
    """6.1–6.7 and 8.6, from the closed units' aggregate."""
    sums = Monthly()  # (operator, site or None, number) → (numerator, denominator)
    for (operator_id, site_id, kind, closure, _year), months in sources.closed().rows.items():
        for month, values in months.items():
            for number, terms in _contributions(kind, closure, values):
                for place in {site_id, None}:
                    sums.add((operator_id, place, number), month, terms)
    wanted = [n for n in ("6.1", *DELAYS, *ABANDONS, "8.6") if n in sources.numbers]
    for period in sources.context.periods:
        for operator_id in sources.context.operators:
            for site_id in _places(sources, operator_id):
                for number in wanted:
                    columns = (0, None if number in ABANDONS else 1)
                    key = (operator_id, site_id, number)
                    yield sums.ratio(number, period, (operator_id, site_id), key, columns)


def _people(layer: Sequence[Period], operator_ids: Sequence[int], site: Any) -> Any:
    """Per operator, place, period and person: whether they engaged again (0 or 1)."""
    start, end = span(layer)
    again = aliased(Dossier)
    return (
        select(
            Unit.operator_id.label("operator_id"),
            site.label("site_id"),
            bucket(Unit.closed_on, layer).label("period"),
            func.max(case((again.id.is_not(None), 1), else_=0)).label("again"),
        )
        .join(Dossier, Unit.dossier_id == Dossier.id)
        .join(Beneficiary, Dossier.beneficiary_id == Beneficiary.id)
        .outerjoin(
            again,
            (again.reengagement_of_unit_id == Unit.id) & (again.operator_id == Unit.operator_id),
        )
        .where(
            Unit.operator_id.in_(list(operator_ids)),
            Unit.kind.in_(UO2),
            Unit.status == UnitStatus.CLOSED,
            Unit.closed_on >= start,
            Unit.closed_on < end,
        )
        .group_by(*range_(1, 3), func.lower(Beneficiary.email), Beneficiary.birth_date)
    )


def reengagement_counts(
    session: Session,
    periods: Sequence[Period],
    operator_ids: Sequence[int],
    *,
    by_site: bool = False,
) -> dict[tuple[int, int | None, str], tuple[int, int]]:
    """(operator, site or None, period key) → (people who closed a UO2, of them re-engaged).
    One statement per group of periods that do not overlap (months, semesters)."""
    result: dict[tuple[int, int | None, str], tuple[int, int]] = {}
    if not periods or not operator_ids:
        return result
    lot = cast(literal_column("NULL"), Integer)
    for layer in layers(periods):
        parts = [_people(layer, operator_ids, lot)]
        if by_site:
            parts.append(_people(layer, operator_ids, Dossier.site_id))
        rows = union_all(*parts).subquery()
        query = (
            select(rows.c.operator_id, rows.c.site_id, rows.c.period)
            .add_columns(func.count(), func.sum(rows.c.again))
            .where(rows.c.period.is_not(None))
            .group_by(*range_(1, 3))
        )
        for operator_id, site_id, key, count, reengaged in session.execute(query):
            result[(operator_id, site_id, key)] = (int(count), int(reengaged or 0))
    return result

"""A computed figure, what every family hands back, and the context a computation shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.network.models import Operator, Site
from portal.reporting.indicators.catalogue import BY_NUMBER, unit_of
from portal.reporting.indicators.periods import Period


@dataclass(frozen=True, slots=True)
class Figure:
    number: str
    period: Period
    operator_id: int | None  # None: the nation
    site_id: int | None  # None: the whole lot (or the nation)
    numerator: float | None
    denominator: float | None
    value: float | None  # None when not computable (nothing to divide by, missing data)
    category: str | None = None  # 2.3, 2.4, 8.2: the category's code; 8.4: "within_30"


def value_of(
    number: str, category: str | None, numerator: float | None, denominator: float | None
) -> float | None:
    """The value from its two terms, by the indicator's unit: a count is its numerator, a
    rate or a mean (days) numerator / denominator, a change (numerator − denominator) /
    denominator (this period against the same period a year earlier)."""
    unit = unit_of(number, category)
    if unit == "count":
        return numerator
    if numerator is None or not denominator:
        return None
    if unit == "change":
        return (numerator - denominator) / denominator
    return numerator / denominator


def figure(
    number: str,
    period: Period,
    operator_id: int | None,
    site_id: int | None,
    numerator: float | None,
    denominator: float | None,
    category: str | None = None,
) -> Figure:
    return Figure(
        number,
        period,
        operator_id,
        site_id,
        numerator,
        denominator,
        value_of(number, category, numerator, denominator),
        category,
    )


@dataclass(slots=True)
class Context:
    """What every family needs: the session, the periods, the operators (id → lot number) and,
    when figures per site are asked, each operator's sites."""

    session: Session
    periods: list[Period]
    operators: dict[int, int]
    by_site: bool
    named: bool  # operators named by the caller (no national figure)
    sites: dict[int, list[int]] = field(default_factory=dict)

    @property
    def operator_ids(self) -> list[int]:
        return list(self.operators)

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name


def load_context(
    session: Session, periods: Sequence[Period], operator_ids: Sequence[int] | None, by_site: bool
) -> Context:
    """The operators (and their sites) the figures are about: one or two statements."""
    query = select(Operator.id, Operator.lot_number).order_by(Operator.lot_number, Operator.id)
    if operator_ids is not None:
        query = query.where(Operator.id.in_(list(operator_ids)))
    operators = {id_: lot for id_, lot in session.execute(query)}
    context = Context(session, list(periods), operators, by_site, operator_ids is not None)
    if by_site and operators:
        sites: dict[int, list[int]] = defaultdict(list)
        for site_id, operator_id in session.execute(
            select(Site.id, Site.operator_id)
            .where(Site.operator_id.in_(list(operators)))
            .order_by(Site.operator_id, Site.name, Site.id)
        ):
            sites[operator_id].append(site_id)
        context.sites = dict(sites)
    return context


def national(figures: Iterable[Figure]) -> list[Figure]:
    """The nation's figure of each indicator, period and category: the operators' numerators
    and denominators added (a rate or mean only over the lots where it has a denominator)."""
    sums: dict[tuple[str, Period, str | None], list[float]] = {}
    for f in figures:
        if f.operator_id is None or f.site_id is not None:
            continue
        unit = unit_of(f.number, f.category)
        if unit != "count" and f.denominator is None:
            continue
        total = sums.setdefault((f.number, f.period, f.category), [0.0, 0.0])
        total[0] += f.numerator or 0
        total[1] += f.denominator or 0
    return [
        figure(
            number,
            period,
            None,
            None,
            numerator,
            None if unit_of(number, category) == "count" else denominator,
            category,
        )
        for (number, period, category), (numerator, denominator) in sums.items()
    ]


def wanted(numbers: set[str] | None, *candidates: str) -> bool:
    """Whether any of the candidate indicators is asked for (all are when `numbers` is None)."""
    return numbers is None or any(n in numbers for n in candidates)


__all__ = ["BY_NUMBER", "Context", "Figure", "figure", "load_context", "national", "wanted"]

"""Engagements, recourse, closures and billing (CCTP 4.3, 1.x to 5.x): what the operators did
against what France compétences ordered, and against the region's population.

- 1.x, 4.x (« BC en cours »): the year's cumulated figure up to the end of the period, over
  the quantities of the year's purchase orders issued by then. UO0 (1.1) counts every UO0
  contact of the operator, on the web or recorded by its staff; billed UO0 (4.1, 5.1) are
  those with a number. A UO1/UO2 counts as closed and billed (4.2–4.4) when it closed on one
  of the year's orders, whatever the closure (signed, on request, abandon).
- 5.x (« tous BC »): the same since the first purchase order, over every order issued by then.
- 2.1, 2.2: the period's UO0 contacts / UO1 + UO2 engagements over the region's active
  population / « population CEP » (`population_region`, the latest year known).
- 3: the period's UO1 + UO2 engagements against the same period a year earlier; per site too.

Per lot only, except 3: orders and populations are the lot's, a UO0 contact has no site.
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.advisor.models import UnitKind
from portal.reporting.indicators.figures import Figure, figure
from portal.reporting.indicators.periods import Period
from portal.reporting.indicators.sources import UO2, Monthly, Sources

KINDS = (UnitKind.UO1, UnitKind.UO21, UnitKind.UO22)
ENGAGED = {"1.2": UnitKind.UO1, "1.3": UnitKind.UO21, "1.4": UnitKind.UO22}
CLOSED_CURRENT = {"4.2": UnitKind.UO1, "4.3": UnitKind.UO21, "4.4": UnitKind.UO22}
CLOSED_ALL = {"5.2": UnitKind.UO1, "5.3": UnitKind.UO21, "5.4": UnitKind.UO22}
NUMBERS = ("1.1", *ENGAGED, "2.1", "2.2", "3", "4.1", *CLOSED_CURRENT, "5.1", *CLOSED_ALL)
EVER = 0  # the first month number: « since the beginning »


def _bounds(period: Period) -> tuple[int, int, int]:
    """(year, the year's first month, the period's last month), as month numbers."""
    months = period.months()
    return period.start.year, period.start.year * 100 + 1, months[-1]


class _Totals:
    """The aggregates rolled up per operator (sites added), ready to sum over months."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.by_kind = Monthly()  # (operator, kind) → engaged
        self.by_site = Monthly()  # (operator, site) → UO1 + UO2 engaged
        for (operator_id, site_id, kind), months in sources.engaged().rows.items():
            for month, values in months.items():
                self.by_kind.add((operator_id, kind), month, tuple(values))
                if kind in KINDS:
                    self.by_site.add((operator_id, site_id), month, tuple(values))
                    self.by_site.add((operator_id, None), month, tuple(values))
        self.closed_year = Monthly()  # (operator, kind, order year) → closed
        self.closed_all = Monthly()  # (operator, kind) → closed
        if any(n in sources.numbers for n in (*CLOSED_CURRENT, *CLOSED_ALL)):
            for (operator_id, _site, kind, _closure, year), months in sources.closed().rows.items():
                for month, values in months.items():
                    self.closed_year.add((operator_id, kind, year), month, (values[0],))
                    self.closed_all.add((operator_id, kind), month, (values[0],))

    def ordered(self, operator_id: int, kind: UnitKind, year: int | None, last: int) -> float:
        """Quantities ordered by the end of month `last`: of `year`, or of every year."""
        orders = self.sources.orders()
        if year is not None:
            return orders.total((operator_id, kind, year), EVER, last)
        return sum(orders.total(key, EVER, last) for key in orders.matching((operator_id, kind)))


def figures(sources: Sources) -> Iterator[Figure]:
    context = sources.context
    wanted = sources.numbers
    totals = _Totals(sources)
    contacts = sources.contacts() if wanted & {"1.1", "2.1", "4.1", "5.1"} else Monthly()
    for period in context.periods:
        year, january, last = _bounds(period)
        first = period.months()[0]
        before = period.year_before().months()
        for operator_id in context.operators:
            op = (operator_id,)
            uo0_year = totals.ordered(operator_id, UnitKind.UO0, year, last)
            uo0_all = totals.ordered(operator_id, UnitKind.UO0, None, last)
            if "1.1" in wanted:
                yield figure(
                    "1.1", period, operator_id, None, contacts.total(op, january, last), uo0_year
                )
            if "4.1" in wanted:
                yield figure(
                    "4.1", period, operator_id, None, contacts.total(op, january, last, 1), uo0_year
                )
            if "5.1" in wanted:
                yield figure(
                    "5.1", period, operator_id, None, contacts.total(op, EVER, last, 1), uo0_all
                )
            for number, kind in ENGAGED.items():
                if number in wanted:
                    engaged = totals.by_kind.total((operator_id, kind), january, last)
                    ordered = totals.ordered(operator_id, kind, year, last)
                    yield figure(number, period, operator_id, None, engaged, ordered)
            for number, kind in CLOSED_CURRENT.items():
                if number in wanted:
                    closed = totals.closed_year.total((operator_id, kind, year), EVER, last)
                    ordered = totals.ordered(operator_id, kind, year, last)
                    yield figure(number, period, operator_id, None, closed, ordered)
            for number, kind in CLOSED_ALL.items():
                if number in wanted:
                    closed = totals.closed_all.total((operator_id, kind), EVER, last)
                    ordered = totals.ordered(operator_id, kind, None, last)
                    yield figure(number, period, operator_id, None, closed, ordered)
            population = (
                sources.population_of(operator_id, year) if wanted & {"2.1", "2.2"} else None
            )
            active, cep = population or (None, None)
            engaged = totals.by_site.total((operator_id, None), first, last)
            if "2.1" in wanted:
                yield figure(
                    "2.1", period, operator_id, None, contacts.total(op, first, last), active
                )
            if "2.2" in wanted:
                yield figure("2.2", period, operator_id, None, engaged, cep)
            if "3" in wanted:
                sites: list[int | None] = [None, *context.sites.get(operator_id, [])]
                for site_id in sites:
                    key = (operator_id, site_id)
                    now = totals.by_site.total(key, first, last)
                    then = totals.by_site.total(key, before[0], before[-1])
                    yield figure("3", period, operator_id, site_id, now, then)


__all__ = ["NUMBERS", "UO2", "figures"]

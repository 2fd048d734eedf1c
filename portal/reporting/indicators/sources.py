"""The aggregates the families compute from: one SQL statement each, grouped by operator,
site (when asked), kind and month, whatever the number of periods and operators. Each is
loaded once per `compute` (`Sources` caches them) and only when an indicator asked needs it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, String, and_, case, cast, func, literal_column, not_, select
from sqlalchemy.sql.elements import ColumnElement

from portal.advisor.models import ClosureKind, Dossier, PurchaseOrder, Unit, UnitKind
from portal.orientation.models import OrientationContact
from portal.reporting.indicators.figures import Context, Figure, figure
from portal.reporting.indicators.periods import Period, month_number
from portal.reporting.models import PopulationRegion

UO2 = (UnitKind.UO21, UnitKind.UO22)
VOLUNTARY = (ClosureKind.SIGNED, ClosureKind.REQUESTED)
# A unit's `prestations` with nothing complementary: none chosen, or only « aucune ».
NO_PRESTATION = ("[]", '["aucune"]', "null")

Key = tuple[Any, ...]


def days_between(start: Any, end: Any, dialect: str) -> ColumnElement[float]:
    """Calendar days from `start` to `end` (two date columns)."""
    if dialect == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return cast(end - start, Integer)


def has_prestation(column: Any) -> ColumnElement[bool]:
    """The unit mobilised at least one complementary prestation (not « aucune »)."""
    text = func.coalesce(cast(column, String), "null")
    return not_(func.replace(text, " ", "").in_(NO_PRESTATION))


@dataclass(slots=True)
class Monthly:
    """Sums per key and month (year × 100 + month)."""

    rows: dict[Key, dict[int, list[float]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, key: Key, month: int, values: tuple[float, ...]) -> None:
        known = self.rows[key].get(month)
        if known is None:
            self.rows[key][month] = [float(v or 0) for v in values]
        else:
            for i, v in enumerate(values):
                known[i] += float(v or 0)

    def total(self, key: Key, first: int, last: int, column: int = 0) -> float:
        """The sum of `column` over the months from `first` to `last` included."""
        return sum(v[column] for m, v in self.rows.get(key, {}).items() if first <= m <= last)

    def over(self, key: Key, period: Period, column: int = 0) -> float:
        """The sum of `column` over the period's months."""
        months = period.months()
        return self.total(key, months[0], months[-1], column)

    def ratio(
        self,
        number: str,
        period: Period,
        place: tuple[int, int | None],
        key: Key,
        columns: tuple[int, int | None],
        category: str | None = None,
    ) -> Figure:
        """The figure of `number` for an operator and site (`place`): columns[0] of `key`
        over columns[1] (no denominator when None), summed over the period's months."""
        numerator, denominator = columns
        return figure(
            number,
            period,
            *place,
            self.over(key, period, numerator),
            None if denominator is None else self.over(key, period, denominator),
            category,
        )

    def matching(self, prefix: Key) -> list[Key]:
        """The keys starting with `prefix`."""
        return [key for key in self.rows if key[: len(prefix)] == prefix]


class Sources:
    """The aggregates of one computation, each loaded on first use."""

    def __init__(self, context: Context, numbers: set[str]) -> None:
        self.context = context
        self.numbers = numbers  # the indicators asked for
        self.until = max(p.end for p in context.periods)
        self._cache: dict[str, Any] = {}

    def _once(self, name: str, load: Any) -> Any:
        if name not in self._cache:
            self._cache[name] = load()
        return self._cache[name]

    def _site(self) -> Any:
        return Dossier.site_id if self.context.by_site else cast(literal_column("NULL"), Integer)

    def orders(self) -> Monthly:
        """Quantities ordered: key (operator, kind, year), month of issue."""

        def load() -> Monthly:
            series = Monthly()
            query = (
                select(
                    PurchaseOrder.operator_id,
                    PurchaseOrder.kind,
                    PurchaseOrder.year,
                    month_number(PurchaseOrder.issued_on),
                    func.sum(PurchaseOrder.quantity),
                )
                .where(
                    PurchaseOrder.operator_id.in_(self.context.operator_ids),
                    PurchaseOrder.issued_on < self.until,
                )
                .group_by(*range_(1, 4))
            )
            for operator_id, kind, year, month, quantity in self.context.session.execute(query):
                series.add((operator_id, UnitKind(kind), year), month, (quantity,))
            return series

        return self._once("orders", load)  # type: ignore[no-any-return]

    def contacts(self) -> Monthly:
        """UO0 contacts: key (operator,), month; (all, numbered — i.e. billable)."""

        def load() -> Monthly:
            series = Monthly()
            c = OrientationContact
            query = (
                select(
                    c.operator_id,
                    month_number(c.contacted_on),
                    func.count(),
                    func.count(c.number),
                )
                .where(c.operator_id.in_(self.context.operator_ids), c.contacted_on < self.until)
                .group_by(*range_(1, 2))
            )
            for operator_id, month, count, numbered in self.context.session.execute(query):
                series.add((operator_id,), month, (count, numbered))
            return series

        return self._once("contacts", load)  # type: ignore[no-any-return]

    def engaged(self) -> Monthly:
        """Units engaged: key (operator, site, kind), month; (count,). From January of the
        year before the first period (indicator 3 compares with a year earlier)."""

        def load() -> Monthly:
            series = Monthly()
            since = date(min(p.start for p in self.context.periods).year - 1, 1, 1)
            query = (
                select(Unit.operator_id, self._site(), Unit.kind, month_number(Unit.engaged_on))
                .add_columns(func.count())
                .join(Dossier, Dossier.id == Unit.dossier_id)
                .where(
                    Unit.operator_id.in_(self.context.operator_ids),
                    Unit.engaged_on >= since,
                    Unit.engaged_on < self.until,
                )
                .group_by(*range_(1, 4))
            )
            for operator_id, site_id, kind, month, count in self.context.session.execute(query):
                series.add((operator_id, site_id, UnitKind(kind)), month, (count,))
            return series

        return self._once("engaged", load)  # type: ignore[no-any-return]

    def closed(self) -> Monthly:
        """Units closed: key (operator, site, kind, closure kind, order year), month of
        closure; (count, days engaged→closed, with a complementary prestation, of which
        mobilised with the operator)."""

        def load() -> Monthly:
            series = Monthly()
            prestation = has_prestation(Unit.prestations)
            days = days_between(Unit.engaged_on, Unit.closed_on, self.context.dialect)
            query = (
                select(
                    Unit.operator_id,
                    self._site(),
                    Unit.kind,
                    Unit.closure_kind,
                    PurchaseOrder.year,
                    month_number(Unit.closed_on),
                    func.count(),
                    func.sum(days),
                    func.sum(case((prestation, 1), else_=0)),
                    func.sum(
                        case((and_(prestation, Unit.auto_prescription.is_(True)), 1), else_=0)
                    ),
                )
                .join(Dossier, Dossier.id == Unit.dossier_id)
                .join(PurchaseOrder, PurchaseOrder.id == Unit.purchase_order_id)
                .where(
                    Unit.operator_id.in_(self.context.operator_ids),
                    Unit.closed_on.is_not(None),
                    Unit.closed_on < self.until,
                )
                .group_by(*range_(1, 6))
            )
            for row in self.context.session.execute(query):
                operator_id, site_id, kind, closure, year, month, *values = row
                key = (operator_id, site_id, UnitKind(kind), ClosureKind(closure), year)
                series.add(key, month, tuple(values))
            return series

        return self._once("closed", load)  # type: ignore[no-any-return]

    def population(self) -> dict[int, list[tuple[int, int, int]]]:
        """Per lot, (year, active population, population CEP), most recent year first."""

        def load() -> dict[int, list[tuple[int, int, int]]]:
            lots: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
            p = PopulationRegion
            query = select(p.lot_number, p.year, p.active_population, p.cep_population).where(
                p.lot_number.in_(set(self.context.operators.values()))
            )
            for lot, year, active, cep in self.context.session.execute(query):
                lots[lot].append((year, active, cep))
            for rows in lots.values():
                rows.sort(reverse=True)
            return dict(lots)

        return self._once("population", load)  # type: ignore[no-any-return]

    def population_of(self, operator_id: int, year: int) -> tuple[int, int] | None:
        """The (active, CEP) population of the operator's region: the figures of `year`, or
        of the latest year before it (censuses lag), or None when there are none."""
        for known, active, cep in self.population().get(self.context.operators[operator_id], []):
            if known <= year:
                return active, cep
        return None


def range_(first: int, last: int) -> list[Any]:
    """Positional GROUP BY, columns `first` to `last` (1-based, included): the same on
    PostgreSQL and SQLite, and safe with expressions carrying bound parameters."""
    return [literal_column(str(i)) for i in range(first, last + 1)]

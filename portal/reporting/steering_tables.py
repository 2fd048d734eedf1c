"""The steering views' tables (issue 15 §3), read by the pages and by the CSV alike, so both
always show the same figures: one table per family of CCTP 4.3 (rows: the lots, or the lot and
its sites; columns: the indicators), one per indicator counted by category, and the trend.

Web layer (it translates and formats); the figures come from `portal.reporting.indicators`.
A figure that cannot be computed is shown « — » with its reason; a figure beyond its rule is
marked in words (« sous le seuil »), not by colour alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from portal.booking.rules import FIRST_APPOINTMENT_WORKING_DAYS
from portal.reporting.indicators import (
    DEFINITIONS,
    WITHIN_30,
    Definition,
    Figure,
    Period,
    StoredFigure,
)
from portal.reporting.indicators.catalogue import unit_of
from portal.reporting.indicators.stored import FigureKey
from portal.reporting.steering_cells import Value, formatted

# The indicator of the first appointment's delay, whose rule is the contract's (CCTP 3.3: every
# first appointment within 30 jours ouvrés), not a threshold of CCTP 4.3.
DELAY = "8.4"

# The reference list whose labels name the categories of an indicator counted by category.
CATEGORY_LISTS = {"2.3": "categorie_sociale", "2.4": "statut", "8.2": "type_service"}


@dataclass(frozen=True, slots=True)
class Column:
    definition: Definition
    category: str | None
    category_label: str | None = None  # the reference list's label of the category

    @property
    def id(self) -> str:
        return self.definition.number + (f"-{self.category}" if self.category else "")

    @property
    def unit(self) -> str:
        return unit_of(self.definition.number, self.category)

    @property
    def label(self) -> str:
        if self.definition.number == DELAY and self.category == WITHIN_30:
            return str(_("8.4 Premiers rendez-vous dans les 30 jours ouvrés"))
        name = self.category_label or self.category
        suffix = f" — {name}" if name else ""
        return f"{self.definition.number} {self.definition.label}{suffix}"

    @property
    def unit_name(self) -> str:
        return str(
            {
                "rate": _("taux"),
                "count": _("nombre"),
                "days": _("jours"),
                "change": _("évolution"),
            }[self.unit]
        )

    @property
    def hint(self) -> str:
        """What the figure is, beside its label: « taux, semestriel »."""
        if self.definition.periodicity == "semester":
            return f"{self.unit_name}, {_('semestriel')}"
        return self.unit_name


@dataclass(slots=True)
class Row:
    label: str
    region: str
    code: str  # the operator's code, empty for the nation
    values: list[Value]
    nation: bool = False
    site: bool = False

    def cells(self) -> Markup:
        locale = get_locale()
        return Markup("".join(v.td(locale) for v in self.values))  # noqa: S704 (cells are Markup)


@dataclass(slots=True)
class SteeringTable:
    id: str
    title: str
    period: Period
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    per_site: bool = False  # an indicator of the table has a figure per site


@dataclass(frozen=True, slots=True)
class Place:
    """A row of the tables: a lot (site_id None), one of its sites, or the nation."""

    operator_id: int | None
    site_id: int | None
    label: str
    region: str = ""
    code: str = ""


def flagged(tables: Sequence[SteeringTable]) -> list[tuple[str, str, str]]:
    """The figures beyond a rule of the contract: (row, column, figure shown)."""
    return [
        (row.label, column.label, value.shown())
        for table in tables
        for row in table.rows
        for column, value in zip(table.columns, row.values, strict=True)
        if value.below
    ]


def below_rule(column: Column, value: float | None) -> bool:
    if value is None:
        return False
    if column.definition.number == DELAY:
        if column.category == WITHIN_30:
            return value < 1  # CCTP 3.3: every first appointment within 30 jours ouvrés
        if column.category is None:
            return value > FIRST_APPOINTMENT_WORKING_DAYS
    threshold = column.definition.threshold
    if threshold is None:
        return False
    return value > threshold if column.unit == "days" else value < threshold


def ruled_numbers() -> list[str]:
    """The indicators `below_rule` can flag: 8.4 (CCTP 3.3) and any with a threshold."""
    return sorted({DELAY} | {d.number for d in computed_definitions() if d.threshold is not None})


def computed_definitions() -> list[Definition]:
    return [d for d in DEFINITIONS if d.missing is None]


def missing_definitions() -> list[Definition]:
    return [d for d in DEFINITIONS if d.missing is not None]


def period_for(definition: Definition, month: Period, semester: Period) -> Period:
    return semester if definition.periodicity == "semester" else month


def index_of(figures: Iterable[Figure]) -> dict[FigureKey, Figure]:
    keys: dict[Period, str] = {}  # `Period.key` formats its text at each call
    return {
        (
            f.number,
            keys.get(f.period) or keys.setdefault(f.period, f.period.key),
            f.operator_id,
            f.site_id,
            f.category,
        ): f
        for f in figures
    }


Stored = Mapping[FigureKey, StoredFigure]


@dataclass(frozen=True, slots=True)
class TableShape:
    """A table before its figures: its id, title and indicators (a family of CCTP 4.3, or
    one indicator counted by category)."""

    id: str
    title: str
    definitions: tuple[Definition, ...]

    @property
    def per_site(self) -> bool:
        """Whether an indicator of the table has a figure per site (3, 6.x, 8.2, 8.4, 8.6)."""
        return any(d.by_site for d in self.definitions)


def table_shapes() -> list[TableShape]:
    """The tables of the steering views, in the contract's order: one per family, then one
    per indicator counted by category (2.3, 2.4, 8.2)."""
    families: dict[str, list[Definition]] = {}
    apart = []
    for definition in computed_definitions():
        if definition.by_category:
            number = definition.number
            title = f"{number} {definition.label}"
            apart.append(TableShape(f"indicateur-{number.replace('.', '-')}", title, (definition,)))
        else:
            families.setdefault(str(definition.family), []).append(definition)
    shapes = [
        TableShape(f"famille-{i}", family, tuple(definitions))
        for i, (family, definitions) in enumerate(families.items(), start=1)
    ]
    return shapes + apart


def family_tables(
    figures: Sequence[Figure],
    places: Sequence[Place],
    month: Period,
    semester: Period,
    stored: Stored | None = None,
    labels: Mapping[tuple[str, str], str] | None = None,
    shapes: Sequence[TableShape] | None = None,
) -> list[SteeringTable]:
    """The tables of `shapes` (every one when None), filled for the places; the categories
    of 2.3, 2.4 and 8.2 read with their label from `labels` ((list, code) → label)."""
    index = index_of(figures)
    keys = {p: p.key for p in {f.period for f in figures} | {month, semester}}
    categories: dict[tuple[str, str], list[str | None]] = {}
    for f in figures:
        seen = categories.setdefault((f.number, keys[f.period]), [])
        if f.category not in seen:
            seen.append(f.category)
    result = []
    for shape in table_shapes() if shapes is None else shapes:
        columns = []
        for definition in shape.definitions:
            period = period_for(definition, month, semester)
            found = categories.get((definition.number, keys[period]), [None])
            category_list = CATEGORY_LISTS.get(definition.number, "")
            columns += [
                Column(definition, c, (labels or {}).get((category_list, c or "")))
                for c in sorted(found, key=lambda c: (c is not None, c or ""))
            ]
        period = period_for(shape.definitions[0], month, semester)
        result.append(
            SteeringTable(shape.id, shape.title, period, columns, per_site=shape.per_site)
        )
    stored = stored or {}
    for table in result:
        # Each column's key, unit and period worked out once, not for every place.
        layout = [
            (c, c.unit, keys[period_for(c.definition, month, semester)]) for c in table.columns
        ]
        for place in places:
            if place.site_id is not None and not table.per_site:
                continue  # no indicator of the table has a figure per site
            values = []
            for column, unit, period_key in layout:
                key = (
                    column.definition.number,
                    period_key,
                    place.operator_id,
                    place.site_id,
                    column.category,
                )
                figure = index.get(key)
                value = None if figure is None else figure.value
                how = stored.get(key)
                values.append(Value(figure, unit, below_rule(column, value), how))
            table.rows.append(
                Row(
                    place.label,
                    place.region,
                    place.code,
                    values,
                    nation=place.operator_id is None,
                    site=place.site_id is not None,
                )
            )
    return result


__all__ = [
    "Column",
    "Place",
    "Row",
    "SteeringTable",
    "Stored",
    "TableShape",
    "Value",
    "below_rule",
    "computed_definitions",
    "family_tables",
    "flagged",
    "formatted",
    "index_of",
    "missing_definitions",
    "period_for",
    "ruled_numbers",
    "table_shapes",
]

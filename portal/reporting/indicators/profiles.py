"""Recourse by social category and by status (2.3, 2.4): the beneficiaries (dossiers) with a
UO1 or UO2 engaged in the period, per category of their Annex 2 profile, over the region's
« population CEP ». One figure per category; `NOT_GIVEN` for a profile without it (or no
profile yet). Per lot only. Beneficiaries do not add up over months: counted per period, one
statement per group of periods that do not overlap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, literal_column, select, union_all

from portal.advisor.models import Dossier, Unit, UnitKind
from portal.people.profile_models import DossierProfile
from portal.reporting.indicators.figures import Figure, figure
from portal.reporting.indicators.periods import bucket, layers, span
from portal.reporting.indicators.sources import Sources, range_

NUMBERS = ("2.3", "2.4")
NOT_GIVEN = "non_renseigne"
FIELDS = {"2.3": DossierProfile.categorie_sociale, "2.4": DossierProfile.statut}
ENGAGED = (UnitKind.UO1, UnitKind.UO21, UnitKind.UO22)


def _counts(sources: Sources) -> dict[tuple[str, int, str, str], int]:
    """(number, operator, period key, category) → beneficiaries."""
    context = sources.context
    counts: dict[tuple[str, int, str, str], int] = {}
    for layer in layers(context.periods):
        start, end = span(layer)
        parts: list[Any] = [
            select(
                literal_column(f"'{number}'").label("number"),  # our own constant
                Unit.operator_id.label("operator_id"),
                bucket(Unit.engaged_on, layer).label("period"),
                func.coalesce(column, NOT_GIVEN).label("category"),
                func.count(func.distinct(Unit.dossier_id)).label("people"),
            )
            .join(Dossier, Dossier.id == Unit.dossier_id)
            .outerjoin(DossierProfile, DossierProfile.dossier_id == Dossier.id)
            .where(
                Unit.operator_id.in_(context.operator_ids),
                Unit.kind.in_(ENGAGED),
                Unit.engaged_on >= start,
                Unit.engaged_on < end,
            )
            .group_by(*range_(2, 4))
            for number, column in FIELDS.items()
            if number in sources.numbers
        ]
        rows = union_all(*parts).subquery()
        query = select(rows).where(rows.c.period.is_not(None))
        for number, operator_id, key, category, people in context.session.execute(query):
            counts[(number, operator_id, key, category)] = int(people)
    return counts


def figures(sources: Sources) -> Iterator[Figure]:
    if not sources.numbers & set(NUMBERS):
        return
    counts = _counts(sources)
    categories: dict[str, set[str]] = defaultdict(set)
    for number, _operator, _key, category in counts:
        categories[number].add(category)
    for period in sources.context.periods:
        for operator_id in sources.context.operators:
            population = sources.population_of(operator_id, period.start.year)
            cep = population[1] if population else None
            for number in NUMBERS:
                for category in sorted(categories[number]):
                    people = counts.get((number, operator_id, period.key, category), 0)
                    yield figure(number, period, operator_id, None, people, cep, category)

"""Reading and checking values of the Annex 2 reference tables (`reference_item`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor import reference_data as ref
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import ReferenceItem
from portal.advisor.rules import RULES_BY_NAME


def items(session: Session, list_name: str, *, with_inactive: bool = False) -> list[ReferenceItem]:
    query = select(ReferenceItem).where(ReferenceItem.list_name == list_name)
    if not with_inactive:
        query = query.where(ReferenceItem.active.is_(True))
    return list(session.scalars(query.order_by(ReferenceItem.position, ReferenceItem.id)))


def all_items(session: Session) -> dict[str, list[ReferenceItem]]:
    """Every active table at once (one query), keyed by list name."""
    tables: dict[str, list[ReferenceItem]] = {}
    query = select(ReferenceItem).where(ReferenceItem.active.is_(True))
    for item in session.scalars(query.order_by(ReferenceItem.position, ReferenceItem.id)):
        tables.setdefault(item.list_name, []).append(item)
    return tables


def labels(session: Session, locale: str) -> dict[tuple[str, str], str]:
    """(list, code) → label in the person's language, inactive values included (old data)."""
    return {
        (item.list_name, item.code): item.label(locale)
        for item in session.scalars(select(ReferenceItem))
    }


@dataclass(frozen=True, slots=True)
class ReferenceTables:
    """The Annex 2 reference tables in one read: the active values to choose from, and the
    labels of every value (inactive ones too, for old data), in the person's language."""

    active: dict[str, list[ReferenceItem]]
    labels: dict[tuple[str, str], str]
    locale: str

    def choices(self, list_name: str) -> list[ReferenceItem]:
        return self.active.get(list_name, [])

    def label(self, list_name: str, code: str | None) -> str:
        if not code:
            return ""
        return self.labels.get((list_name, code), code)


def reference_tables(session: Session, locale: str) -> ReferenceTables:
    """`all_items` and `labels` at once, in one query (for pages that need both)."""
    active: dict[str, list[ReferenceItem]] = {}
    by_code: dict[tuple[str, str], str] = {}
    query = select(ReferenceItem).order_by(ReferenceItem.position, ReferenceItem.id)
    for item in session.scalars(query):
        by_code[(item.list_name, item.code)] = item.label(locale)
        if item.active:
            active.setdefault(item.list_name, []).append(item)
    return ReferenceTables(active, by_code, locale)


_CODES_KEY = "advisor.reference_codes"


def active_codes(session: Session) -> dict[str, dict[str, str | None]]:
    """list → {code: parent} of the active values, read once per session: the tables change
    by migration (France compétences' official tables), never within a request or a job, and
    an engagement checks several of them."""
    cached: dict[str, dict[str, str | None]] | None = session.info.get(_CODES_KEY)
    if cached is None:
        cached = {}
        rows = session.execute(
            select(ReferenceItem.list_name, ReferenceItem.code, ReferenceItem.parent).where(
                ReferenceItem.active.is_(True)
            )
        )
        for list_name, code, parent in rows:
            cached.setdefault(list_name, {})[code] = parent
        session.info[_CODES_KEY] = cached
    return cached


def check_values(session: Session, values: Mapping[str, Any]) -> None:
    """Raise UNKNOWN_CODE (naming the fields) when a value is not in its active table, or a
    detailed motive does not belong to the chosen motive."""
    tables = active_codes(session)
    wrong: list[str] = []
    for name, value in values.items():
        rule = RULES_BY_NAME.get(name)
        if rule is None or rule.table is None or value in (None, "", []):
            continue
        known = set(tables.get(rule.table, {}))
        given: Iterable[str] = value if isinstance(value, list) else [value]
        chosen = set(given)
        # « Aucune » says nothing was mobilised: it cannot stand next to another value.
        if not chosen <= known or (len(chosen) > 1 and chosen & ref.NONE_CODES):
            wrong.append(name)
    detail, motif = values.get("motif_detaille"), values.get("motif")
    if detail and motif and "motif_detaille" not in wrong:
        parents = tables.get(ref.MOTIF_DETAILLE, {})
        if parents.get(detail) not in (None, motif):
            wrong.append("motif_detaille")
    if wrong:
        raise UnitError(UnitErrorCode.UNKNOWN_CODE, ", ".join(wrong), tuple(wrong))

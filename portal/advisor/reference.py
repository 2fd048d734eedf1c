"""Reading and checking values of the Annex 2 reference tables (`reference_item`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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


def check_values(session: Session, values: Mapping[str, Any]) -> None:
    """Raise UNKNOWN_CODE (naming the fields) when a value is not in its active table, or a
    detailed motive does not belong to the chosen motive."""
    tables = all_items(session)
    wrong: list[str] = []
    for name, value in values.items():
        rule = RULES_BY_NAME.get(name)
        if rule is None or rule.table is None or value in (None, "", []):
            continue
        known = {item.code for item in tables.get(rule.table, [])}
        given: Iterable[str] = value if isinstance(value, list) else [value]
        if not set(given) <= known:
            wrong.append(name)
    detail, motif = values.get("motif_detaille"), values.get("motif")
    if detail and motif and "motif_detaille" not in wrong:
        parents = {i.code: i.parent for i in tables.get("motif_detaille", [])}
        if parents.get(detail) not in (None, motif):
            wrong.append("motif_detaille")
    if wrong:
        raise UnitError(UnitErrorCode.UNKNOWN_CODE, ", ".join(wrong), tuple(wrong))

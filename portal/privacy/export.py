"""A person's data as JSON (RGPD art. 15 and 20), built from the registry.

Every declared table of the beneficiary, every row reached from the records made with the
address (the messages too: e-mails to the address, SMS to the records' phone numbers), every
column but the secrets (token hashes, idempotency keys): a column added and declared tomorrow
is in the export the same day. Files are given by their size (the person downloads the
documents themselves from their space), e-mail and SMS bodies are left out (the person
received them). Plain Python over a Session.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.people.models import Beneficiary
from portal.privacy.registry import Declaration
from portal.privacy.rows import Keys, owned, person_declarations, person_keys, table_of

FORMAT_VERSION = 1


def export_person(session: Session, *, email: str, now: datetime) -> dict[str, Any]:
    """Everything the portal holds about the records made with `email`, by table."""
    email = email.strip().lower()
    ids = list(
        session.scalars(
            select(Beneficiary.id)
            .where(func.lower(Beneficiary.email) == email)
            .order_by(Beneficiary.id)
        )
    )
    keys = person_keys(session, ids, email)
    tables: dict[str, list[dict[str, Any]]] = {}
    for declared in person_declarations():
        tables[declared.table] = _rows(session, declared, ids, keys)
    return {
        "format": FORMAT_VERSION,
        "generated_at": now.isoformat(),
        "email": email,
        "tables": tables,
    }


def _rows(
    session: Session, declared: Declaration, ids: list[int], keys: Keys
) -> list[dict[str, Any]]:
    table = table_of(declared)
    shown = [c for c in table.columns if c.name not in declared.secret]
    query = select(*shown).where(owned(declared, ids, keys))
    key = table.columns.get("id")
    if key is not None:
        query = query.order_by(key)
    rows = []
    for row in session.execute(query).mappings():
        item: dict[str, Any] = {}
        for column in shown:
            personal = declared.personal.get(column.name)
            value = row[column.name]
            if personal is not None and not personal.exported:
                item[column.name] = _omitted(value)
            else:
                item[column.name] = _plain(value)
        rows.append(item)
    return rows


def _omitted(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": len(value)}
    return None if value is None else {"omitted": True}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"bytes": len(value)}
    return value


__all__ = ["FORMAT_VERSION", "export_person"]

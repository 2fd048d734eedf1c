"""Which rows of each declared table belong to a person, read from the registry.

A person is a set of `beneficiary` rows (one per booking, matched by address). A declared
table reaches them through its `belongs_to` foreign key, table by table up to `beneficiary`;
a table with only an `email_column` (sign-in links, e-mails) is matched by the address.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import ColumnElement, Select, Table, false, func, select

import portal.models  # noqa: F401  (loads every model, hence every declaration)
from portal.db import Base
from portal.privacy.registry import Declaration, Subject, declarations

PERSON_TABLE = "beneficiary"


def table_of(declared: Declaration) -> Table:
    return Base.metadata.tables[declared.table]


def person_declarations() -> list[Declaration]:
    """The beneficiary's tables, parents before children (the person's own table first)."""
    found = [d for d in declarations().values() if d.subject == Subject.BENEFICIARY]
    return sorted(found, key=lambda d: (len(_chain(d)), d.table))


def _chain(declared: Declaration) -> list[Declaration]:
    """The declaration and its parents, up to the person's table or an e-mail table."""
    registry = declarations()
    chain = [declared]
    while declared.belongs_to is not None:
        (fk,) = table_of(declared).columns[declared.belongs_to].foreign_keys
        declared = registry[fk.column.table.name]
        chain.append(declared)
    return chain


def owned(
    declared: Declaration,
    beneficiary_ids: Sequence[int],
    email: str,
    *,
    for_erasure: bool = False,
) -> ColumnElement[bool]:
    """The condition on `declared`'s table selecting the person's rows. For an erasure, the
    rows each table of the chain excludes (`erase_only`) are left out too."""
    table = table_of(declared)
    condition: ColumnElement[bool]
    if declared.belongs_to is not None:
        (fk,) = table.columns[declared.belongs_to].foreign_keys
        parent = declarations()[fk.column.table.name]
        parent_ids: Select[tuple[int]] = select(fk.column).where(
            owned(parent, beneficiary_ids, email, for_erasure=for_erasure)
        )
        condition = table.columns[declared.belongs_to].in_(parent_ids)
    elif declared.table == PERSON_TABLE:
        condition = table.columns["id"].in_(list(beneficiary_ids)) if beneficiary_ids else false()
    elif declared.email_column is not None:
        condition = func.lower(table.columns[declared.email_column]) == email.lower()
    else:  # pragma: no cover - the registry test proves every table reaches a person
        raise ValueError(f"{declared.table} does not reach a person")
    if for_erasure and declared.erase_only is not None:
        condition = condition & declared.erase_only
    return condition


def children_first(items: Sequence[Declaration]) -> Iterator[Declaration]:
    return iter(sorted(items, key=lambda d: (-len(_chain(d)), d.table)))


__all__ = ["PERSON_TABLE", "children_first", "owned", "person_declarations", "table_of"]

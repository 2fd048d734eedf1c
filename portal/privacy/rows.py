"""Which rows of each declared table belong to a person, read from the registry.

A person is a set of `beneficiary` rows (one per booking, matched by address). A declared
table reaches them through its `belongs_to` foreign key, table by table up to `beneficiary`;
a table without one is matched by the person's keys: their address (`email_column`: sign-in
links, e-mails) and their phone numbers (`phone_column`: SMS), read from their records.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Table, false, func, or_, select
from sqlalchemy.orm import Session

import portal.models  # noqa: F401  (loads every model, hence every declaration)
from portal.db import Base
from portal.privacy.registry import Declaration, Subject, declarations

PERSON_TABLE = "beneficiary"


@dataclass(frozen=True, slots=True)
class Keys:
    """What rows without a `belongs_to` are matched by: the person's address (lower case)
    and their phone numbers (E.164, as their records store them)."""

    email: str
    phones: tuple[str, ...] = ()


def person_keys(session: Session, beneficiary_ids: Sequence[int], email: str) -> Keys:
    """The keys of the records `beneficiary_ids`, made with `email`. A number that a record
    of another address also carries (a family phone) is left out: its messages may be that
    other person's, who must neither see them in this export nor lose them to this erasure."""
    person = declarations()[PERSON_TABLE]
    email = email.strip().lower()
    if person.phone_column is None or person.email_column is None or not beneficiary_ids:
        return Keys(email)
    table = table_of(person)
    phone = table.columns[person.phone_column]
    shared = select(phone).where(func.lower(table.columns[person.email_column]) != email)
    phones = session.scalars(
        select(phone)
        .distinct()
        .where(table.columns["id"].in_(list(beneficiary_ids)), phone != "", phone.not_in(shared))
        .order_by(phone)
    )
    return Keys(email, tuple(phones))


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
    keys: Keys,
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
            owned(parent, beneficiary_ids, keys, for_erasure=for_erasure)
        )
        condition = table.columns[declared.belongs_to].in_(parent_ids)
    elif declared.table == PERSON_TABLE:
        condition = table.columns["id"].in_(list(beneficiary_ids)) if beneficiary_ids else false()
    elif declared.email_column is not None or declared.phone_column is not None:
        matches: list[ColumnElement[bool]] = []
        if declared.email_column is not None:
            matches.append(func.lower(table.columns[declared.email_column]) == keys.email.lower())
        if declared.phone_column is not None and keys.phones:
            matches.append(table.columns[declared.phone_column].in_(keys.phones))
        condition = or_(*matches) if matches else false()
    else:  # pragma: no cover - the registry test proves every table reaches a person
        raise ValueError(f"{declared.table} does not reach a person")
    if for_erasure and declared.erase_only is not None:
        condition = condition & declared.erase_only
    return condition


def children_first(items: Sequence[Declaration]) -> Iterator[Declaration]:
    return iter(sorted(items, key=lambda d: (-len(_chain(d)), d.table)))


__all__ = [
    "PERSON_TABLE",
    "Keys",
    "children_first",
    "owned",
    "person_declarations",
    "person_keys",
    "table_of",
]

"""Every column that may hold personal data is declared in the RGPD registry.

The rule (see portal/privacy/registry.py):
1. A table that holds a person's data declares every column, personal or not. Such a table has
   a personal column, or hangs off a beneficiary's table by a foreign key.
2. Any column whose name or type looks like personal data is declared, wherever it is.
3. Every declared column exists, and every row of a beneficiary reaches the person (by a foreign
   key, or by the person's address or phone numbers, which are contact columns).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

import portal.models  # noqa: F401  (loads every model and its declaration)
from portal import config
from portal.db import Base
from portal.privacy.registry import RULE_RETENTIONS, DataKind, Declaration, Subject, declarations

# Parts of a column name that say « this may be about a person » (split on "_").
LOOKS_PERSONAL = re.compile(
    r"(^|_)(name|names|email|mail|e_mail|phone|tel|telephone|mobile|birth|born|age|address|"
    r"street|postal|commune|city|ip|remote|agent|user_agent|note|notes|comment|comments|text|"
    r"trace|reason|signer|file|filename|data|content|body|evidence|message|nir|iban|"
    r"description|photo|picture|avatar|gender|sex|nationality|health|handicap|disability)($|_)"
)
LOOKS_PERSONAL_TYPES = (Text, LargeBinary, JSON)


def looks_personal(column: Column[object]) -> bool:
    """By its type (free text, files, documents), or by its name unless it is a yes/no flag
    (`offers_telephone` says how a site receives people, not anyone's number)."""
    if isinstance(column.type, LOOKS_PERSONAL_TYPES):
        return True
    return not isinstance(column.type, Boolean) and bool(LOOKS_PERSONAL.search(column.name))


def person_tables(metadata: MetaData, registry: dict[str, Declaration]) -> set[str]:
    """Tables that hold a person's data: declared with a personal column, or hanging off a
    beneficiary's table by a foreign key (followed to the end)."""
    found = {name for name, d in registry.items() if d.personal}
    beneficiary = {name for name, d in registry.items() if d.subject == Subject.BENEFICIARY}
    changed = True
    while changed:
        changed = False
        for table in metadata.tables.values():
            if table.name in beneficiary:
                continue
            targets = {fk.column.table.name for fk in table.foreign_keys}
            if targets & beneficiary:
                beneficiary.add(table.name)
                found.add(table.name)
                changed = True
    return found


def problems(metadata: MetaData, registry: dict[str, Declaration]) -> list[str]:
    found: list[str] = []
    people = person_tables(metadata, registry)
    for table in metadata.tables.values():
        declared = registry.get(table.name)
        columns = {c.name for c in table.columns}
        if declared is None:
            if table.name in people:
                found.append(f"{table.name}: holds a person's data but is not declared")
            for column in table.columns:
                if looks_personal(column):
                    found.append(f"{table.name}.{column.name}: looks personal, not declared")
            continue
        for name in sorted(declared.columns - columns):
            found.append(f"{table.name}.{name}: declared but no such column")
        undeclared = columns - declared.columns
        for column in table.columns:
            if column.name not in undeclared:
                continue
            if table.name in people:
                found.append(f"{table.name}.{column.name}: not declared (personal or other?)")
            elif looks_personal(column):
                found.append(f"{table.name}.{column.name}: looks personal, not declared")
    return found


def test_every_personal_looking_column_is_declared() -> None:
    assert problems(Base.metadata, declarations()) == []


def test_every_beneficiary_row_reaches_the_person() -> None:
    registry = declarations()
    for name, declared in registry.items():
        if declared.subject != Subject.BENEFICIARY:
            continue
        seen = {name}
        while declared.belongs_to is not None:
            table = Base.metadata.tables[declared.table]
            (fk,) = table.columns[declared.belongs_to].foreign_keys
            parent = registry[fk.column.table.name]
            assert parent.table not in seen, f"{name}: circular belongs_to"
            seen.add(parent.table)
            declared = parent
        keys = (declared.email_column, declared.phone_column)
        assert keys != (None, None), f"{name} never reaches a person's address or number"


def test_match_keys_are_contact_columns_and_numbers_come_from_the_person() -> None:
    """An address or number a row is matched by is declared personal contact data, and the
    person's table says where their numbers are (else a phone key would match nothing)."""
    registry = declarations()
    assert registry["beneficiary"].phone_column == "phone"
    for declared in registry.values():
        for key in (declared.email_column, declared.phone_column):
            if key is not None:
                personal = declared.personal.get(key)
                assert personal is not None, f"{declared.table}.{key}: key not personal"
                assert personal.kind == DataKind.CONTACT, f"{declared.table}.{key}: not a contact"


def test_the_outbox_is_matched_by_address_and_by_number() -> None:
    """An outbox row is an e-mail or an SMS (`to_address` is then an E.164 number): without
    both keys a person's SMS would escape their export and their erasure."""
    outbox = declarations()["outbox_message"]
    assert (outbox.email_column, outbox.phone_column) == ("to_address", "to_address")


def test_every_retention_is_a_setting_or_a_named_rule(tmp_path: Path) -> None:
    settings = config.load(tmp_path)
    for declared in declarations().values():
        for column, personal in declared.personal.items():
            assert personal.retention in settings or personal.retention in RULE_RETENTIONS, (
                f"{declared.table}.{column}: unknown retention {personal.retention}"
            )


def _copy() -> MetaData:
    metadata = MetaData()
    for t in Base.metadata.sorted_tables:
        t.to_metadata(metadata)
    return metadata


def _copy_with(extra: Column[object], table: str) -> MetaData:
    metadata = _copy()
    metadata.tables[table].append_column(extra)
    return metadata


@pytest.mark.parametrize(
    ("table", "column"),
    [
        # A new column of a person's table, whatever its name.
        ("beneficiary", Column("nationality_code", String(3))),
        ("unit", Column("score", String(3))),
        # A new free text anywhere.
        ("operator", Column("manager_remarks", Text)),
        # A new contact of an organisation's table still has to be classified.
        ("site", Column("contact_phone", String(20))),
        ("login_attempt", Column("user_agent", String(300))),
    ],
)
def test_a_new_undeclared_personal_column_fails(table: str, column: Column[object]) -> None:
    found = problems(_copy_with(column, table), declarations())
    assert len(found) == 1
    assert found[0].startswith(f"{table}.{column.name}: ")


def test_a_new_table_hanging_off_a_person_must_be_declared() -> None:
    metadata = _copy()
    Table(
        "unit_feedback",  # a table that does not exist (« complaint » does, since issue 12)
        metadata,
        Column("id", Integer, primary_key=True),
        Column("unit_id", ForeignKey("unit.id")),
        Column("status", String(10)),
    )
    assert problems(metadata, declarations()) == [
        "unit_feedback: holds a person's data but is not declared"
    ]

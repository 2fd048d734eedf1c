"""The registry of personal-data columns (RGPD art. 30): each domain declares its own.

A domain calls `declare(...)` once per table in its `personal_data.py` (imported by
`portal/models.py`), naming, for every column of a table that holds a person's data, either
what personal data it is (its kind, its purpose, what erasure does to it, the setting giving
its retention) or that it is not personal.
Export, erasure and the retention purge read this registry, never a list of their own, so a
column declared here is exported and erased the day it is added.

The rule checked by `tests/unit/test_privacy_registry.py`:
1. A table that holds a person's data (it has a personal column, or it hangs off such a table
   of the beneficiary by a foreign key) declares *every* column, personal or not: a new column
   there fails until someone says what it is.
2. Any column anywhere whose name or type looks like personal data (names, e-mail, phone, birth
   date, address, IP, user agent, free text, files, documents) is declared, personal or not
   (an organisation's phone number is declared « not personal » on purpose).
3. Every declared column exists.

This module imports no domain (the domains import it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement


class Subject(StrEnum):
    """Whose data it is."""

    BENEFICIARY = "beneficiary"  # the person who books and is accompanied
    STAFF = "staff"  # an operator's advisor or manager, the mediator, France compétences
    NOBODY = "nobody"  # organisations, anonymous statistics


class DataKind(StrEnum):
    IDENTITY = "identity"  # names
    CONTACT = "contact"  # e-mail address, phone number
    BIRTH_DATE = "birth_date"
    LOCATION = "location"  # an address, a commune of residence
    FREE_TEXT = "free_text"  # comments and notes a person or an advisor wrote
    DOCUMENT = "document"  # livrable contents, signed PDFs, scans
    CONNECTION = "connection"  # IP address, user agent
    MESSAGE = "message"  # e-mails and SMS sent to the person


class Purpose(StrEnum):
    """Why the portal holds it (the purposes of the privacy page)."""

    BOOKING = "booking"  # the first appointment and its follow-up (CCTP 3.3)
    ACCOMPANIMENT = "accompaniment"  # UO1, UO2.1, UO2.2 and their Annex 2 reporting
    SATISFACTION = "satisfaction"  # the survey after a unit (CCTP 4.1)
    SECURITY = "security"  # sign-in, abuse prevention
    STAFF_ACCOUNT = "staff_account"  # the staff's own accounts and agendas


class Erasure(StrEnum):
    """What erasing the person does to the column."""

    # Replaced by a placeholder; an e-mail by a pseudonymous address, one per person, so that
    # indicators counting people (6.8) still count them once.
    PSEUDONYMISE = "pseudonymise"
    # A date kept to its year (age groups of Annex 2 and statistics stay).
    GENERALISE = "generalise"
    # Emptied: NULL when the column allows it, else '', b'' or {}.
    BLANK = "blank"
    # The whole row is deleted (every personal column of such a table says DELETE).
    DELETE = "delete"
    # Erasure of a beneficiary leaves it: staff data, or data that numbers rely on and that
    # does not identify the person once the rest is gone (the commune of a request).
    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class Personal:
    kind: DataKind
    purpose: Purpose
    erasure: Erasure
    retention: str  # the name of the setting that bounds how long it is kept
    exported: bool = True  # False: left out of the person's JSON export (e.g. e-mail bodies)


@dataclass(frozen=True, slots=True)
class Declaration:
    table: str
    subject: Subject
    personal: Mapping[str, Personal]
    other: frozenset[str]  # columns that are not personal data
    secret: frozenset[str] = frozenset()  # not personal, never exported (token hashes, keys)
    # How a row reaches its person: a foreign-key column to a declared table, or None for the
    # person's own table and the tables matched by a key (`email_column`, `phone_column`).
    belongs_to: str | None = None
    email_column: str | None = None  # rows matched by the person's address (case-insensitive)
    # Rows matched by the person's phone numbers (E.164, compared as stored). On the person's
    # own table: where those numbers are read from.
    phone_column: str | None = None
    # Erasure of a beneficiary touches only these rows (e.g. their own signature, not the
    # advisor's); None: every row of the person.
    erase_only: ColumnElement[bool] | None = None
    note: str = ""

    @property
    def columns(self) -> frozenset[str]:
        return frozenset(self.personal) | self.other | self.secret

    @property
    def deletes_rows(self) -> bool:
        return any(p.erasure == Erasure.DELETE for p in self.personal.values())


_REGISTRY: dict[str, Declaration] = {}


def declare(
    model: Any,
    *,
    subject: Subject,
    personal: Mapping[str, Personal] | None = None,
    other: tuple[str, ...] = (),
    secret: tuple[str, ...] = (),
    belongs_to: str | None = None,
    email_column: str | None = None,
    phone_column: str | None = None,
    erase_only: ColumnElement[bool] | None = None,
    note: str = "",
) -> Declaration:
    """Declare the columns of `model`'s table (a mapped class or a `Table`)."""
    table = getattr(model, "__table__", model)
    personal = dict(personal or {})
    erasures = {p.erasure for p in personal.values()}
    if Erasure.DELETE in erasures and erasures != {Erasure.DELETE}:
        raise ValueError(f"{table.name}: a row is either deleted or kept, not both")
    overlap = (
        (set(personal) & set(other)) | (set(personal) & set(secret)) | (set(other) & set(secret))
    )
    if overlap:
        raise ValueError(f"{table.name}: declared twice: {sorted(overlap)}")
    declaration = Declaration(
        table=table.name,
        subject=subject,
        personal=personal,
        other=frozenset(other),
        secret=frozenset(secret),
        belongs_to=belongs_to,
        email_column=email_column,
        phone_column=phone_column,
        erase_only=erase_only,
        note=note,
    )
    _REGISTRY[table.name] = declaration
    return declaration


def declarations() -> dict[str, Declaration]:
    """Every declaration, by table name (import `portal.models` first to load them all)."""
    return dict(_REGISTRY)


def declaration(table: str) -> Declaration | None:
    return _REGISTRY.get(table)


def retention_settings() -> frozenset[str]:
    return frozenset(p.retention for d in _REGISTRY.values() for p in d.personal.values())


# Shorthands for the declarations of the domains.
@dataclass(frozen=True, slots=True)
class _For:
    purpose: Purpose
    retention: str

    def __call__(
        self, kind: DataKind, erasure: Erasure, *, exported: bool = True, retention: str = ""
    ) -> Personal:
        return Personal(kind, self.purpose, erasure, retention or self.retention, exported)


# The settings of portal/config.py that bound each purpose (read by the purge and the page).
BOOKING = _For(Purpose.BOOKING, "RETENTION_CONTACT_YEARS")
ACCOMPANIMENT = _For(Purpose.ACCOMPANIMENT, "RETENTION_ACCOMPANIMENT_YEARS")
SATISFACTION = _For(Purpose.SATISFACTION, "RETENTION_ACCOMPANIMENT_YEARS")
SECURITY = _For(Purpose.SECURITY, "RETENTION_SIGN_IN_LINK_DAYS")
STAFF = _For(Purpose.STAFF_ACCOUNT, "staff_account")

# Retentions set by a rule of another domain rather than a setting of this one (the privacy
# page words them); every other `retention` is the name of a setting of portal/config.py.
RULE_RETENTIONS = {
    # A staff account lives as long as the person works for the operator; its deactivation
    # is the operator's (the manager's) act.
    "staff_account",
    # E-mails: bodies purged by mail's job; metadata kept with the record they tell about.
    "mail_outbox",
}

__all__ = [
    "ACCOMPANIMENT",
    "BOOKING",
    "RULE_RETENTIONS",
    "SATISFACTION",
    "SECURITY",
    "STAFF",
    "DataKind",
    "Declaration",
    "Erasure",
    "Personal",
    "Purpose",
    "Subject",
    "declaration",
    "declarations",
    "declare",
    "retention_settings",
]

"""The declarative base shared by every domain's models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, DateTime, Dialect, Engine, MetaData, String, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from portal import clock

# Stable constraint names, so that Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now, timezone-aware; called per row, never evaluated once at import."""
    return clock.now()


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and read back timezone-aware, on SQLite as on PostgreSQL.

    SQLite has no time zones: SQLAlchemy's DateTime(timezone=True) would hand back naive
    values there, and comparing them with aware ones fails at run time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware moment")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def use_real_sqlite_transactions(
    engine: Engine,
    *,
    journal_mode: str = "WAL",
    busy_timeout_ms: int = 15_000,
    writes: Callable[[], bool] = lambda: False,
) -> None:
    """Let SQLAlchemy, not the sqlite3 module, open SQLite transactions, and let concurrent
    writers wait for each other rather than fail.

    Python's sqlite3 starts transactions lazily and treats SAVEPOINT as a transaction of its
    own, so RELEASE SAVEPOINT would commit. The booking's savepoints must roll back with the
    request (SQLAlchemy's documented recipe, "Serializable isolation / Savepoints").

    Concurrency: in WAL mode readers never block the writer, and `busy_timeout` makes a
    writer wait for the lock. A transaction that read first and writes later cannot wait,
    though: once another writer has committed, its snapshot is stale and SQLite fails at once
    (SQLITE_BUSY_SNAPSHOT, « database is locked »). So a transaction that is expected to
    write (`writes()`: a POST request) takes the write lock when it begins (BEGIN IMMEDIATE),
    and such transactions run one after the other; 20 bookings of one slot then give one
    winner and 19 « créneau pris », never a 500.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if journal_mode.isalpha():  # a setting: WAL, DELETE, TRUNCATE…
            cursor.execute(f"PRAGMA journal_mode = {journal_mode}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes() else "BEGIN")


class StrEnumType(TypeDecorator[Any]):
    """A `StrEnum` stored as its string value and read back as the enum member (a plain
    String column hands back a bare `str`, without the enum's properties)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(self.enum(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else self.enum(value)

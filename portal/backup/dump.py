"""Write a dated dump and its manifest; nothing is half-written (a `.part` file, then a
rename). PostgreSQL: the counts and chain heads are read in a REPEATABLE READ transaction
whose snapshot `pg_dump --snapshot` then dumps, so the manifest describes exactly the dump.
SQLite: the online backup API copies the database; the counts are read from the copy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL

from portal.backup.manifest import (
    Manifest,
    chain_heads,
    file_sha256,
    manifest_path,
    revision,
    table_counts,
)


class BackupError(Exception):
    """A dump could not be made (pg_dump missing or failing, an unwritable folder)."""


def make_backup(engine: Engine, directory: Path, *, now: datetime) -> Path:
    """Write `cep-<dialect>-<UTC stamp>.dump` and its manifest in `directory`; return the
    dump's path."""
    directory.mkdir(parents=True, exist_ok=True)
    dialect = engine.dialect.name
    dump = directory / f"cep-{dialect}-{now.strftime('%Y%m%dT%H%M%SZ')}.dump"
    partial = dump.with_name(dump.name + ".part")
    try:
        if dialect == "postgresql":
            counts, chains, rev = _pg_dump(engine, partial)
        elif dialect == "sqlite":
            counts, chains, rev = _sqlite_backup(engine, partial)
        else:
            raise BackupError(f"no backup for the {dialect} dialect")
        partial.replace(dump)
    finally:
        partial.unlink(missing_ok=True)
    Manifest(
        created_at=now.isoformat(),
        dialect=dialect,
        dump=dump.name,
        sha256=file_sha256(dump),
        size=dump.stat().st_size,
        revision=rev,
        counts=counts,
        chains=chains,
    ).write(manifest_path(dump))
    return dump


def libpq_command(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment (never
    on a command line that `ps` shows)."""
    args = ["--dbname", url.database or ""]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _pg_dump(
    engine: Engine, target: Path
) -> tuple[dict[str, int], dict[str, list[object]], str | None]:
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            counts = table_counts(connection)
            chains = chain_heads(connection)
            rev = revision(connection)
            args, env = libpq_command(engine.url)
            command = ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            try:
                # A fixed program, arguments from our own configuration, no shell.
                done = subprocess.run(  # noqa: S603
                    [*command, "--file", str(target), *args],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
            except FileNotFoundError as missing:
                raise BackupError("pg_dump is not installed") from missing
            if done.returncode != 0:
                raise BackupError(done.stderr.strip() or f"pg_dump exited {done.returncode}")
    return counts, chains, rev


def _sqlite_backup(
    engine: Engine, target: Path
) -> tuple[dict[str, int], dict[str, list[object]], str | None]:
    source = engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
        finally:
            copy.close()
    finally:
        source.close()
    copied = create_engine(f"sqlite:///{target}")
    try:
        with copied.connect() as connection:
            return table_counts(connection), chain_heads(connection), revision(connection)
    finally:
        copied.dispose()

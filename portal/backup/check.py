"""Restore a dump into a throwaway database and prove it whole: its checksum, the row count
of every table and the head of every evidence chain against the manifest, every chain
re-verified event by event in the restored copy, and every chain of the live source still
starting with the restored one (evidence is append-only: a backup is a prefix of today)."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from portal.backup.dump import BackupError, libpq_command
from portal.backup.manifest import (
    Manifest,
    chain_heads,
    file_sha256,
    manifest_path,
    table_counts,
)
from portal.esign.evidence import verify_all
from portal.esign.models import SignatureEvent


@dataclass
class CheckReport:
    dump: Path
    tables: int = 0
    rows: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def restore_check(source: Engine, dump: Path, *, into: str | None = None) -> CheckReport:
    """`into`: an empty database to restore into (PostgreSQL), when the source's role may
    not create one; otherwise a database is created beside the source and dropped after."""
    report = CheckReport(dump)
    manifest_file = manifest_path(dump)
    if not dump.is_file() or not manifest_file.is_file():
        raise BackupError(f"{dump} or its manifest {manifest_file.name} is missing")
    manifest = Manifest.read(manifest_file)
    if file_sha256(dump) != manifest.sha256:
        report.problems.append("the dump's SHA-256 differs from its manifest: the file changed")
        return report
    with _restored(manifest, dump, source, into) as restored:
        with restored.connect() as connection:
            counts, chains = table_counts(connection), chain_heads(connection)
        with Session(restored) as session:
            broken = [r for r in verify_all(session) if r.broken is not None]
        report.tables, report.rows, report.chains = len(counts), sum(counts.values()), len(chains)
        for table, expected in sorted(manifest.counts.items()):
            if counts.get(table) != expected:
                report.problems.append(
                    f"{table}: {counts.get(table)} rows restored, {expected} in the manifest"
                )
        if chains != manifest.chains:
            report.problems.append("the evidence chains' heads differ from the manifest")
        report.problems += [f"chain of version {r.version_id} broken: {r.broken}" for r in broken]
    report.problems += live_extends(source, manifest)
    return report


def live_extends(source: Engine, manifest: Manifest) -> list[str]:
    """Each chain of the backup must still be the start of the live one."""
    problems = []
    with Session(source) as session:
        for version_id, (length, head) in sorted(manifest.chains.items()):
            if not length:
                continue
            live = session.scalar(
                select(SignatureEvent.hash).where(
                    SignatureEvent.version_id == int(version_id),
                    SignatureEvent.sequence == length,
                )
            )
            if live != head:
                problems.append(
                    f"chain of version {version_id}: event #{length} of the live database "
                    "is not the one backed up"
                )
    return problems


@contextmanager
def _restored(manifest: Manifest, dump: Path, source: Engine, into: str | None) -> Iterator[Engine]:
    if manifest.dialect == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "restored.sqlite3"
            shutil.copyfile(dump, copy)
            engine = create_engine(f"sqlite:///{copy}")
            try:
                yield engine
            finally:
                engine.dispose()
        return
    if source.dialect.name != "postgresql" and into is None:
        raise BackupError("a PostgreSQL dump needs a PostgreSQL server: give --into")
    if into is not None:
        target = make_url(into)
        yield from _pg_restored(dump, target)
        return
    name = f"cep_restore_check_{secrets.token_hex(4)}"
    admin = source.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield from _pg_restored(dump, source.url.set(database=name))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _pg_restored(dump: Path, url: URL) -> Iterator[Engine]:
    args, env = libpq_command(url)
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    try:
        # A fixed program, arguments from our own configuration, no shell.
        done = subprocess.run(  # noqa: S603
            [*command, *args, str(dump)], env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as missing:
        raise BackupError("pg_restore is not installed") from missing
    if done.returncode != 0:
        raise BackupError(done.stderr.strip() or f"pg_restore exited {done.returncode}")
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()

"""Writing the Annex 2 export: the bytes (CSV or JSON Lines), the files of a day, the livrables
deposited beside them and the manifest.

Safe on several hosts: each (operator, day) is written under a PostgreSQL advisory lock, to a
temporary file renamed into place, so concurrent runs leave one file, never a half-written one.
Idempotent: no « generated at » inside any file, every query totally ordered; a file whose
bytes did not change is left untouched.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import operator
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.network.models import Operator
from portal.reporting.annex2 import (
    NOT_POSTGRESQL,
    Annex2Error,
    Period,
    livrable_filename,
    stream_rows,
)
from portal.reporting.annex2_columns import COLUMNS

FORMATS = {"csv": "csv", "json": "jsonl"}  # --format → file extension
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/x-ndjson; charset=utf-8"}
DELIMITER = ";"
OPERATOR_CODE = re.compile(r"[0-9A-Za-z]{2}")  # Annex 2: « OO », 2 alphanumerics
# Error codes (put into words by the CLI and the API).
BAD_DAY = "bad_day"
DAY_NOT_OVER = "day_not_over"
UNKNOWN_OPERATOR = "unknown_operator"
BAD_FORMAT = "bad_format"


@dataclass(frozen=True)
class Target:
    id: int
    code: str


def parse_day(value: str, today: date) -> date:
    """`AAAA-MM-JJ`, a day already over in France (today's export would change by tonight)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Annex2Error(BAD_DAY) from None
    if len(value) != 10:
        raise Annex2Error(BAD_DAY)
    if day >= today:
        raise Annex2Error(DAY_NOT_OVER)
    return day


def targets(session: Session, code: str | None) -> list[Target]:
    """The operators to export, by code order; one when `code` is given (else every one)."""
    query = select(Operator.id, Operator.code).order_by(Operator.code)
    if code is not None:
        if not OPERATOR_CODE.fullmatch(code.strip()):
            raise Annex2Error(UNKNOWN_OPERATOR)
        query = query.where(Operator.code == code.strip().upper())
    found = [Target(id, code) for id, code in session.execute(query)]
    if code is not None and not found:
        raise Annex2Error(UNKNOWN_OPERATOR)
    return found


def encode(rows: Iterable[dict[str, str]], fmt: str) -> Iterator[bytes]:
    """The file's bytes, a line at a time. CSV: UTF-8 without BOM, `;`, CRLF, a header line;
    JSON Lines: one object per line, keys in column order."""
    if fmt == "json":
        for row in rows:
            yield (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        return
    if fmt != "csv":
        raise Annex2Error(BAD_FORMAT)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[column] for column in COLUMNS])
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def data_filename(code: str, day: date, fmt: str) -> str:
    return f"annex2-{code}-{day.isoformat()}.{FORMATS[fmt]}"


def _lock(session: Session, key: str) -> None:
    session.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), {"key": key})


def _unlock(session: Session, key: str) -> None:
    session.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": key})


def write_atomically(path: Path, chunks: Iterable[bytes]) -> bool:
    """Write to a temporary file beside `path`, then rename it into place; False (and nothing
    touched) when `path` already holds these very bytes."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if path.exists() and sha256_of(path) == digest.hexdigest():
            os.unlink(temporary)
            return False
        os.replace(temporary, path)
        return True
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


LIVRABLES_SQL = """
SELECT u.number, u.closed_on, v.id AS version_id, v.number AS version
FROM unit u JOIN dossier d ON d.id = u.dossier_id
JOIN livrable l ON l.unit_id = u.id
JOIN livrable_version v ON v.livrable_id = l.id
WHERE d.operator_id = :operator AND u.closed_on = :day AND l.status = 'signed'
  AND v.voided_at IS NULL
  AND v.number = (SELECT max(v2.number) FROM livrable_version v2
                  WHERE v2.livrable_id = l.id AND v2.voided_at IS NULL)
ORDER BY u.number, v.number
"""
PDF_SQL = """
SELECT coalesce(sd.pdf, v.pdf) FROM livrable_version v
LEFT JOIN sealed_document sd ON sd.version_id = v.id WHERE v.id = :version
"""


def _deposit_livrables(session: Session, target: Target, day: date, directory: Path) -> None:
    """The PDF of each livrable whose unit closed that day, signed: the sealed copy when
    there is one, else the version's PDF (Annex 3, CCTP 2.1.2). One PDF in memory at a time."""
    found = session.execute(text(LIVRABLES_SQL), {"operator": target.id, "day": day}).all()
    for number, closed_on, version_id, version in found:
        pdf = session.scalar(text(PDF_SQL), {"version": version_id})
        name = livrable_filename(target.code, closed_on, number, version)
        write_atomically(directory / name, [pdf])


def export_day(
    session: Session, day: date, chosen: Sequence[Target], fmt: str, directory: Path
) -> list[Path]:
    """One file per operator (with only the header when nothing changed), the livrables
    closed that day beside them, and `manifest-<day>.json`. Returns the data files.

    One statement streams the day's rows of every chosen operator, ordered by operator code;
    each operator's rows go to its own file as they come. The operators' locks are taken in
    code order (no deadlock between a run for one operator and a run for all)."""
    if fmt not in FORMATS:
        raise Annex2Error(BAD_FORMAT)
    if session.get_bind().dialect.name != "postgresql":
        raise Annex2Error(NOT_POSTGRESQL)
    directory.mkdir(parents=True, exist_ok=True)
    keys = [f"annex2:{target.code}:{day.isoformat()}" for target in chosen]
    written = []
    for key in keys:
        _lock(session, key)
    try:
        rows = stream_rows(session, Period(day, day), [target.id for target in chosen])
        groups = itertools.groupby(rows, key=operator.itemgetter("operateur"))
        group = next(groups, None)
        for target in chosen:
            path = directory / data_filename(target.code, day, fmt)
            if group is not None and group[0] == target.code:
                write_atomically(path, encode(group[1], fmt))
                group = next(groups, None)
            else:
                write_atomically(path, encode(iter(()), fmt))
            written.append(path)
        for target in chosen:
            _deposit_livrables(session, target, day, directory)
    finally:
        for key in reversed(keys):
            _unlock(session, key)
    key = f"annex2-manifest:{day.isoformat()}"
    _lock(session, key)
    try:
        write_atomically(manifest_path(directory, day), [manifest_bytes(directory, day)])
    finally:
        _unlock(session, key)
    return written


def manifest_path(directory: Path, day: date) -> Path:
    return directory / f"manifest-{day.isoformat()}.json"


def count_rows(path: Path) -> int:
    if path.suffix == ".pdf":
        return 0
    with path.open(encoding="utf-8", newline="") as source:
        if path.suffix == ".csv":
            return max(sum(1 for _ in csv.reader(source, delimiter=DELIMITER)) - 1, 0)
        return sum(1 for line in source if line.strip())


def manifest_bytes(directory: Path, day: date) -> bytes:
    """Every file of the day in the folder (data files and livrables), by name: its size,
    rows (0 for a PDF) and SHA-256. Counted from the files themselves."""
    stamp = day.isoformat()
    names = sorted(
        p.name
        for p in directory.iterdir()
        if p.name.startswith("annex2-")
        and (p.name.endswith((f"-{stamp}.csv", f"-{stamp}.jsonl")) or f"-{stamp}-" in p.name)
        and p.suffix in (".csv", ".jsonl", ".pdf")
    )
    files = [
        {
            "name": name,
            "rows": count_rows(directory / name),
            "bytes": (directory / name).stat().st_size,
            "sha256": sha256_of(directory / name),
        }
        for name in names
    ]
    body = {"day": stamp, "columns": list(COLUMNS), "files": files}
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode()

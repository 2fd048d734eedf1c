"""The manifest written beside a dump: what the restored database must hold."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Connection, func, select, text

from portal.db import Base
from portal.esign.models import SignatureChain

MANIFEST_SUFFIX = ".manifest.json"


@dataclass
class Manifest:
    created_at: str  # ISO 8601, UTC
    dialect: str  # "postgresql" | "sqlite"
    dump: str  # the dump's file name, in the manifest's folder
    sha256: str
    size: int
    revision: str | None  # the Alembic revision of the source
    counts: dict[str, int] = field(default_factory=dict)
    # version id → [length, head hash] of each livrable version's evidence chain
    chains: dict[str, list[object]] = field(default_factory=dict)

    def write(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".part")
        temporary.write_text(json.dumps(asdict(self), indent=2, sort_keys=True) + "\n")
        temporary.replace(path)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text()))


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_counts(connection: Connection) -> dict[str, int]:
    """Rows of every table the models declare, as this connection's snapshot sees them."""
    return {
        table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


def chain_heads(connection: Connection) -> dict[str, list[object]]:
    rows = connection.execute(
        select(SignatureChain.version_id, SignatureChain.length, SignatureChain.head_hash)
    )
    return {str(row.version_id): [row.length, row.head_hash] for row in rows}


def revision(connection: Connection) -> str | None:
    value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)

"""The evidence chain of a livrable version: append an event, check the chain.

Each event stores the hash of the one before it (`prev_hash`) and its own `hash`: the
SHA-256 of a canonical serialisation (sorted keys, no spaces, UTF-8) of every column but the
row id. A row changed, deleted or moved without recomputing every later hash breaks the chain
at that row; the head (`signature_chain`) reveals a cut tail; the sealed certificate pins the
chain as it stood when the document was sealed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.esign.models import ActorKind, EventKind, SignatureChain, SignatureEvent
from portal.livrables.models import LivrableVersion
from portal.network.models import StaffMember
from portal.people.models import Beneficiary

GENESIS = "0" * 64  # the `prev_hash` of a chain's first event
FORMAT = 1  # the canonical serialisation's version, hashed with every event
IP_MAX = 45
USER_AGENT_MAX = 300


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a step came from, as the web request saw it (unknown from the command line)."""

    ip: str | None = None
    user_agent: str | None = None


def record_event(
    session: Session,
    *,
    version: LivrableVersion,
    kind: EventKind,
    now: datetime,
    staff: StaffMember | None = None,
    beneficiary: Beneficiary | None = None,
    origin: Origin | None = None,
    detail: dict[str, Any] | None = None,
) -> SignatureEvent:
    """Append one event to the version's chain. Flushes, never commits.

    Two events appended at once never fork the chain: the chain's head row is created if
    missing (INSERT … ON CONFLICT DO NOTHING) then locked (FOR UPDATE) until the caller's
    transaction ends; `UNIQUE (version_id, sequence)` stands behind it. An event never goes
    back in time along its chain: one that waited for the lock is dated no earlier than the
    event it follows."""
    if version.id is None:
        session.flush()
    head = _locked_head(session, version.id, now)
    at = max(now.astimezone(UTC), head.updated_at) if head.length else now.astimezone(UTC)
    origin = origin or Origin()
    row = SignatureEvent(
        version_id=version.id,
        sequence=head.length + 1,
        kind=kind,
        at=at,
        actor_kind=(
            ActorKind.STAFF if staff else ActorKind.BENEFICIARY if beneficiary else ActorKind.SYSTEM
        ),
        actor_staff_id=staff.id if staff else None,
        actor_beneficiary_id=beneficiary.id if beneficiary else None,
        ip=(origin.ip or None) and str(origin.ip)[:IP_MAX],
        user_agent=(origin.user_agent or None) and str(origin.user_agent)[:USER_AGENT_MAX],
        document_sha256=version.content_sha256,
        # Through JSON once, so that the hashed form is the one read back from the database.
        detail=json.loads(json.dumps(detail or {}, ensure_ascii=False)),
        prev_hash=head.head_hash,
    )
    row.hash = event_hash(row)
    session.add(row)
    head.length = row.sequence
    head.head_hash = row.hash
    head.updated_at = at
    session.flush()
    return row


def canonical(row: SignatureEvent, *, sequence: int | None = None) -> bytes:
    fields = {
        "format": FORMAT,
        "version_id": row.version_id,
        "sequence": row.sequence if sequence is None else sequence,
        "kind": str(row.kind),
        "at": row.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_kind": str(row.actor_kind),
        "actor_staff_id": row.actor_staff_id,
        "actor_beneficiary_id": row.actor_beneficiary_id,
        "ip": row.ip,
        "user_agent": row.user_agent,
        "document_sha256": row.document_sha256,
        "detail": row.detail,
        "prev_hash": row.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(row: SignatureEvent, *, sequence: int | None = None) -> str:
    return hashlib.sha256(canonical(row, sequence=sequence)).hexdigest()


def events_of(session: Session, version_id: int) -> list[SignatureEvent]:
    query = (
        select(SignatureEvent)
        .where(SignatureEvent.version_id == version_id)
        .order_by(SignatureEvent.sequence, SignatureEvent.id)
    )
    return list(session.scalars(query))


# --- Checking ---------------------------------------------------------------------------------


class BreakKind(StrEnum):
    ALTERED = "altered"  # a row's content no longer matches its hash, or a link was rewritten
    DELETED = "deleted"  # a row is missing: a gap in the sequence, or a cut tail
    REORDERED = "reordered"  # a row stands where another one was, or goes back in time
    INSERTED = "inserted"  # more rows than the head recorded


@dataclass(frozen=True, slots=True)
class Break:
    kind: BreakKind
    sequence: int  # the position in the chain where it breaks
    event_id: int | None
    reason: str

    def describe(self) -> str:
        row = f" (row id {self.event_id})" if self.event_id is not None else ""
        return f"{self.kind} at event #{self.sequence}{row}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ChainReport:
    version_id: int
    length: int
    head_hash: str
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(session: Session, version_id: int) -> ChainReport:
    """The chain of one version, intact or with the first place it breaks and why."""
    rows = events_of(session, version_id)
    head = session.get(SignatureChain, version_id, populate_existing=True)
    last = rows[-1].hash if rows else GENESIS
    broken = _first_break(rows) or _head_break(rows, head)
    return ChainReport(version_id, len(rows), last, broken)


def verify_all(session: Session, version_id: int | None = None) -> list[ChainReport]:
    if version_id is not None:
        return [verify_chain(session, version_id)]
    ids = set(session.scalars(select(SignatureEvent.version_id).distinct()))
    ids |= set(session.scalars(select(SignatureChain.version_id)))
    return [verify_chain(session, vid) for vid in sorted(ids)]


def _first_break(rows: list[SignatureEvent]) -> Break | None:
    by_hash = {row.hash: row for row in rows}
    previous: SignatureEvent | None = None
    for position, row in enumerate(rows, start=1):
        if event_hash(row) != row.hash:
            moved = next(
                (n for n in range(1, len(rows) + 2) if n != row.sequence and _hashes_as(row, n)),
                None,
            )
            if moved is not None:
                why = f"the event recorded as #{moved} now stands as #{row.sequence}"
                return Break(BreakKind.REORDERED, position, row.id, why)
            why = "its content no longer matches its hash (a column was changed)"
            return Break(BreakKind.ALTERED, position, row.id, why)
        if row.sequence != position:
            missing = f"#{position}" + (
                f"–#{row.sequence - 1}" if row.sequence - 1 > position else ""
            )
            why = f"event {missing} is missing before this one (deleted)"
            return Break(BreakKind.DELETED, position, row.id, why)
        expected = previous.hash if previous else "0" * 64
        if row.prev_hash != expected:
            if row.prev_hash in by_hash:
                why = f"it follows event #{by_hash[row.prev_hash].sequence}, not #{position - 1}"
                return Break(BreakKind.REORDERED, position, row.id, why)
            why = f"it points to an event that is not #{position - 1} (replaced or deleted)"
            return Break(BreakKind.ALTERED, position, row.id, why)
        if previous is not None and row.at < previous.at:
            why = f"it is dated before event #{position - 1}"
            return Break(BreakKind.REORDERED, position, row.id, why)
        previous = row
    return None


def _hashes_as(row: SignatureEvent, sequence: int) -> bool:
    return event_hash(row, sequence=sequence) == row.hash


def _head_break(rows: list[SignatureEvent], head: SignatureChain | None) -> Break | None:
    if not rows:
        if head is not None and head.length:
            why = f"all {head.length} events of the chain are missing (deleted)"
            return Break(BreakKind.DELETED, 1, None, why)
        return None
    if head is None:
        return Break(BreakKind.DELETED, len(rows), None, "the chain's head row is missing")
    if head.length > len(rows):
        last = f"#{len(rows) + 1}" + (f"–#{head.length}" if head.length > len(rows) + 1 else "")
        why = f"event {last} at the end of the chain is missing (deleted)"
        return Break(BreakKind.DELETED, len(rows) + 1, None, why)
    if head.length < len(rows):
        why = f"the chain records {head.length} events; this one was added behind its back"
        return Break(BreakKind.INSERTED, head.length + 1, rows[head.length].id, why)
    if head.head_hash != rows[-1].hash:
        why = "the last event is not the one the chain's head recorded (replaced)"
        return Break(BreakKind.ALTERED, len(rows), rows[-1].id, why)
    return None


def _locked_head(session: Session, version_id: int, now: datetime) -> SignatureChain:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(SignatureChain)
        .values(version_id=version_id, length=0, head_hash=GENESIS, updated_at=now)
        .on_conflict_do_nothing(index_elements=["version_id"])
    )
    query = (
        select(SignatureChain)
        .where(SignatureChain.version_id == version_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.execute(query).scalar_one()


__all__ = [
    "GENESIS",
    "Break",
    "BreakKind",
    "ChainReport",
    "Origin",
    "canonical",
    "event_hash",
    "events_of",
    "record_event",
    "verify_all",
    "verify_chain",
]

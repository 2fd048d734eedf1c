"""What the « Preuves » panel shows of a livrable, whatever its signing method (issue 11 §5).

Per version, newest first: every event of its chain in order (when, what, who, from where,
through which channel), the document's SHA-256, the chain's status from `verify_chain`, the
sealed document when there is one, and the paper copies asked for by post. Plain data: the
words people read are the web layer's (`portal.esign.texts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.esign.copies import copy_requests_of
from portal.esign.evidence import ChainReport, events_of, verify_chain
from portal.esign.models import ActorKind, EventKind, PaperCopyRequest, SealedDocument
from portal.livrables.models import Livrable, LivrableVersion
from portal.network.models import StaffMember

USER_AGENT_SHORT = 40  # what is left of an unknown user agent


@dataclass(frozen=True, slots=True)
class ProofEvent:
    sequence: int
    kind: EventKind
    at: datetime  # UTC
    actor: ActorKind
    staff_name: str | None  # when a staff member acted
    ip: str | None
    user_agent: str | None  # short: « Firefox 140 · Windows »
    user_agent_full: str | None
    channel: str | None  # "sms", "email", "post" when the detail names one
    party: str | None  # "advisor" or "beneficiary" when the detail names one
    document_sha256: str
    detail: dict[str, Any]


@dataclass(slots=True)
class VersionProofs:
    version_id: int
    number: int
    frozen_at: datetime
    voided_at: datetime | None
    document_sha256: str
    chain: ChainReport
    events: list[ProofEvent] = field(default_factory=list)
    sealed: SealedDocument | None = None
    copies: list[PaperCopyRequest] = field(default_factory=list)

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def pending_copies(self) -> list[PaperCopyRequest]:
        return [copy for copy in self.copies if copy.pending]


def proofs_of(session: Session, livrable: Livrable) -> list[VersionProofs]:
    """Every version of the livrable, newest first (a version printed before the evidence
    existed shows an empty chain, intact)."""
    versions: list[LivrableVersion] = sorted(livrable.versions, key=lambda v: -v.number)
    ids = [version.id for version in versions]
    copies = copy_requests_of(session, ids)
    sealed = {
        row.version_id: row
        for row in session.scalars(select(SealedDocument).where(SealedDocument.version_id.in_(ids)))
    }
    rows = {version.id: events_of(session, version.id) for version in versions}
    staff_ids = {row.actor_staff_id for chain in rows.values() for row in chain}
    staff_ids.discard(None)
    names = {
        member.id: member.full_name
        for member in session.scalars(select(StaffMember).where(StaffMember.id.in_(staff_ids)))
    }
    proofs = []
    for version in versions:
        proofs.append(
            VersionProofs(
                version_id=version.id,
                number=version.number,
                frozen_at=version.frozen_at,
                voided_at=version.voided_at,
                document_sha256=version.content_sha256,
                chain=verify_chain(session, version.id),
                events=[
                    ProofEvent(
                        sequence=row.sequence,
                        kind=EventKind(row.kind),
                        at=row.at,
                        actor=ActorKind(row.actor_kind),
                        staff_name=names.get(row.actor_staff_id) if row.actor_staff_id else None,
                        ip=row.ip,
                        user_agent=short_user_agent(row.user_agent),
                        user_agent_full=row.user_agent,
                        channel=_text(row.detail, "channel"),
                        party=_text(row.detail, "party"),
                        document_sha256=row.document_sha256,
                        detail=dict(row.detail or {}),
                    )
                    for row in rows[version.id]
                ],
                sealed=sealed.get(version.id),
                copies=[copy for copy in copies if copy.version_id == version.id],
            )
        )
    return proofs


def _text(detail: dict[str, Any] | None, key: str) -> str | None:
    value = (detail or {}).get(key)
    return value if isinstance(value, str) and value else None


# --- A user agent in a few words ----------------------------------------------------------------

_BROWSERS = (  # the first that matches names it: Edge and Opera also say « Chrome »
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"OPR/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
    ("curl", re.compile(r"^curl/(\d+)")),
)
_SYSTEMS = (
    ("Android", re.compile(r"Android")),
    ("iOS", re.compile(r"iPhone|iPad|iPod")),
    ("Windows", re.compile(r"Windows")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("Linux", re.compile(r"Linux|X11")),
)


def short_user_agent(user_agent: str | None) -> str | None:
    """« Firefox 140 · Windows »; an unknown one cut to its first characters."""
    if not user_agent:
        return None
    browser = next(
        (f"{name} {m.group(1)}" for name, rx in _BROWSERS if (m := rx.search(user_agent))), None
    )
    system = next((name for name, rx in _SYSTEMS if rx.search(user_agent)), None)
    if browser is None:
        cut = user_agent[:USER_AGENT_SHORT]
        return cut + ("…" if len(user_agent) > USER_AGENT_SHORT else "")
    return f"{browser} · {system}" if system else browser


__all__ = ["ProofEvent", "VersionProofs", "proofs_of", "short_user_agent"]

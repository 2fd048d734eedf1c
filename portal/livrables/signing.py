"""Signing a livrable, paper first (CCTP 2.1.2, 2.1.3): named transitions.

    draft ──freeze──▶ frozen ──both signatures (+ the scan on paper)──▶ signed: the unit closes
      ▲                 │
      └────reopen───────┘  (only while nobody signed)

Freezing prints the draft into a `LivrableVersion` (content copy, SHA-256, PDF); signatures
and the scan attach to that version. The unit closes at the beneficiary's signature date
(`close_unit`), and the beneficiary receives their copy. The online signature of a later
issue records `Signature.method = ELECTRONIC` with its evidence and goes through the same
transitions: only `needs_scan` knows that paper needs a scan. The closure reason chosen
with the beneficiary's signature is kept in `Signature.closure_reason`.

Every function flushes, never commits, and raises `SigningError` with a code. The rules and
checks live in `portal.livrables.signing_checks`; their public names are re-exported here.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.closing import close_unit
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import ClosureKind
from portal.db import utcnow
from portal.esign import paper as evidence
from portal.esign.evidence import Origin
from portal.events import LivrableSigned, VersionVoided, publish
from portal.livrables.content import content_hash
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableStatus,
    LivrableVersion,
    Signature,
    SignatureMethod,
    SignatureParty,
    SignedScan,
)
from portal.livrables.signing_checks import (
    SCAN_MAX_BYTES,
    SCAN_TYPES,
    Missing,
    SigningError,
    SigningErrorCode,
    can_reopen,
    check_date,
    check_reason,
    check_signer_name,
    clean_filename,
    freeze_day,
    is_complete,
    missing_for_printing,
    needs_scan,
    scan_type,
    voluntary_reasons,
)
from portal.network.models import StaffMember

# --- Transitions ------------------------------------------------------------------------------


def freeze_for_signature(
    session: Session,
    livrable: Livrable,
    *,
    by: StaffMember,
    now: datetime,
    draft_number: int | None = None,
    origin: Origin | None = None,
) -> LivrableVersion:
    """Print the draft for signature: a new version with a copy of the content, its hash and
    its PDF. Refused while the unit's Annex 2 data or the livrable's sections are missing.
    `draft_number`, when given, is the draft the advisor saw (a newer save is refused)."""
    lock_livrable(session, livrable)
    if livrable.status != LivrableStatus.DRAFT:
        raise SigningError(SigningErrorCode.NOT_DRAFT)
    unit = livrable.unit
    if not unit.is_open:
        raise SigningError(SigningErrorCode.UNIT_CLOSED)
    if draft_number is not None and draft_number != livrable.draft_number:
        raise SigningError(SigningErrorCode.STALE_DRAFT)
    missing = missing_for_printing(livrable)
    if missing:
        raise SigningError(SigningErrorCode.INCOMPLETE, missing.keys)
    number = max((v.number for v in livrable.versions), default=0) + 1
    content = copy.deepcopy(livrable.content)
    sha256 = content_hash(unit.number, LivrableKind(livrable.kind), number, content)
    from portal.livrables.pdf import livrable_pdf

    pdf = livrable_pdf(session, livrable, number=number, sha256=sha256, at=now, content=content)
    previous = livrable.versions[-1] if livrable.versions else None
    version = LivrableVersion(
        livrable=livrable,
        number=number,
        # The advisor's choice of method carries over to the corrected text.
        method=previous.method if previous is not None else SignatureMethod.PAPER,
        content=content,
        content_sha256=sha256,
        pdf=pdf,
        frozen_at=now,
        frozen_by_id=by.id,
    )
    session.add(version)
    livrable.status = LivrableStatus.FROZEN
    session.flush()
    evidence.printed(session, version, by=by, origin=origin)
    return version


def reopen_draft(
    session: Session,
    livrable: Livrable,
    *,
    by: StaffMember,
    now: datetime,
    origin: Origin | None = None,
) -> LivrableVersion:
    """Take the printed text back to the draft, as long as nobody signed it: its version is
    voided (kept, never reused) and the next printing makes a new one."""
    lock_livrable(session, livrable)
    version = livrable.current_version
    if livrable.status != LivrableStatus.FROZEN or version is None:
        raise SigningError(SigningErrorCode.NOT_FROZEN)
    if not can_reopen(livrable):
        raise SigningError(SigningErrorCode.ALREADY_SIGNED)
    version.voided_at = now
    livrable.status = LivrableStatus.DRAFT
    livrable.updated_by_id = by.id
    session.flush()
    evidence.voided(session, version, by=by, origin=origin)
    publish(session, VersionVoided(livrable.id, version.id, now, by.id))  # esign withdraws
    return version


def record_signature(
    session: Session,
    version: LivrableVersion,
    *,
    party: SignatureParty,
    signed_on: date,
    signer_name: str,
    by: StaffMember | None,
    today: date,
    method: SignatureMethod = SignatureMethod.PAPER,
    reason: str | None = None,
    origin: Origin | None = None,
    identification: str | None = None,
) -> Signature:
    """Record one party's signature of the printed version (recorded again: corrected).

    Its date is neither before the engagement nor before the printing, nor in the future;
    the beneficiary's is not after the unit's deadline either, since the unit closes on it.
    The closure reason is chosen with the beneficiary's signature (voluntary codes only).
    `method` must be the version's (`LivrableVersion.method`); `identification` says, for the
    evidence, how an online signer was identified."""
    livrable = _signable(session, version)
    if method != version.method:
        raise SigningError(SigningErrorCode.WRONG_METHOD)
    unit = livrable.unit
    beneficiary = party == SignatureParty.BENEFICIARY
    check_date(signed_on, version, unit, today, beneficiary=beneficiary)
    name = check_signer_name(signer_name)
    closure_reason = check_reason(session, reason) if beneficiary else None
    signature = version.signature_of(party)
    if signature is None:
        signature = Signature(version=version, party=party)
        session.add(signature)
    signature.method = method
    signature.signer_name = name
    signature.signed_on = signed_on
    signature.recorded_by_id = by.id if by else None
    signature.closure_reason = closure_reason
    session.flush()
    evidence.dates_recorded(
        session, signature, by=by, now=utcnow(), origin=origin, identification=identification
    )
    return signature


def attach_scan(
    session: Session,
    version: LivrableVersion,
    *,
    filename: str,
    data: bytes,
    by: StaffMember,
    max_bytes: int = SCAN_MAX_BYTES,
    origin: Origin | None = None,
) -> SignedScan:
    """The scan of the paper both parties signed: PDF, JPEG or PNG (told by its first bytes,
    then opened whole), at most `max_bytes`. Every upload is kept, with its SHA-256, time and
    uploader; the latest is the version's scan, until the unit closes."""
    _signable(session, version)
    content_type, extension = scan_type(data, max_bytes)
    scan = SignedScan(
        filename=clean_filename(filename, extension),
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=by.id,
        uploaded_at=utcnow(),
    )
    version.scans.append(scan)
    session.flush()
    evidence.scan_uploaded(session, scan, by=by, origin=origin)
    return scan


def complete_if_signed(
    session: Session,
    livrable: Livrable,
    *,
    by: StaffMember | None,
    today: date,
    reason: str | None = None,
) -> bool:
    """Once both parties signed (and, on paper, the scan is in): the livrable is signed, its
    unit closes at the beneficiary's signature date, and the beneficiary gets their copy by
    e-mail and in their space. `reason` defaults to the one chosen with the beneficiary's
    signature. False (nothing changed) while something is still missing."""
    lock_livrable(session, livrable)
    version = livrable.current_version
    if livrable.status != LivrableStatus.FROZEN or version is None or not is_complete(version):
        return False
    signature = version.signature_of(SignatureParty.BENEFICIARY)
    assert signature is not None  # is_complete
    chosen = reason or signature.closure_reason
    try:
        close_unit(
            session,
            livrable.unit,
            kind=ClosureKind.SIGNED,
            closed_on=signature.signed_on,
            reason=str(chosen or ""),
            today=today,
            by=by,
        )
    except UnitError as error:
        raise SigningError(_FROM_UNIT_ERROR.get(error.code, SigningErrorCode.NOT_FROZEN)) from error
    livrable.status = LivrableStatus.SIGNED
    session.flush()
    publish(session, LivrableSigned(livrable.id, version.id, utcnow()))  # sealed, copy sent
    return True


# --- Helpers ----------------------------------------------------------------------------------

_FROM_UNIT_ERROR = {
    UnitErrorCode.UNIT_CLOSED: SigningErrorCode.UNIT_CLOSED,
    UnitErrorCode.DATE_IN_FUTURE: SigningErrorCode.DATE_IN_FUTURE,
    UnitErrorCode.DATE_BEFORE_START: SigningErrorCode.DATE_BEFORE_ENGAGEMENT,
    UnitErrorCode.DATE_AFTER_DEADLINE: SigningErrorCode.DATE_AFTER_DEADLINE,
    UnitErrorCode.NOT_VOLUNTARY_REASON: SigningErrorCode.REASON_NOT_VOLUNTARY,
}


def lock_livrable(session: Session, livrable: Livrable) -> None:
    """One transition at a time on a livrable (two advisors, two tabs): re-read its row
    locked on PostgreSQL (SQLite writes one transaction at a time anyway)."""
    if livrable.id is not None:
        session.execute(
            select(Livrable.id).where(Livrable.id == livrable.id).with_for_update()
        ).one()
        session.refresh(livrable, ["status", "draft_number"])


def _signable(session: Session, version: LivrableVersion) -> Livrable:
    livrable = version.livrable
    lock_livrable(session, livrable)
    if not livrable.unit.is_open:
        raise SigningError(SigningErrorCode.UNIT_CLOSED)
    if livrable.status != LivrableStatus.FROZEN:
        raise SigningError(SigningErrorCode.NOT_FROZEN)
    if version.voided_at is not None or livrable.current_version is not version:
        raise SigningError(SigningErrorCode.NOT_CURRENT_VERSION)
    return livrable


__all__ = [
    "SCAN_MAX_BYTES",
    "SCAN_TYPES",
    "Missing",
    "SigningError",
    "SigningErrorCode",
    "attach_scan",
    "can_reopen",
    "check_date",
    "check_reason",
    "check_signer_name",
    "clean_filename",
    "complete_if_signed",
    "freeze_day",
    "freeze_for_signature",
    "is_complete",
    "lock_livrable",
    "missing_for_printing",
    "needs_scan",
    "record_signature",
    "reopen_draft",
    "scan_type",
    "voluntary_reasons",
]

"""A paper copy by post (CCTP 2.1.2: the livrable is handed to the person, paper stays
possible): the person asks from their space, the advisor posts it and says so.

The address is kept in `paper_copy_request`, never in the evidence chain: the
PAPER_COPY_REQUESTED event names the request's id, and the COPY_DELIVERED event that closes
it says `{"channel": "post", "request_id": …}`. Erasing the person blanks the address and
leaves the chain whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.esign.evidence import Origin, record_event
from portal.esign.models import EventKind, PaperCopyRequest
from portal.livrables.models import LivrableStatus, LivrableVersion
from portal.network.models import StaffMember
from portal.people.models import Beneficiary


class CopyErrorCode(StrEnum):
    NOT_AVAILABLE = "not_available"  # voided, a draft again, or the unit closed unsigned
    PENDING = "pending"  # a request for this version waits to be posted
    ALREADY_SENT = "already_sent"
    INCOMPLETE = "incomplete"  # an address without a street line, postcode or town


class CopyError(Exception):
    def __init__(self, code: CopyErrorCode) -> None:
        super().__init__(str(code))
        self.code = code


@dataclass(frozen=True, slots=True)
class PostalAddress:
    lines: tuple[str, ...]  # number and street first, then any complement
    postcode: str
    town: str

    @classmethod
    def of(cls, lines: list[str], postcode: str, town: str) -> PostalAddress:
        kept = tuple(line.strip() for line in lines if line and line.strip())
        return cls(kept, postcode.strip(), town.strip())


def copy_available(version: LivrableVersion) -> bool:
    """A copy is for the version that counts: signed, or printed and still waiting for its
    signatures in an open unit."""
    livrable = version.livrable
    if version.voided_at is not None or livrable.current_version is not version:
        return False
    if livrable.status == LivrableStatus.SIGNED:
        return True
    return livrable.status == LivrableStatus.FROZEN and livrable.unit.is_open


def pending_request(session: Session, version_id: int) -> PaperCopyRequest | None:
    return session.scalar(
        select(PaperCopyRequest).where(
            PaperCopyRequest.version_id == version_id, PaperCopyRequest.sent_at.is_(None)
        )
    )


def copy_requests_of(session: Session, version_ids: list[int]) -> list[PaperCopyRequest]:
    """Every request of these versions, oldest first."""
    if not version_ids:
        return []
    query = (
        select(PaperCopyRequest)
        .where(PaperCopyRequest.version_id.in_(version_ids))
        .order_by(PaperCopyRequest.requested_at, PaperCopyRequest.id)
    )
    return list(session.scalars(query))


def last_address(session: Session, beneficiary_id: int) -> PostalAddress | None:
    """The address of the person's latest request (not erased): the form starts from it."""
    last = session.scalar(
        select(PaperCopyRequest)
        .where(PaperCopyRequest.beneficiary_id == beneficiary_id, PaperCopyRequest.town != "")
        .order_by(PaperCopyRequest.id.desc())
        .limit(1)
    )
    if last is None:
        return None
    return PostalAddress(tuple(last.address_lines.splitlines()), last.postcode, last.town)


def request_paper_copy(
    session: Session,
    *,
    version: LivrableVersion,
    beneficiary: Beneficiary,
    address: PostalAddress,
    now: datetime,
    origin: Origin | None = None,
) -> PaperCopyRequest:
    """Record the request and its evidence event. Flushes, never commits. The partial unique
    index on pending requests stands behind the PENDING check when two arrive at once."""
    if not copy_available(version):
        raise CopyError(CopyErrorCode.NOT_AVAILABLE)
    if not address.lines or not address.postcode or not address.town:
        raise CopyError(CopyErrorCode.INCOMPLETE)
    if pending_request(session, version.id) is not None:
        raise CopyError(CopyErrorCode.PENDING)
    request = PaperCopyRequest(
        version_id=version.id,
        beneficiary_id=beneficiary.id,
        address_lines="\n".join(address.lines),
        postcode=address.postcode,
        town=address.town,
        requested_at=now,
    )
    try:
        with session.begin_nested():
            session.add(request)
    except IntegrityError:  # another request for this version was recorded meanwhile
        raise CopyError(CopyErrorCode.PENDING) from None
    record_event(
        session,
        version=version,
        kind=EventKind.PAPER_COPY_REQUESTED,
        now=now,
        beneficiary=beneficiary,
        origin=origin,
        detail={"channel": "post", "request_id": request.id},
    )
    return request


def mark_copy_sent(
    session: Session,
    request: PaperCopyRequest,
    *,
    by: StaffMember,
    now: datetime,
    origin: Origin | None = None,
) -> PaperCopyRequest:
    """The advisor posted the copy: the request is closed and the delivery is evidence."""
    if request.sent_at is not None:
        raise CopyError(CopyErrorCode.ALREADY_SENT)
    request.sent_at = now
    request.sent_by_id = by.id
    session.flush()
    record_event(
        session,
        version=request.version,
        kind=EventKind.COPY_DELIVERED,
        now=now,
        staff=by,
        origin=origin,
        detail={"channel": "post", "request_id": request.id},
    )
    return request


__all__ = [
    "CopyError",
    "CopyErrorCode",
    "PostalAddress",
    "copy_available",
    "copy_requests_of",
    "last_address",
    "mark_copy_sent",
    "pending_request",
    "request_paper_copy",
]

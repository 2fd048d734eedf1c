"""Signing a livrable online (issue 11 §2): named transitions over a `SignatureRequest`.

    choose_method ──▶ sign_as_advisor (password) ──▶ request_signature ──▶ send_code
                                                        │   (link by e-mail, or QR code)
                                                        ▼
                            withdraw / expire ◀── pending ──▶ sign_as_beneficiary ──▶ signed

The advisor signs first, in their signed-in session, with their password (checked by the
web layer through `portal.auth.services.authenticate`, throttled like a sign-in). The
beneficiary then signs with the link (sent by e-mail, or shown as a QR code during the
session) and a six-digit code sent to their phone, or by e-mail when no mobile is on file.
Both signatures go through `portal.livrables.signing.record_signature` with
`SignatureMethod.ELECTRONIC`, and the unit closes through `complete_if_signed`, as on paper.

Every step is an evidence event (`portal.esign.evidence`). Functions flush, never commit, and
raise `OnlineSigningError`; when `error.keep` is true the caller commits anyway (a failed
code counts, an expiry is recorded).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.esign import codes
from portal.esign.evidence import Origin, events_of, record_event
from portal.esign.models import (
    EventKind,
    RequestStatus,
    SignatureRequest,
    SigningPlace,
)
from portal.esign.online_code import send_code, sign_as_beneficiary
from portal.esign.online_state import (
    CodeSent,
    OnlineErrorCode,
    OnlineSigningError,
    check_current,
    check_online,
    check_usable,
    end_of_day,
    expire,
    iso_expiry,
)
from portal.livrables import signing
from portal.livrables.models import (
    LivrableVersion,
    SignatureMethod,
    SignatureParty,
)
from portal.network.models import StaffMember

# --- Method and advisor ----------------------------------------------------------------------


def choose_method(
    session: Session,
    version: LivrableVersion,
    method: SignatureMethod,
    *,
    by: StaffMember,
    now: datetime,
    origin: Origin | None = None,
) -> None:
    """« Signature en ligne » or « Signature sur papier », while nobody signed."""
    check_current(session, version)
    if version.method == method:
        return
    if version.signatures or version.scan is not None:
        raise OnlineSigningError(OnlineErrorCode.ALREADY_SIGNED)
    version.method = method
    session.flush()
    record_event(
        session,
        version=version,
        kind=EventKind.METHOD_CHOSEN,
        now=now,
        staff=by,
        origin=origin,
        detail={"method": str(method)},
    )


def sign_as_advisor(
    session: Session,
    version: LivrableVersion,
    *,
    by: StaffMember,
    today: date,
    origin: Origin | None = None,
) -> None:
    """The advisor's online signature; their password was checked by the caller."""
    check_online(session, version)
    signing.record_signature(
        session,
        version,
        party=SignatureParty.ADVISOR,
        signed_on=today,
        signer_name=by.full_name,
        by=by,
        today=today,
        method=SignatureMethod.ELECTRONIC,
        origin=origin,
        identification="session+password",
    )


# --- The beneficiary's request ---------------------------------------------------------------


def request_signature(
    session: Session,
    version: LivrableVersion,
    *,
    by: StaffMember,
    place: SigningPlace,
    reason: str,
    now: datetime,
    origin: Origin | None = None,
) -> SignatureRequest:
    """Ask the beneficiary to sign: a new request (any pending one is withdrawn, its link
    dead), valid until the end of the unit's deadline day. The caller sends the link
    (`LINK_SENT`) or shows it as a QR code."""
    livrable = check_online(session, version)
    if version.signature_of(SignatureParty.ADVISOR) is None:
        raise OnlineSigningError(OnlineErrorCode.ADVISOR_FIRST)
    if version.signature_of(SignatureParty.BENEFICIARY) is not None:
        raise OnlineSigningError(OnlineErrorCode.ALREADY_SIGNED)
    reason = signing.check_reason(session, reason)
    withdraw_pending(session, version, why="new_request", now=now, by=by, origin=origin)
    unit = livrable.unit
    request = SignatureRequest(
        version=version,
        beneficiary=unit.dossier.beneficiary,
        place=place,
        status=RequestStatus.PENDING,
        nonce=codes.new_nonce(),
        closure_reason=reason,
        created_at=now,
        created_by_id=by.id,
        expires_at=end_of_day(unit.deadline),
        code_failures=0,
    )
    session.add(request)
    session.flush()
    record_event(
        session,
        version=version,
        kind=EventKind.REQUESTED,
        now=now,
        staff=by,
        origin=origin,
        detail={"request": request.id, "place": str(place), "expires_at": iso_expiry(request)},
    )
    return request


def link_sent(
    session: Session, request: SignatureRequest, *, outbox_id: int, now: datetime
) -> None:
    record_event(
        session,
        version=request.version,
        kind=EventKind.LINK_SENT,
        now=now,
        detail={"request": request.id, "channel": "email", "outbox_id": outbox_id},
    )


def pending_request(session: Session, version: LivrableVersion) -> SignatureRequest | None:
    return session.scalars(
        select(SignatureRequest).where(
            SignatureRequest.version_id == version.id,
            SignatureRequest.status == RequestStatus.PENDING,
        )
    ).first()


def find_request(session: Session, secret_key: str, token: str) -> SignatureRequest | None:
    """The request a link names, or None for a link this portal never made."""
    try:
        request_id, nonce = codes.read_token(secret_key, token)
    except codes.BadToken:
        return None
    request = session.get(SignatureRequest, request_id)
    return request if request is not None and request.nonce == nonce else None


def open_request(
    session: Session, request: SignatureRequest, *, now: datetime, origin: Origin | None = None
) -> None:
    """The person opened the link: recorded (a reload right after is not recorded again).
    Raises, with `keep`, for a request that can no longer be signed."""
    check_usable(session, request, now)
    events = events_of(session, request.version_id)
    last = events[-1] if events else None
    if last and last.kind == EventKind.OPENED and last.detail.get("request") == request.id:
        return
    record_event(
        session,
        version=request.version,
        kind=EventKind.OPENED,
        now=now,
        beneficiary=request.beneficiary,
        origin=origin,
        detail={"request": request.id, "place": str(request.place)},
    )


def was_opened(session: Session, request: SignatureRequest) -> bool:
    """Whether the person went past the link's « Continuer » page (`open_request`): only
    then does a plain GET show the document and the signing steps (issue 14, mail scanners)."""
    return any(
        event.kind == EventKind.OPENED and event.detail.get("request") == request.id
        for event in events_of(session, request.version_id)
    )


# --- Ending a request ------------------------------------------------------------------------


def withdraw_pending(
    session: Session,
    version: LivrableVersion,
    *,
    why: str,
    now: datetime,
    by: StaffMember | None = None,
    origin: Origin | None = None,
) -> list[SignatureRequest]:
    """Withdraw the pending requests of a version (`why`: "new_version", "new_request",
    "paper", "advisor"); their links die. Returns them, for the caller to tell the person."""
    withdrawn = []
    for request in session.scalars(
        select(SignatureRequest).where(
            SignatureRequest.version_id == version.id,
            SignatureRequest.status == RequestStatus.PENDING,
        )
    ):
        request.status = RequestStatus.WITHDRAWN
        request.code_hmac = None
        request.ended_at = now
        record_event(
            session,
            version=version,
            kind=EventKind.REQUEST_WITHDRAWN,
            now=now,
            staff=by,
            origin=origin,
            detail={"request": request.id, "why": why},
        )
        withdrawn.append(request)
    session.flush()
    return withdrawn


def expire_requests(session: Session, *, now: datetime) -> int:
    """Pending requests past their unit's deadline become expired (idempotent: cron on
    several hosts; each row is locked, a row another host holds is skipped)."""
    query = (
        select(SignatureRequest)
        .where(SignatureRequest.status == RequestStatus.PENDING, SignatureRequest.expires_at < now)
        .order_by(SignatureRequest.id)
    )
    if session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update(skip_locked=True)
    count = 0
    for request in list(session.scalars(query)):
        expire(session, request, now)
        count += 1
    return count


__all__ = [
    "CodeSent",
    "OnlineErrorCode",
    "OnlineSigningError",
    "choose_method",
    "end_of_day",
    "expire_requests",
    "find_request",
    "link_sent",
    "open_request",
    "pending_request",
    "request_signature",
    "send_code",
    "sign_as_advisor",
    "sign_as_beneficiary",
    "withdraw_pending",
]

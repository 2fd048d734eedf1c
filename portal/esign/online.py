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

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import Beneficiary
from portal.clock import PARIS
from portal.esign import codes
from portal.esign.evidence import Origin, events_of, record_event
from portal.esign.models import (
    EventKind,
    RequestStatus,
    SignatureRequest,
    SigningPlace,
)
from portal.esign.wording import matches_mention, matches_name
from portal.livrables import signing
from portal.livrables.models import (
    Livrable,
    LivrableStatus,
    LivrableVersion,
    SignatureMethod,
    SignatureParty,
)
from portal.network.models import StaffMember


class OnlineErrorCode(StrEnum):
    NOT_ONLINE = "not_online"  # the version is to be signed on paper
    ALREADY_SIGNED = "already_signed"  # switching method once someone signed
    ADVISOR_FIRST = "advisor_first"  # the beneficiary's request before the advisor signed
    NOT_PENDING = "not_pending"  # the request was signed, withdrawn or expired
    EXPIRED = "expired"  # the unit's deadline passed
    WITHDRAWN = "withdrawn"  # a new version, or the advisor took the request back
    SIGNED = "signed"  # already signed with this link
    UNIT_CLOSED = "unit_closed"
    TOO_MANY_CODES = "too_many_codes"  # more than 3 resends within the hour
    NO_CODE = "no_code"  # no code asked for yet, or the last one is dead
    CODE_EXPIRED = "code_expired"
    CODE_WRONG = "code_wrong"
    CODE_BLOCKED = "code_blocked"  # 5 wrong tries: a new code is needed
    MENTION = "mention"  # « Lu et approuvé » not typed
    NAME = "name"  # the name typed is not the one on file
    CONSENT = "consent"  # the consent box not ticked


class OnlineSigningError(Exception):
    def __init__(
        self,
        code: OnlineErrorCode,
        *,
        keep: bool = False,
        tries_left: int | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        super().__init__(str(code))
        self.code = code
        self.keep = keep  # what was recorded before the refusal must be committed
        self.tries_left = tries_left
        self.retry_at = retry_at


@dataclass(frozen=True, slots=True)
class CodeSent:
    code: str  # to send now, never stored in clear
    channel: str  # "sms" | "email"
    to: str  # the phone number or the e-mail address
    masked: str  # « +33 6 •• •• •• 78 », for the page and the evidence
    expires_at: datetime


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
    _current(session, version)
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
    _online(session, version)
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
    livrable = _online(session, version)
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
        detail={"request": request.id, "place": str(place), "expires_at": _iso(request)},
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
    _usable(session, request, now)
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


def send_code(
    session: Session,
    request: SignatureRequest,
    *,
    secret_key: str,
    now: datetime,
    origin: Origin | None = None,
) -> CodeSent:
    """A new six-digit code, valid 10 minutes, to the mobile on file (else the e-mail
    address); the previous code dies. At most 4 codes (3 resends) in an hour."""
    _usable(session, request, now)
    hour_ago = now - timedelta(hours=1)
    sent = [
        e
        for e in events_of(session, request.version_id)
        if e.kind == EventKind.CODE_SENT and e.detail.get("request") == request.id
    ]
    recent = [e.at for e in sent if e.at > hour_ago]
    if len(recent) >= codes.CODE_SENDS_PER_HOUR:
        retry_at = min(recent) + timedelta(hours=1)
        raise OnlineSigningError(OnlineErrorCode.TOO_MANY_CODES, retry_at=retry_at)
    person: Beneficiary = request.beneficiary
    phone = (person.phone or "").strip()
    channel, to = ("sms", phone) if phone.startswith("+") else ("email", person.email)
    masked = codes.masked_phone(to) if channel == "sms" else codes.masked_email(to)
    code = codes.new_code()
    request.code_hmac = codes.code_hmac(secret_key, request.id, code)
    request.code_channel = channel
    request.code_expires_at = now + codes.CODE_VALIDITY
    request.code_failures = 0
    session.flush()
    record_event(
        session,
        version=request.version,
        kind=EventKind.CODE_SENT,
        now=now,
        beneficiary=person,
        origin=origin,
        detail={"request": request.id, "channel": channel, "to": masked, "number": len(sent) + 1},
    )
    return CodeSent(code, channel, to, masked, request.code_expires_at)


def sign_as_beneficiary(
    session: Session,
    request: SignatureRequest,
    *,
    code: str,
    mention: str,
    name: str,
    consent: bool,
    secret_key: str,
    now: datetime,
    today: date,
    origin: Origin | None = None,
) -> bool:
    """The beneficiary signs: « Lu et approuvé », their name, their consent, and the code.
    The unit closes at once (True) through the same transition and checks as paper."""
    _usable(session, request, now)
    if not matches_mention(mention):
        raise OnlineSigningError(OnlineErrorCode.MENTION)
    if not matches_name(name, request.beneficiary):
        raise OnlineSigningError(OnlineErrorCode.NAME)
    if not consent:
        raise OnlineSigningError(OnlineErrorCode.CONSENT)
    _check_code(session, request, code, secret_key=secret_key, now=now, origin=origin)
    version, person = request.version, request.beneficiary
    channel = request.code_channel or "sms"
    for kind, detail in (
        (EventKind.CODE_VERIFIED, {"request": request.id, "channel": channel}),
        (
            EventKind.CONSENT_GIVEN,
            {"request": request.id, "mention": mention.strip()[:60], "name": name.strip()[:200]},
        ),
    ):
        record_event(
            session,
            version=version,
            kind=kind,
            now=now,
            beneficiary=person,
            origin=origin,
            detail=detail,
        )
    signing.record_signature(
        session,
        version,
        party=SignatureParty.BENEFICIARY,
        signed_on=today,
        signer_name=name,
        by=None,
        today=today,
        method=SignatureMethod.ELECTRONIC,
        reason=request.closure_reason,
        origin=origin,
        identification=f"{request.place}:link+code:{channel}",
    )
    request.status = RequestStatus.SIGNED
    request.code_hmac = None
    request.ended_at = now
    session.flush()
    return signing.complete_if_signed(session, version.livrable, by=None, today=today)


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
        _expire(session, request, now)
        count += 1
    return count


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in France, in UTC: a link works all through its last day."""
    return datetime.combine(day + timedelta(days=1), time(0), PARIS).astimezone(UTC)


# --- Helpers ---------------------------------------------------------------------------------


def _current(session: Session, version: LivrableVersion) -> None:
    livrable = version.livrable
    signing.lock_livrable(session, livrable)
    if not livrable.unit.is_open:
        raise OnlineSigningError(OnlineErrorCode.UNIT_CLOSED)
    if livrable.status != LivrableStatus.FROZEN or livrable.current_version is not version:
        raise OnlineSigningError(OnlineErrorCode.NOT_PENDING)


def _online(session: Session, version: LivrableVersion) -> Livrable:
    _current(session, version)
    if version.method != SignatureMethod.ELECTRONIC:
        raise OnlineSigningError(OnlineErrorCode.NOT_ONLINE)
    return version.livrable


def _usable(session: Session, request: SignatureRequest, now: datetime) -> None:
    ended = {
        RequestStatus.SIGNED: OnlineErrorCode.SIGNED,
        RequestStatus.WITHDRAWN: OnlineErrorCode.WITHDRAWN,
        RequestStatus.EXPIRED: OnlineErrorCode.EXPIRED,
    }
    if request.status in ended:
        raise OnlineSigningError(ended[request.status])
    if now >= request.expires_at or not request.version.livrable.unit.is_open:
        _expire(session, request, now)
        raise OnlineSigningError(OnlineErrorCode.EXPIRED, keep=True)


def _expire(session: Session, request: SignatureRequest, now: datetime) -> None:
    request.status = RequestStatus.EXPIRED
    request.code_hmac = None
    request.ended_at = now
    record_event(
        session,
        version=request.version,
        kind=EventKind.REQUEST_EXPIRED,
        now=now,
        detail={"request": request.id, "expires_at": _iso(request)},
    )


def _check_code(
    session: Session,
    request: SignatureRequest,
    typed: str,
    *,
    secret_key: str,
    now: datetime,
    origin: Origin | None,
) -> None:
    if request.code_hmac is None or request.code_expires_at is None:
        raise OnlineSigningError(OnlineErrorCode.NO_CODE)
    if request.code_failures >= codes.CODE_MAX_FAILURES:
        raise OnlineSigningError(OnlineErrorCode.CODE_BLOCKED)
    if now >= request.code_expires_at:
        raise OnlineSigningError(OnlineErrorCode.CODE_EXPIRED)
    if codes.code_matches(secret_key, request.id, codes.clean_code(typed), request.code_hmac):
        return
    request.code_failures += 1
    left = codes.CODE_MAX_FAILURES - request.code_failures
    if left == 0:
        request.code_hmac = None  # dead: a new one is needed
    session.flush()
    record_event(
        session,
        version=request.version,
        kind=EventKind.CODE_FAILED,
        now=now,
        beneficiary=request.beneficiary,
        origin=origin,
        detail={"request": request.id, "tries_left": left},
    )
    code = OnlineErrorCode.CODE_WRONG if left else OnlineErrorCode.CODE_BLOCKED
    raise OnlineSigningError(code, keep=True, tries_left=left)


def _iso(request: SignatureRequest) -> str:
    return request.expires_at.astimezone(UTC).isoformat(timespec="seconds")


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

"""The state rules of an online signature request, shared by `portal.esign.online` and
`portal.esign.online_code`: the typed errors, which version and request may still be acted
on, the expiry of a request, and the last moment of a deadline day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from portal.clock import PARIS
from portal.esign.evidence import record_event
from portal.esign.models import (
    EventKind,
    RequestStatus,
    SignatureRequest,
)
from portal.livrables import signing
from portal.livrables.models import (
    Livrable,
    LivrableStatus,
    LivrableVersion,
    SignatureMethod,
)


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


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in France, in UTC: a link works all through its last day."""
    return datetime.combine(day + timedelta(days=1), time(0), PARIS).astimezone(UTC)


def check_current(session: Session, version: LivrableVersion) -> None:
    livrable = version.livrable
    signing.lock_livrable(session, livrable)
    if not livrable.unit.is_open:
        raise OnlineSigningError(OnlineErrorCode.UNIT_CLOSED)
    if livrable.status != LivrableStatus.FROZEN or livrable.current_version is not version:
        raise OnlineSigningError(OnlineErrorCode.NOT_PENDING)


def check_online(session: Session, version: LivrableVersion) -> Livrable:
    check_current(session, version)
    if version.method != SignatureMethod.ELECTRONIC:
        raise OnlineSigningError(OnlineErrorCode.NOT_ONLINE)
    return version.livrable


def check_usable(session: Session, request: SignatureRequest, now: datetime) -> None:
    ended = {
        RequestStatus.SIGNED: OnlineErrorCode.SIGNED,
        RequestStatus.WITHDRAWN: OnlineErrorCode.WITHDRAWN,
        RequestStatus.EXPIRED: OnlineErrorCode.EXPIRED,
    }
    if request.status in ended:
        raise OnlineSigningError(ended[request.status])
    if now >= request.expires_at or not request.version.livrable.unit.is_open:
        expire(session, request, now)
        raise OnlineSigningError(OnlineErrorCode.EXPIRED, keep=True)


def expire(session: Session, request: SignatureRequest, now: datetime) -> None:
    request.status = RequestStatus.EXPIRED
    request.code_hmac = None
    request.ended_at = now
    record_event(
        session,
        version=request.version,
        kind=EventKind.REQUEST_EXPIRED,
        now=now,
        detail={"request": request.id, "expires_at": iso_expiry(request)},
    )


def iso_expiry(request: SignatureRequest) -> str:
    return request.expires_at.astimezone(UTC).isoformat(timespec="seconds")


__all__ = [
    "CodeSent",
    "OnlineErrorCode",
    "OnlineSigningError",
    "check_current",
    "check_online",
    "check_usable",
    "end_of_day",
    "expire",
    "iso_expiry",
]

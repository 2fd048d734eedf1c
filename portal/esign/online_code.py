"""The beneficiary's side of an online signature: the one-time code (sent, checked, its
limits in `portal.esign.codes`) and the signature itself. Re-exported by
`portal.esign.online`, whose docstring tells the whole flow."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from portal.esign import codes
from portal.esign.evidence import Origin, events_of, record_event
from portal.esign.models import (
    EventKind,
    RequestStatus,
    SignatureRequest,
)
from portal.esign.online_state import (
    CodeSent,
    OnlineErrorCode,
    OnlineSigningError,
    check_usable,
)
from portal.esign.wording import matches_mention, matches_name
from portal.livrables import signing
from portal.livrables.models import (
    SignatureMethod,
    SignatureParty,
)
from portal.people.models import Beneficiary


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
    check_usable(session, request, now)
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
    check_usable(session, request, now)
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


__all__ = ["send_code", "sign_as_beneficiary"]

"""Referral to the mediator of France compétences (CCTP 3.7): by the person from their
complaint once admissible, or recorded by the mediator; then the mediator's decision on
admissibility, the operator informed, the access to the dossier asked and granted (Annex 2
§3), and the outcome that closes it.

Functions flush and never commit, take `now`/`today`, and raise `ComplaintError`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import (
    Admissible,
    Complaint,
    Outcome,
    Referral,
    ReferralChannel,
    ReferredBy,
)
from portal.mediation.rules import Admissibility, RefusalReason, referral_admissibility
from portal.network.models import StaffMember, StaffRole

Code = ComplaintErrorCode

_REFUSALS = {
    RefusalReason.AWAITING_ANSWER: Code.REFERRAL_NOT_YET,
    RefusalReason.SATISFACTION_NOT_STATED: Code.REFERRAL_SATISFACTION_NOT_STATED,
    RefusalReason.SATISFIED: Code.REFERRAL_SATISFIED,
}


def admissibility(complaint: Complaint, today: date) -> Admissibility:
    """May the person refer this complaint to the mediator today (`rules`)?"""
    return referral_admissibility(
        received_on=complaint.received_on,
        answered_on=complaint.answered_on,
        satisfied=complaint.satisfied_flag,
        today=today,
    )


def open_referral(session: Session, complaint: Complaint) -> Referral | None:
    return session.scalar(
        select(Referral).where(Referral.complaint_id == complaint.id, Referral.closed_at.is_(None))
    )


def refer_to_mediator(
    session: Session, complaint: Complaint, *, text: str | None, now: datetime, today: date
) -> Referral:
    """The person's one click: refused with the reason (and the day it opens) until the
    operator answered without satisfying them, or let the 45 days pass."""
    verdict = admissibility(complaint, today)
    if not verdict.allowed:
        assert verdict.refused is not None
        raise ComplaintError(_REFUSALS[verdict.refused], allowed_from=verdict.allowed_from)
    if open_referral(session, complaint) is not None:
        raise ComplaintError(Code.ALREADY_REFERRED)
    referral = Referral(
        complaint_id=complaint.id,
        operator_id=complaint.operator_id,
        referred_at=now,
        referred_by=ReferredBy.PERSON,
        channel=ReferralChannel.PORTAL,
        last_name=complaint.last_name,
        first_name=complaint.first_name,
        email=complaint.email,
        text=(text or "").strip() or None,
        admissible=Admissible.PENDING,
    )
    session.add(referral)
    session.flush()
    return referral


def record_referral(
    session: Session,
    *,
    by: StaffMember,
    channel: ReferralChannel,
    operator_id: int,
    last_name: str,
    first_name: str,
    email: str | None,
    text: str | None,
    referred_at: datetime,
    now: datetime,
    complaint: Complaint | None = None,
) -> Referral:
    """A referral that reached the mediator by letter or France compétences' form, attached to
    the complaint when one exists. The mediator then decides its admissibility: without a
    prior complaint it is not admissible, but it is counted (annual report)."""
    _check_mediator(by)
    if channel == ReferralChannel.PORTAL:
        raise ComplaintError(Code.WRONG_CHANNEL)
    if referred_at > now:
        raise ComplaintError(Code.RECEIVED_IN_FUTURE, fields=("referred_at",))
    missing = tuple(n for n, v in (("last_name", last_name), ("first_name", first_name)) if not v)
    if missing:
        raise ComplaintError(Code.MISSING_FIELDS, fields=missing)
    if complaint is not None:
        if complaint.operator_id != operator_id:
            raise ComplaintError(Code.WRONG_OPERATOR, fields=("operator",))
        if open_referral(session, complaint) is not None:
            raise ComplaintError(Code.ALREADY_REFERRED)
    referral = Referral(
        complaint_id=None if complaint is None else complaint.id,
        operator_id=operator_id,
        referred_at=referred_at,
        referred_by=ReferredBy.MEDIATOR,
        recorded_by_id=by.id,
        channel=channel,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        email=(email or "").strip() or None,
        text=(text or "").strip() or None,
        admissible=Admissible.PENDING,
    )
    session.add(referral)
    session.flush()
    return referral


def decide_admissibility(
    session: Session,
    referral: Referral,
    *,
    by: StaffMember,
    admissible: bool,
    reason: str | None,
    now: datetime,
) -> None:
    """The mediator's decision. « Non recevable » needs its reason and ends the referral."""
    _check_mediator(by)
    _check_open(referral)
    if referral.admissible != Admissible.PENDING:
        raise ComplaintError(Code.ALREADY_DECIDED)
    reason = (reason or "").strip() or None
    if not admissible and reason is None:
        raise ComplaintError(Code.REASON_REQUIRED, fields=("reason",))
    referral.admissible = Admissible.YES if admissible else Admissible.NO
    referral.admissibility_reason = reason
    referral.admissibility_decided_at, referral.admissibility_decided_by_id = now, by.id
    if not admissible:
        referral.closed_at, referral.closed_by_id = now, by.id
    session.flush()


def inform_operator(
    session: Session, referral: Referral, *, by: StaffMember, now: datetime
) -> None:
    """The mediator informs the operator's correspondant médiation (the e-mail is the
    caller's to queue)."""
    _check_admissible(referral, by)
    if referral.operator_informed_at is not None:
        raise ComplaintError(Code.ALREADY_INFORMED)
    referral.operator_informed_at = now
    session.flush()


def request_access(session: Session, referral: Referral, *, by: StaffMember, now: datetime) -> None:
    """Annex 2 §3 « demande d'accès au dossier par le médiateur », dated."""
    _check_admissible(referral, by)
    if referral.access_requested_at is not None:
        raise ComplaintError(Code.ALREADY_REQUESTED)
    referral.access_requested_at, referral.access_requested_by_id = now, by.id
    session.flush()


def grant_access(session: Session, referral: Referral, *, by: StaffMember, now: datetime) -> None:
    """The operator (its correspondant médiation or manager) opens the dossier to the
    mediator; from then on the mediator's reads are logged by the workspace."""
    if by.operator_id != referral.operator_id:
        raise ComplaintError(Code.WRONG_OPERATOR)
    _check_open(referral)
    if referral.access_requested_at is None:
        raise ComplaintError(Code.ACCESS_NOT_REQUESTED)
    if referral.access_granted_at is not None:
        raise ComplaintError(Code.ALREADY_GRANTED)
    referral.access_granted_at, referral.access_granted_by_id = now, by.id
    session.flush()


def record_outcome(
    session: Session,
    referral: Referral,
    *,
    by: StaffMember,
    outcome: Outcome,
    accepted: bool | None,
    now: datetime,
) -> None:
    """A recommendation or a settlement, accepted or not, or no outcome: closes the referral."""
    _check_admissible(referral, by)
    if outcome != Outcome.NONE and accepted is None:
        raise ComplaintError(Code.ACCEPTANCE_REQUIRED, fields=("accepted",))
    referral.outcome = outcome
    referral.outcome_accepted = None if outcome == Outcome.NONE else accepted
    referral.closed_at, referral.closed_by_id = now, by.id
    session.flush()


def _check_mediator(by: StaffMember) -> None:
    if by.role != StaffRole.MEDIATOR:
        raise ComplaintError(Code.NOT_MEDIATOR)


def _check_open(referral: Referral) -> None:
    if referral.closed_at is not None:
        raise ComplaintError(Code.REFERRAL_CLOSED)


def _check_admissible(referral: Referral, by: StaffMember) -> None:
    _check_mediator(by)
    _check_open(referral)
    if referral.admissible != Admissible.YES:
        raise ComplaintError(Code.NOT_ADMISSIBLE)


__all__ = [
    "admissibility",
    "decide_admissibility",
    "grant_access",
    "inform_operator",
    "open_referral",
    "record_outcome",
    "record_referral",
    "refer_to_mediator",
    "request_access",
]

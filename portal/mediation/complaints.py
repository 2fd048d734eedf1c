"""The complaint at the operator: filed online or recorded by staff, acknowledged, answered,
closed, stated satisfying or not by the person, reopened by the person's new message.

Every function flushes and never commits, reads time from its `now`/`today` arguments, and
raises `ComplaintError` with a code. Who may call which one is the views' policies' business;
the operator's own staff is checked here too, as an invariant of the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier
from portal.advisor.reference import active_codes
from portal.clock import PARIS
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import (
    MOTIVE_LIST,
    Author,
    Channel,
    Complaint,
    ComplaintMessage,
    ComplaintStatus,
    Referral,
    Satisfaction,
)
from portal.network.models import StaffMember
from portal.people.models import Beneficiary

Code = ComplaintErrorCode


@dataclass(frozen=True, slots=True)
class Complainant:
    """The identity and contact as the person gave them."""

    last_name: str
    first_name: str
    email: str | None = None
    phone: str | None = None
    postal_address: str | None = None


def file_complaint(
    session: Session,
    *,
    operator_id: int,
    complainant: Complainant,
    motive: str,
    text: str,
    now: datetime,
    dossier: Dossier | None = None,
    beneficiary: Beneficiary | None = None,
) -> Complaint:
    """A complaint filed online by the person: received today and acknowledged at once (the
    acknowledgement e-mail is the caller's to queue), so an e-mail address is required."""
    if not (complainant.email or "").strip():
        raise ComplaintError(Code.EMAIL_REQUIRED, fields=("email",))
    complaint = _new(
        session,
        operator_id=operator_id,
        complainant=complainant,
        motive=motive,
        text=text,
        channel=Channel.ONLINE,
        received_on=now.astimezone(PARIS).date(),
        now=now,
        dossier=dossier,
        beneficiary=beneficiary,
    )
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at = now
    session.flush()
    return complaint


def record_complaint(
    session: Session,
    *,
    by: StaffMember,
    channel: Channel,
    received_on: date,
    complainant: Complainant,
    motive: str,
    text: str,
    now: datetime,
    today: date,
    dossier: Dossier | None = None,
    beneficiary: Beneficiary | None = None,
) -> Complaint:
    """A complaint received by letter, e-mail or phone, recorded by the operator's staff with
    its real day of receipt (the clocks run from it, not from the recording)."""
    if channel == Channel.ONLINE:
        raise ComplaintError(Code.ONLINE_IS_FILED)
    if by.operator_id is None:
        raise ComplaintError(Code.WRONG_OPERATOR)
    if received_on > today:
        raise ComplaintError(Code.RECEIVED_IN_FUTURE, fields=("received_on",))
    complaint = _new(
        session,
        operator_id=by.operator_id,
        complainant=complainant,
        motive=motive,
        text=text,
        channel=channel,
        received_on=received_on,
        now=now,
        dossier=dossier,
        beneficiary=beneficiary,
    )
    complaint.recorded_by_id = by.id
    session.flush()
    return complaint


def acknowledge_complaint(
    session: Session, complaint: Complaint, *, by: StaffMember, now: datetime
) -> None:
    _check_staff(complaint, by)
    _check_open(complaint)
    if complaint.acknowledged_at is not None:
        raise ComplaintError(Code.ALREADY_ACKNOWLEDGED)
    complaint.acknowledged_at, complaint.acknowledged_by_id = now, by.id
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    session.flush()


def answer_complaint(
    session: Session, complaint: Complaint, *, by: StaffMember, answer: str, now: datetime
) -> None:
    """The operator's answer. It acknowledges too when no acknowledgement was given.

    A complaint reopened by the person is answered again: the text is replaced, the day of the
    first answer stays (Annex 2 §3 and the 45-day clock are about the complaint's answer), and
    the person is asked again whether it satisfies them."""
    _check_staff(complaint, by)
    _check_open(complaint)
    if complaint.status == ComplaintStatus.ANSWERED:
        raise ComplaintError(Code.ALREADY_ANSWERED)
    answer = _required(answer, "answer")
    if complaint.acknowledged_at is None:
        complaint.acknowledged_at, complaint.acknowledged_by_id = now, by.id
    if complaint.answered_at is None:
        complaint.answered_at = now
    complaint.answered_by_id = by.id
    complaint.answer = answer
    complaint.satisfied, complaint.satisfied_at = Satisfaction.UNKNOWN, None
    complaint.status = ComplaintStatus.ANSWERED
    session.flush()


def close_complaint(
    session: Session, complaint: Complaint, *, by: StaffMember | None, now: datetime
) -> None:
    """Closed once answered, by the operator's staff or by the person (`by` None)."""
    if by is not None:
        _check_staff(complaint, by)
    _check_open(complaint)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ComplaintError(Code.NOT_ANSWERED)
    complaint.status, complaint.closed_at = ComplaintStatus.CLOSED, now
    session.flush()


def state_satisfaction(
    session: Session, complaint: Complaint, *, satisfied: bool, now: datetime
) -> None:
    """The person says whether the answer satisfies them (they may change their mind, but not
    while the mediator examines their referral: its admissibility rests on that word)."""
    if complaint.answered_at is None:
        raise ComplaintError(Code.NOT_ANSWERED)
    open_referral = select(Referral.id).where(
        Referral.complaint_id == complaint.id, Referral.closed_at.is_(None)
    )
    if session.scalar(open_referral) is not None:
        raise ComplaintError(Code.REFERRAL_OPEN)
    complaint.satisfied = Satisfaction.YES if satisfied else Satisfaction.NO
    complaint.satisfied_at = now
    session.flush()


def add_message(
    session: Session,
    complaint: Complaint,
    *,
    text: str,
    now: datetime,
    by: StaffMember | None = None,
) -> ComplaintMessage:
    """A message of the thread: from the person (`by` None) or the operator's staff.

    The person's message on an answered or closed complaint reopens it: it goes back to the
    operator (acknowledged, awaiting a new answer). Staff do not write on a closed one."""
    text = _required(text, "text")
    if by is not None:
        _check_staff(complaint, by)
        _check_open(complaint)
    elif complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED):
        complaint.status = ComplaintStatus.ACKNOWLEDGED
        complaint.closed_at = None
        complaint.reopened_count += 1
    message = ComplaintMessage(
        complaint_id=complaint.id,
        author=Author.PERSON if by is None else Author.STAFF,
        author_staff_id=None if by is None else by.id,
        at=now,
        text=text,
    )
    session.add(message)
    session.flush()
    return message


def _new(
    session: Session,
    *,
    operator_id: int,
    complainant: Complainant,
    motive: str,
    text: str,
    channel: Channel,
    received_on: date,
    now: datetime,
    dossier: Dossier | None,
    beneficiary: Beneficiary | None,
) -> Complaint:
    missing = tuple(
        name
        for name, value in (
            ("last_name", complainant.last_name),
            ("first_name", complainant.first_name),
            ("motive", motive),
            ("text", text),
        )
        if not (value or "").strip()
    )
    if missing:
        raise ComplaintError(Code.MISSING_FIELDS, ", ".join(missing), fields=missing)
    if motive not in active_codes(session).get(MOTIVE_LIST, {}):
        raise ComplaintError(Code.UNKNOWN_MOTIVE, motive, fields=("motive",))
    if dossier is not None:
        if dossier.operator_id != operator_id or (
            beneficiary is not None and dossier.beneficiary_id != beneficiary.id
        ):
            raise ComplaintError(Code.DOSSIER_MISMATCH, fields=("dossier",))
        beneficiary = beneficiary or dossier.beneficiary
    complaint = Complaint(
        operator_id=operator_id,
        dossier_id=None if dossier is None else dossier.id,
        beneficiary_id=None if beneficiary is None else beneficiary.id,
        last_name=complainant.last_name.strip(),
        first_name=complainant.first_name.strip(),
        email=_blank_none(complainant.email),
        phone=_blank_none(complainant.phone),
        postal_address=_blank_none(complainant.postal_address),
        channel=channel,
        received_on=received_on,
        recorded_at=now,
        motive=motive,
        text=text.strip(),
        status=ComplaintStatus.RECEIVED,
        satisfied=Satisfaction.UNKNOWN,
        reopened_count=0,
    )
    session.add(complaint)
    return complaint


def _check_staff(complaint: Complaint, by: StaffMember) -> None:
    if by.operator_id != complaint.operator_id:
        raise ComplaintError(Code.WRONG_OPERATOR)


def _check_open(complaint: Complaint) -> None:
    if complaint.status == ComplaintStatus.CLOSED:
        raise ComplaintError(Code.COMPLAINT_CLOSED)


def _required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ComplaintError(Code.EMPTY_TEXT, fields=(field,))
    return value


def _blank_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


__all__ = [
    "Complainant",
    "acknowledge_complaint",
    "add_message",
    "answer_complaint",
    "close_complaint",
    "file_complaint",
    "record_complaint",
    "state_satisfaction",
]

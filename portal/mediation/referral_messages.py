"""The messages of a referral to the mediator (CCTP 3.7): two threads, kept apart.

- `person`: the mediator and the person, from their complaint's page (or by e-mail);
- `operator`: the mediator and the operator — its correspondant médiation or a manager —
  opened once the mediator declared the referral admissible (before, the operator has nothing
  to answer for).

Every message is kept, with its author and time. A closed referral takes no more messages.
Functions flush and never commit, take `now`, and raise `ComplaintError`. No Flask here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mediation.contacts import is_correspondent
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import (
    Admissible,
    Complaint,
    Referral,
    ReferralAuthor,
    ReferralMessage,
    Thread,
)
from portal.network.models import StaffMember, StaffRole

Code = ComplaintErrorCode

# Who writes on which thread, besides the mediator who writes on both.
_THREAD_OF = {ReferralAuthor.PERSON: Thread.PERSON, ReferralAuthor.OPERATOR: Thread.OPERATOR}


def post_referral_message(
    session: Session,
    referral: Referral,
    *,
    thread: Thread,
    author: ReferralAuthor,
    by: StaffMember | None,
    text: str,
    now: datetime,
) -> ReferralMessage:
    """A message on one thread. `by` is the staff member who writes (None for the person)."""
    text = (text or "").strip()
    if not text:
        raise ComplaintError(Code.EMPTY_TEXT, fields=("text",))
    if referral.closed_at is not None:
        raise ComplaintError(Code.REFERRAL_CLOSED)
    if author != ReferralAuthor.MEDIATOR and _THREAD_OF[author] != thread:
        raise ComplaintError(Code.WRONG_AUTHOR, fields=("thread",))
    _check_writer(session, referral, author, by)
    if thread == Thread.OPERATOR and referral.admissible != Admissible.YES:
        raise ComplaintError(Code.NO_OPERATOR_THREAD_YET, fields=("thread",))
    message = ReferralMessage(
        referral_id=referral.id,
        thread=thread,
        author=author,
        author_staff_id=None if by is None else by.id,
        at=now,
        text=text,
    )
    session.add(message)
    session.flush()
    return message


def thread_messages(session: Session, referral: Referral, thread: Thread) -> list[ReferralMessage]:
    """One thread, oldest first."""
    return list(
        session.scalars(
            select(ReferralMessage)
            .where(ReferralMessage.referral_id == referral.id, ReferralMessage.thread == thread)
            .order_by(ReferralMessage.at, ReferralMessage.id)
        )
    )


def latest_referral(session: Session, complaint: Complaint) -> Referral | None:
    """The complaint's latest referral, open or closed: its threads stay readable."""
    return session.scalar(
        select(Referral)
        .where(Referral.complaint_id == complaint.id)
        .order_by(Referral.referred_at.desc(), Referral.id.desc())
        .limit(1)
    )


def may_write(session: Session, referral: Referral, author: ReferralAuthor) -> bool:
    """Is the thread of this author open (the form is shown)?"""
    if referral.closed_at is not None:
        return False
    return author != ReferralAuthor.OPERATOR or referral.admissible == Admissible.YES


def _check_writer(
    session: Session, referral: Referral, author: ReferralAuthor, by: StaffMember | None
) -> None:
    if author == ReferralAuthor.PERSON:
        if by is not None:
            raise ComplaintError(Code.WRONG_AUTHOR)
        return
    if by is None or not by.active:
        raise ComplaintError(Code.WRONG_AUTHOR)
    if author == ReferralAuthor.MEDIATOR:
        if by.role != StaffRole.MEDIATOR:
            raise ComplaintError(Code.NOT_MEDIATOR)
        return
    if by.operator_id != referral.operator_id:
        raise ComplaintError(Code.WRONG_OPERATOR)
    if by.role != StaffRole.MANAGER and not is_correspondent(session, by, referral.operator_id):
        raise ComplaintError(Code.NOT_CORRESPONDENT)


__all__ = ["latest_referral", "may_write", "post_referral_message", "thread_messages"]

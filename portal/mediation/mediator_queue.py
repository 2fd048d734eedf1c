"""The mediator's referral queue, every lot: decisions to take first, then the open referrals,
then the closed ones. No Flask here; the screen and the benchmark read the same list.

One statement whatever the number of referrals: the complaint and the operator of each row
come in the same query (joined eager loads), so the queue never reads row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, joinedload

from portal.clock import PARIS
from portal.mediation.models import Admissible, Referral

Q = TypeVar("Q", bound=Select[Any])


class QueueState(StrEnum):
    """The `?etat=` filter of the queue (the values are the URL's, in French)."""

    OPEN = "ouvertes"
    CLOSED = "closes"
    ALL = "toutes"


class Bucket(StrEnum):
    PENDING = "pending"  # admissibility to decide
    OPEN = "open"  # admissible, being worked
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ReferralRow:
    referral: Referral
    bucket: Bucket
    days_since: int  # days since the referral reached the mediator (or until it closed)


PER_PAGE = 50  # rows of one page of the queue: a national year holds about 500 referrals


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: list[ReferralRow]
    total: int  # referrals in this state, all pages
    number: int  # this page, from 1
    pages: int


def queue_page(session: Session, *, today: date, state: QueueState, number: int) -> QueuePage:
    """One page of the queue (two statements: the count and the rows). A page past the last
    one shows the last."""
    total = session.scalar(_filtered(select(func.count(Referral.id)), state)) or 0
    pages = max(1, -(-total // PER_PAGE))
    number = min(max(1, number), pages)
    rows = referral_queue(
        session, today=today, state=state, limit=PER_PAGE, offset=(number - 1) * PER_PAGE
    )
    return QueuePage(rows, total, number, pages)


def _filtered(query: Q, state: QueueState) -> Q:
    if state == QueueState.OPEN:
        return query.where(Referral.closed_at.is_(None))
    if state == QueueState.CLOSED:
        return query.where(Referral.closed_at.is_not(None))
    return query


def referral_queue(
    session: Session,
    *,
    today: date,
    state: QueueState,
    limit: int | None = None,
    offset: int = 0,
) -> list[ReferralRow]:
    """The referrals of `state`: pending decisions, then open (oldest first), then closed
    (latest closed first); `limit` and `offset` cut one page."""
    is_closed = Referral.closed_at.is_not(None)
    bucket = case(
        (is_closed, 2),
        (Referral.admissible == Admissible.PENDING, 0),
        else_=1,
    )
    query = _filtered(
        select(Referral).options(joinedload(Referral.complaint), joinedload(Referral.operator)),
        state,
    ).order_by(
        bucket,
        case((is_closed, Referral.closed_at), else_=None).desc().nulls_last(),
        Referral.referred_at,
        Referral.id,
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [_row(referral, today) for referral in session.scalars(query).unique()]


def _row(referral: Referral, today: date) -> ReferralRow:
    if referral.closed_at is not None:
        bucket = Bucket.CLOSED
    elif referral.admissible == Admissible.PENDING:
        bucket = Bucket.PENDING
    else:
        bucket = Bucket.OPEN
    end = today if referral.closed_at is None else referral.closed_at.astimezone(PARIS).date()
    return ReferralRow(referral, bucket, (end - referral.referred_at.astimezone(PARIS).date()).days)


def queue_counts(session: Session) -> tuple[int, int]:
    """(decisions pending, admissible referrals open): the mediator's home page."""
    rows = session.execute(
        select(Referral.admissible, func.count(Referral.id))
        .where(Referral.closed_at.is_(None))
        .group_by(Referral.admissible)
    ).all()
    counts = {admissible: count for admissible, count in rows}
    return counts.get(Admissible.PENDING, 0), counts.get(Admissible.YES, 0)


__all__ = [
    "PER_PAGE",
    "Bucket",
    "QueuePage",
    "QueueState",
    "ReferralRow",
    "queue_counts",
    "queue_page",
    "referral_queue",
]

"""The mediator's annual report (CCTP 3.7): for a year, over every lot or one, the referrals,
their admissibility with the reasons given, the motives of the complaints behind them, the
delays of the operators and of the mediator, and the outcomes. Portable SQL (PostgreSQL and
the embedded SQLite): the delays are computed from the year's rows.

What belongs to the year:
- a referral, by the day it reached the mediator (`referred_at`, in France): its
  admissibility, the motive of its complaint and its outcome are counted with it, whenever
  they were decided;
- a complaint, for the operators' delays, by its day of receipt (`received_on`): every
  complaint the lot received that year, referred or not, since CCTP 3.7's 7 and 45 days apply
  to each. One not yet acknowledged or answered is counted apart, not as a delay.

Delays are in calendar days, France's days (the clocks of `mediation.rules`); five queries
whatever the year's size.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from portal.clock import PARIS
from portal.mediation.models import Admissible, Complaint, Outcome, Referral
from portal.mediation.rules import COMPLAINT_ACKNOWLEDGEMENT_DAYS, COMPLAINT_ANSWER_DAYS

# The portal opened to complaints in 2019 (the framework agreement's first year): no report
# is asked for an earlier year.
FIRST_REPORT_YEAR = 2019


@dataclass(frozen=True, slots=True)
class DelayFigures:
    """Days from one event to the next, over the cases where the second one happened."""

    count: int
    waiting: int  # cases of the year still without the second event
    median: float | None
    mean: float | None
    max: int | None
    limit: int | None = None  # the contract's delay, when there is one
    within: int | None = None  # cases within `limit` days

    @property
    def share_within(self) -> float | None:
        if self.within is None or not self.count:
            return None
        return self.within / self.count


@dataclass(frozen=True, slots=True)
class OutcomeFigures:
    outcome: Outcome
    accepted: int
    refused: int
    unstated: int  # no outcome (Outcome.NONE) has nothing to accept

    @property
    def total(self) -> int:
        return self.accepted + self.refused + self.unstated


@dataclass(frozen=True, slots=True)
class MediationReport:
    year: int
    operator_id: int | None  # None: every lot
    referrals: int
    admissible: int
    not_admissible: int
    pending: int
    reasons: list[tuple[str, int]]  # not-admissible reasons, identical texts grouped
    motives: list[tuple[str | None, int]]  # complaint motive code (None: no complaint)
    complaints: int  # received by the lot(s) in the year
    acknowledgement: DelayFigures
    answer: DelayFigures
    outcome_delay: DelayFigures
    outcomes: list[OutcomeFigures]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first instant of the year in France and the first of the next one."""
    return datetime(year, 1, 1, tzinfo=PARIS), datetime(year + 1, 1, 1, tzinfo=PARIS)


def _days_between(start: date, end: datetime) -> int:
    """Calendar days from a day to a moment, on France's calendar."""
    return (end.astimezone(PARIS).date() - start).days


def _delay(days: list[int], total: int, limit: int | None) -> DelayFigures:
    return DelayFigures(
        count=len(days),
        waiting=total - len(days),
        median=float(statistics.median(days)) if days else None,
        mean=statistics.fmean(days) if days else None,
        max=max(days) if days else None,
        limit=limit,
        within=None if limit is None else sum(1 for n in days if n <= limit),
    )


def mediation_report(
    session: Session, *, year: int, operator_id: int | None = None
) -> MediationReport:
    start, end = year_bounds(year)
    in_year = and_(Referral.referred_at >= start, Referral.referred_at < end)
    if operator_id is not None:
        in_year = and_(in_year, Referral.operator_id == operator_id)

    counts: dict[tuple[Admissible, Outcome | None, bool | None], int] = {
        (admissible, outcome, accepted): int(n)
        for admissible, outcome, accepted, n in session.execute(
            select(Referral.admissible, Referral.outcome, Referral.outcome_accepted, func.count())
            .where(in_year)
            .group_by(Referral.admissible, Referral.outcome, Referral.outcome_accepted)
        )
    }

    def admitted(state: Admissible) -> int:
        return sum(n for (a, _, _), n in counts.items() if a == state)

    # Identical reasons (spaces aside) are grouped; the most given first.
    grouped = Counter(
        (text or "").strip()
        for text in session.scalars(
            select(Referral.admissibility_reason).where(
                in_year, Referral.admissible == Admissible.NO
            )
        )
    )
    reasons = sorted(grouped.items(), key=lambda item: (-item[1], item[0]))
    motives: list[tuple[str | None, int]] = [
        (code, int(n))
        for code, n in session.execute(
            select(Complaint.motive, func.count())
            .select_from(Referral)
            .outerjoin(Complaint, Complaint.id == Referral.complaint_id)
            .where(in_year)
            .group_by(Complaint.motive)
            .order_by(func.count().desc(), Complaint.motive)
        )
    ]

    received = and_(Complaint.received_on >= date(year, 1, 1), Complaint.received_on < end.date())
    if operator_id is not None:
        received = and_(received, Complaint.operator_id == operator_id)
    # A year of complaints is a few thousand rows at most: the delays are computed here, the
    # same on PostgreSQL and SQLite.
    rows = session.execute(
        select(Complaint.received_on, Complaint.acknowledged_at, Complaint.answered_at).where(
            received
        )
    ).all()
    complaints = len(rows)
    ack_days = [_days_between(day, at) for day, at, _ in rows if at is not None]
    answer_days = [_days_between(day, at) for day, _, at in rows if at is not None]
    outcome_days = [
        _days_between(referred_at.astimezone(PARIS).date(), closed_at)
        for referred_at, closed_at in session.execute(
            select(Referral.referred_at, Referral.closed_at).where(
                in_year, Referral.outcome.is_not(None)
            )
        )
        if closed_at is not None  # an outcome closes the referral: always set
    ]
    admissible = admitted(Admissible.YES)

    return MediationReport(
        year=year,
        operator_id=operator_id,
        referrals=sum(counts.values()),
        admissible=admissible,
        not_admissible=admitted(Admissible.NO),
        pending=admitted(Admissible.PENDING),
        reasons=reasons,
        motives=motives,
        complaints=complaints,
        acknowledgement=_delay(ack_days, complaints, COMPLAINT_ACKNOWLEDGEMENT_DAYS),
        answer=_delay(answer_days, complaints, COMPLAINT_ANSWER_DAYS),
        outcome_delay=_delay(outcome_days, admissible, None),
        outcomes=[
            OutcomeFigures(
                outcome,
                accepted=sum(n for (_, o, a), n in counts.items() if o == outcome and a is True),
                refused=sum(n for (_, o, a), n in counts.items() if o == outcome and a is False),
                unstated=sum(n for (_, o, a), n in counts.items() if o == outcome and a is None),
            )
            for outcome in Outcome
        ],
    )


__all__ = [
    "FIRST_REPORT_YEAR",
    "DelayFigures",
    "MediationReport",
    "OutcomeFigures",
    "mediation_report",
    "year_bounds",
]

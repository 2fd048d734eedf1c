"""Complaint delays of the framework agreement, and when a referral to the mediator is allowed.

Pure functions of dates: the services, the queues, the person's page and the reminders all
read their clocks here, so that one rule gives one date everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

# CCTP 3.7 (L820-821): the operator acknowledges a complaint within 7 days of receiving it
# and answers within 45 days of receiving it.
COMPLAINT_ACKNOWLEDGEMENT_DAYS = 7
COMPLAINT_ANSWER_DAYS = 45

# Calendar days, not working days: CCTP 3.7 says « un délai raisonnable (7 jours à compter de
# la réception de son courrier de réclamation) » and « un délai maximum de 45 jours suivant la
# réception du courrier de réclamation », while the same CCTP writes « jours ouvrés » wherever
# it means working days (§4.1, L661, L886). The count starts from the real date of receipt
# (a letter opened late, or recorded days after it came, keeps its receipt date), and a
# deadline falling on a weekend or a public holiday is not moved.


def acknowledge_by(received_on: date) -> date:
    """The last day to acknowledge a complaint received on `received_on` (CCTP 3.7)."""
    return received_on + timedelta(days=COMPLAINT_ACKNOWLEDGEMENT_DAYS)


def answer_by(received_on: date) -> date:
    """The last day to answer a complaint received on `received_on` (CCTP 3.7)."""
    return received_on + timedelta(days=COMPLAINT_ANSWER_DAYS)


# The queue warns this many days before a deadline (not a contract figure: time enough to
# write a letter or call back before the last day).
DUE_SOON_DAYS = 3


class ClockKind(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ANSWER = "answer"


class ComplaintDates(Protocol):
    """What the clocks read of a complaint (the model, or anything shaped like it)."""

    @property
    def received_on(self) -> date: ...

    @property
    def acknowledged_on(self) -> date | None: ...

    @property
    def answered_on(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class Clock:
    """The next deadline of a complaint, seen on `today`."""

    kind: ClockKind
    due_on: date
    days_left: int  # negative once overdue; 0 on the last day

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def due_soon(self) -> bool:
        """Within DUE_SOON_DAYS of the last day, not yet past it (the queue's warning)."""
        return 0 <= self.days_left <= DUE_SOON_DAYS


def next_clock(complaint: ComplaintDates, today: date) -> Clock | None:
    """The deadline that comes next: the acknowledgement until it is given, then the answer;
    None once the complaint is answered (nothing is due from the operator any more).

    An acknowledgement given late still leaves the answer due 45 days from receipt; an
    answer given before any acknowledgement acknowledges too (nothing is due after it)."""
    if complaint.answered_on is not None:
        return None
    if complaint.acknowledged_on is None:
        kind, due = ClockKind.ACKNOWLEDGE, acknowledge_by(complaint.received_on)
    else:
        kind, due = ClockKind.ANSWER, answer_by(complaint.received_on)
    return Clock(kind, due, (due - today).days)


class RefusalReason(StrEnum):
    """Why a referral to the mediator is not yet (or never) possible."""

    # The mediator « n'étant pas un service client »: the operator has its 45 days first.
    AWAITING_ANSWER = "awaiting_answer"
    # Answered: the person has to say that the answer does not satisfy them.
    SATISFACTION_NOT_STATED = "satisfaction_not_stated"
    # Answered, and the person said it satisfied them.
    SATISFIED = "satisfied"


class AllowedBecause(StrEnum):
    NOT_SATISFIED = "not_satisfied"  # answered, and the person said it does not satisfy them
    NO_ANSWER_IN_TIME = "no_answer_in_time"  # the 45 days passed without an answer


@dataclass(frozen=True, slots=True)
class Admissibility:
    """Whether the person may refer their complaint to the mediator today; when not, why, and
    the first day it will be possible (None: not by waiting)."""

    allowed: bool
    because: AllowedBecause | None = None
    refused: RefusalReason | None = None
    allowed_from: date | None = None


def referral_admissibility(
    *, received_on: date, answered_on: date | None, satisfied: bool | None, today: date
) -> Admissibility:
    """CCTP 3.7: a referral needs a prior complaint to the operator, answered without
    satisfying the person (« dans le cas où la réponse apportée par le Titulaire … n'apporte
    pas satisfaction »), or left unanswered past the 45-day deadline.

    `satisfied` is the person's statement on the answer (None: not stated). Unanswered, the
    referral is allowed from the day after the last day to answer. An answer given after that
    day does not take back a right the person already had, unless they say it satisfies them.
    """
    opens_on = answer_by(received_on) + timedelta(days=1)
    if satisfied is True and answered_on is not None:
        return Admissibility(False, refused=RefusalReason.SATISFIED)
    if answered_on is None or answered_on >= opens_on:
        if today >= opens_on:
            return Admissibility(True, because=AllowedBecause.NO_ANSWER_IN_TIME)
        return Admissibility(False, refused=RefusalReason.AWAITING_ANSWER, allowed_from=opens_on)
    if satisfied is False:
        return Admissibility(True, because=AllowedBecause.NOT_SATISFIED)
    # Answered, not yet said: allowed as soon as the person says the answer does not satisfy
    # them (the same click on their page can say it and refer).
    return Admissibility(False, refused=RefusalReason.SATISFACTION_NOT_STATED)

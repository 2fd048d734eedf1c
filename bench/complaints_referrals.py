"""The mediator's side of `bench/complaints_data.py`: referrals by the person, by letter and
through France compétences' form, and the mediator's steps as each referral's age allows, all
through `portal.mediation.referrals`."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from portal.demo.names import FIRST_NAMES
from portal.mediation import referrals as mediation
from portal.mediation.models import Complaint, Outcome, Referral, ReferralChannel
from portal.network.models import StaffMember, StaffRole

MEDIATOR_EMAIL = "mediateur@banc-essai.example"
LAST_NAMES = ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Nguyen", "Diallo")
REASONS = (
    "Pas de réclamation préalable auprès de l'opérateur.",
    "Hors du champ du conseil en évolution professionnelle.",
)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class Desk:
    """The mediator (a new staff member) and the year's referrals."""

    def __init__(self, session: Session, today: date, rng: random.Random) -> None:
        self.session, self.today, self.rng = session, today, rng
        self.mediator = StaffMember(
            email=MEDIATOR_EMAIL, full_name="Médiation France compétences", role=StaffRole.MEDIATOR
        )
        session.add(self.mediator)
        session.flush()

    def day(self, start: date, days: int) -> date:
        """A day `days` (at most) after `start`, never after today."""
        return min(self.today, start + timedelta(days=self.rng.randint(0, max(days, 0))))

    def referral(self, c: Complaint | None, manager: StaffMember, when: date) -> Referral:
        if c is None:
            return mediation.record_referral(
                self.session,
                by=self.mediator,
                channel=ReferralChannel.FC_FORM,
                operator_id=manager.operator_id or 0,
                last_name=self.rng.choice(LAST_NAMES),
                first_name=self.rng.choice(FIRST_NAMES),
                email=None,
                text="Je n'ai pas pu joindre mon conseiller.",
                referred_at=at(when),
                now=at(when),
            )
        if self.rng.random() < 0.1:
            return mediation.record_referral(
                self.session,
                by=self.mediator,
                channel=ReferralChannel.LETTER,
                operator_id=c.operator_id,
                last_name=c.last_name,
                first_name=c.first_name,
                email=c.email,
                text="Par courrier.",
                referred_at=at(when),
                now=at(when),
                complaint=c,
            )
        return mediation.refer_to_mediator(
            self.session, c, text="La réponse ne me convient pas.", now=at(when), today=when
        )

    def work(self, r: Referral, manager: StaffMember, when: date) -> str:
        """The mediator's steps as the referral's age allows; returns its state."""
        rng, session, m = self.rng, self.session, self.mediator
        age = (self.today - when).days
        fresh = age < 10 and rng.random() < 0.7
        if fresh or (r.complaint_id is None and rng.random() < 0.3):
            return "pending"
        decided = self.day(when, min(age, 10))
        if r.complaint_id is None or rng.random() < 0.12:
            reason = rng.choice(REASONS)
            mediation.decide_admissibility(
                session, r, by=m, admissible=False, reason=reason, now=at(decided)
            )
            return "not admissible"
        mediation.decide_admissibility(
            session, r, by=m, admissible=True, reason=None, now=at(decided)
        )
        steps = ["admissible"]
        if rng.random() < 0.9:
            mediation.inform_operator(session, r, by=m, now=at(decided, 11))
            steps = ["operator informed"]
        left = (self.today - decided).days
        if rng.random() < 0.7:
            asked = self.day(decided, min(left, 7))
            mediation.request_access(session, r, by=m, now=at(asked, 12))
            steps = ["access requested"]
            if (self.today - asked).days > 2 and rng.random() < 0.8:
                granted = self.day(asked, 5)
                mediation.grant_access(session, r, by=manager, now=at(granted, 14))
                steps = ["access granted"]
        if left > 40 and rng.random() < 0.75:
            outcome = rng.choices(list(Outcome), weights=(4, 4, 2))[0]
            accepted = None if outcome == Outcome.NONE else rng.random() < 0.7
            closed = at(self.day(decided + timedelta(days=20), min(left - 20, 60)), 15)
            mediation.record_outcome(
                session, r, by=m, outcome=outcome, accepted=accepted, now=closed
            )
            steps = [
                f"closed: {outcome.value}" + ("" if accepted is None else f", accepted {accepted}")
            ]
        return steps[-1]


__all__ = ["LAST_NAMES", "MEDIATOR_EMAIL", "Desk", "at"]

"""A national year of complaints and referrals for `bench/complaints.py` (issue 12).

About 1 % of the 155,000 yearly entries: 1,550 complaints over the 18 demo operators in
proportion to their activity (their number of sites in the demo network, `SITES_PER_LOT`: lot 1
with 110 of 813 sites gets ≈ 210), received on days drawn evenly over the past 365 days. Every
row goes through the core functions of `portal.mediation.complaints` and `referrals` (no bulk
insert: 1,550 complaints take a few seconds, and the rows are exactly what the portal writes):

- the state follows the age: the last week mostly received or acknowledged (online ones are
  acknowledged at once); up to 45 days acknowledged or answered, a few overdue; older ones
  mostly closed, some answered and waiting for the person's word (satisfied, not, unknown),
  a few never answered (past the 45 days);
- 0 to 3 messages each, from the person or the operator; a person's message after the answer
  reopens some;
- about a third referred to the mediator by the person (answered and not satisfied, or left
  unanswered past 45 days), plus referrals the mediator recorded by letter or through France
  compétences' form (some without a complaint); the referral's state follows its age: pending,
  not admissible (with a reason), admissible with the operator informed, access requested,
  access granted, closed with an outcome (recommendation or settlement accepted or not, none).

The referrals are made by `bench/complaints_referrals.py`. One mediator (`MEDIATOR_EMAIL`)
and every manager sign in with `bench.workspace_book.PASSWORD`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.complaints_referrals import LAST_NAMES, MEDIATOR_EMAIL, Desk, at
from portal.advisor.reference import active_codes
from portal.demo import SITES_PER_LOT
from portal.demo.names import FIRST_NAMES
from portal.mediation import complaints as core
from portal.mediation.models import (
    MOTIVE_LIST,
    Channel,
    Complaint,
    ComplaintStatus,
)
from portal.network.models import Operator, StaffMember, StaffRole

YEARLY_COMPLAINTS = 1_550  # ≈ 1 % of 155,000 entries a year


@dataclass
class Dataset:
    complaints: Counter[str] = field(default_factory=Counter)
    referrals: Counter[str] = field(default_factory=Counter)
    per_operator: Counter[int] = field(default_factory=Counter)
    messages: int = 0
    busiest_manager: str = ""

    def describe(self) -> str:
        total = sum(self.complaints.values())
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.complaints.items()))
        referred = ", ".join(f"{k} {v}" for k, v in sorted(self.referrals.items()))
        spread = sorted(self.per_operator.values())
        return (
            f"  {total} complaints ({states}); {self.messages} messages;"
            f" per operator {spread[0]}–{spread[-1]}\n"
            f"  {sum(self.referrals.values())} referrals ({referred})\n"
            f"  busiest operator's manager: {self.busiest_manager}"
        )


class Builder:
    def __init__(self, session: Session, today: date, seed: int) -> None:
        self.session, self.today, self.rng = session, today, random.Random(seed)
        self.motives = sorted(active_codes(session)[MOTIVE_LIST])
        self.data = Dataset()
        self.desk = Desk(session, today, self.rng)

    def day(self, start: date, days: int) -> date:
        """A day `days` (at most) after `start`, never after today."""
        return min(self.today, start + timedelta(days=self.rng.randint(0, max(days, 0))))

    def complaint(self, manager: StaffMember, received_on: date, serial: int) -> Complaint:
        rng = self.rng
        who = core.Complainant(
            last_name=rng.choice(LAST_NAMES),
            first_name=rng.choice(FIRST_NAMES),
            email=f"reclamant{serial}@example.org" if rng.random() < 0.85 else None,
            phone="+33612345678",
        )
        motive, text = rng.choice(self.motives), "Le rendez-vous a été annulé deux fois."
        if who.email and rng.random() < 0.6:
            return core.file_complaint(
                self.session,
                operator_id=manager.operator_id or 0,
                complainant=who,
                motive=motive,
                text=text,
                now=at(received_on),
            )
        channel = rng.choice((Channel.LETTER, Channel.EMAIL, Channel.PHONE))
        recorded = self.day(received_on, 3)
        return core.record_complaint(
            self.session,
            by=manager,
            channel=channel,
            received_on=received_on,
            complainant=who,
            motive=motive,
            text=text,
            now=at(recorded),
            today=recorded,
        )

    def life(self, c: Complaint, manager: StaffMember) -> str:
        """Move the complaint on as its age allows; returns what the person may do next:
        'refer' (not satisfied, or no answer within 45 days) or ''."""
        rng, session, age = self.rng, self.session, (self.today - c.received_on).days
        self.messages(c, manager, c.received_on, 2)
        if age > 45 and rng.random() < 0.06:  # never answered: past the 45 days
            if c.acknowledged_at is None and rng.random() < 0.5:
                core.acknowledge_complaint(
                    session, c, by=manager, now=at(self.day(c.received_on, 6))
                )
            return "refer"
        if c.acknowledged_at is None and (age > 7 or rng.random() < 0.5):
            late = 9 if rng.random() < 0.1 else 6
            core.acknowledge_complaint(
                session, c, by=manager, now=at(self.day(c.received_on, late))
            )
        if age < 8 or (age <= 45 and rng.random() < 0.45):
            return ""
        answered = self.day(c.received_on + timedelta(days=8), min(age - 8, 40))
        core.answer_complaint(
            session, c, by=manager, answer="Voici notre réponse.", now=at(answered)
        )
        word = rng.random()
        if word < 0.3:  # not satisfied: with the unanswered, a third go to the mediator
            core.state_satisfaction(session, c, satisfied=False, now=at(self.day(answered, 5)))
            return "refer"
        if word < 0.75:
            core.state_satisfaction(session, c, satisfied=True, now=at(self.day(answered, 5)))
        if rng.random() < 0.1:  # the person writes again: reopened, answered again or not
            core.add_message(session, c, text="Ce n'est pas réglé.", now=at(self.day(answered, 8)))
            if (self.today - answered).days > 20 and rng.random() < 0.7:
                core.answer_complaint(
                    session,
                    c,
                    by=manager,
                    answer="Nouvelle réponse.",
                    now=at(self.day(answered, 20)),
                )
        old = c.status == ComplaintStatus.ANSWERED and (self.today - answered).days > 15
        if old and rng.random() < 0.85:
            core.close_complaint(session, c, by=manager, now=at(self.day(answered, 30)))
        return ""

    def close_referred(self, c: Complaint, manager: StaffMember, referred: date) -> None:
        """The operator closes most answered complaints once the mediator has them."""
        old = c.status == ComplaintStatus.ANSWERED and (self.today - referred).days > 15
        if old and self.rng.random() < 0.7:
            now = at(self.day(referred, 15), 16)
            core.close_complaint(self.session, c, by=manager, now=now)

    def messages(self, c: Complaint, manager: StaffMember, start: date, most: int) -> None:
        for _ in range(self.rng.randint(0, most)):
            moment = at(self.day(start, 10), self.rng.randint(8, 17))
            staff = self.rng.random() < 0.5
            core.add_message(
                self.session,
                c,
                text="Pouvez-vous préciser ?" if staff else "Merci de me tenir informé.",
                now=moment,
                by=manager if staff else None,
            )
            self.data.messages += 1


def managers(session: Session) -> list[tuple[Operator, StaffMember]]:
    rows = session.execute(
        select(Operator, StaffMember)
        .join(StaffMember, StaffMember.operator_id == Operator.id)
        .where(StaffMember.role == StaffRole.MANAGER)
        .order_by(Operator.lot_number, StaffMember.id)
    ).all()
    seen: dict[int, tuple[Operator, StaffMember]] = {}
    for operator, manager in rows:
        seen.setdefault(operator.id, (operator, manager))
    return list(seen.values())


def build(session: Session, today: date, log: Callable[[str], None], seed: int = 2026) -> Dataset:
    """The year of complaints and referrals (flushed, the caller commits)."""
    from bench.workspace_book import password

    b = Builder(session, today, seed)
    pairs = managers(session)
    weights = [SITES_PER_LOT[operator.lot_number] for operator, _ in pairs]
    share = [round(YEARLY_COMPLAINTS * w / sum(weights)) for w in weights]
    serial = 0
    for (operator, manager), count in zip(pairs, share, strict=True):
        for received_on in sorted(
            today - timedelta(days=b.rng.randint(0, 364)) for _ in range(count)
        ):
            serial += 1
            c = b.complaint(manager, received_on, serial)
            next_step = b.life(c, manager)
            b.data.per_operator[operator.id] += 1
            if next_step == "refer":
                opens = c.received_on + timedelta(days=46)
                after = c.satisfied_at.date() if c.satisfied_at else opens
                when = b.day(max(after, opens) if c.answered_at is None else after, 20)
                if when <= today:
                    r = b.desk.referral(c, manager, when)
                    b.data.referrals[b.desk.work(r, manager, when)] += 1
                    b.close_referred(c, manager, when)
            b.data.complaints[c.status.value + _word(c)] += 1
        for _ in range(max(1, count // 40)):  # France compétences' form, without a complaint
            when = today - timedelta(days=b.rng.randint(0, 364))
            r = b.desk.referral(None, manager, when)
            b.data.referrals[b.desk.work(r, manager, when)] += 1
        log(f"  lot {operator.lot_number:2d}: {count} complaints")
    for _, manager in pairs:
        password(session, manager)
    password(session, b.desk.mediator)
    busiest = max(pairs, key=lambda pair: b.data.per_operator[pair[0].id])
    b.data.busiest_manager = busiest[1].email
    session.flush()
    return b.data


def _word(c: Complaint) -> str:
    if c.status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED):
        return f" ({c.satisfied.value})"
    return ""


__all__ = ["MEDIATOR_EMAIL", "Dataset", "build"]

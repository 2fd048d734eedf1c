"""Demo of the mediator of France compétences: a mediator who signs in
(`mediateur@cep-demo.example`), and on lot 16 a complaint received by letter, answered, the
person not satisfied and referred to the mediator, so that the mediator's queue is not empty
in `make run`.

Through the core (record, acknowledge, answer, satisfaction, referral), no e-mail queued.
Idempotent: nothing is added when the mediator already exists. Every date derives from `today`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mediation.complaints import (
    Complainant,
    acknowledge_complaint,
    answer_complaint,
    record_complaint,
    state_satisfaction,
)
from portal.mediation.models import Channel
from portal.mediation.referrals import refer_to_mediator
from portal.network.models import Operator, StaffMember, StaffRole

MEDIATOR_EMAIL = "mediateur@cep-demo.example"
# France compétences' steering staff: the national view of the indicators (issue 15 §3).
STEERING_EMAIL = "pilotage@cep-demo.example"
REFERRAL_LOT = "16"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), UTC)  # 11:00 or 12:00 in Paris: the same day


def add_demo_mediation(session: Session, today: date) -> int:
    """The demo mediator and one referred complaint on lot 16; returns the referrals added."""
    if session.scalar(select(StaffMember.id).where(StaffMember.email == MEDIATOR_EMAIL)):
        return 0
    session.add(
        StaffMember(
            operator_id=None,
            email=MEDIATOR_EMAIL,
            full_name="Dominique Médiatrice",
            role=StaffRole.MEDIATOR,
        )
    )
    session.add(
        StaffMember(
            operator_id=None,
            email=STEERING_EMAIL,
            full_name="Camille Pilote",
            role=StaffRole.FRANCE_COMPETENCES,
        )
    )
    manager = session.scalar(
        select(StaffMember)
        .join(Operator, StaffMember.operator_id == Operator.id)
        .where(Operator.code == REFERRAL_LOT, StaffMember.role == StaffRole.MANAGER)
        .order_by(StaffMember.id)
        .limit(1)
    )
    if manager is None:
        session.flush()
        return 0
    received = today - timedelta(days=30)
    complaint = record_complaint(
        session,
        by=manager,
        channel=Channel.LETTER,
        received_on=received,
        complainant=Complainant(
            last_name="Marchand",
            first_name="Élise",
            email="elise.marchand@personne.cep-demo.example",
            phone=None,
        ),
        motive="delai_rendez_vous",
        text="J'ai attendu six semaines mon premier rendez-vous, sans nouvelles entre-temps.",
        now=_at(received),
        today=received,
    )
    acknowledge_complaint(session, complaint, by=manager, now=_at(received + timedelta(days=3)))
    answer_complaint(
        session,
        complaint,
        by=manager,
        answer="Nous regrettons ce délai, dû à l'absence d'une conseillère ; il est résorbé.",
        now=_at(today - timedelta(days=10)),
    )
    state_satisfaction(session, complaint, satisfied=False, now=_at(today - timedelta(days=8)))
    refer_to_mediator(
        session,
        complaint,
        text="La réponse n'explique pas pourquoi personne ne m'a prévenue.",
        now=_at(today - timedelta(days=2)),
        today=today - timedelta(days=2),
    )
    return 1


__all__ = ["MEDIATOR_EMAIL", "STEERING_EMAIL", "add_demo_mediation"]

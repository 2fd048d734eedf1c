"""Demo « demandes en attente » (issue 14): three people in each demo lot who found no slot
online, so that staff can try « Proposer un rendez-vous » — one asked today, one a week ago,
one near the end of the 30 jours ouvrés of CCTP 3.3."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.calendar import (
    Territory,
    add_working_days,
    first_appointment_deadline,
    is_working_day,
    territory_for_insee,
)
from portal.booking.identity import new_idempotency_key
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.demo.dossiers import DEMO_LOTS
from portal.demo.names import FIRST_NAMES, LAST_NAMES
from portal.network.models import Operator, Site
from portal.people.models import Beneficiary
from portal.reference import Motif

# Working days since the request; the motive each gave.
WAITING = ((0, Motif.FAIRE_LE_POINT), (5, Motif.CHANGER_METIER), (24, Motif.SE_FORMER))


def add_demo_waiting_requests(session: Session, today: date) -> int:
    made = 0
    for code in DEMO_LOTS:
        operator = session.scalar(select(Operator).where(Operator.code == code))
        if operator is None:
            continue
        insee = session.scalar(
            select(Site.commune_insee).where(Site.operator_id == operator.id).order_by(Site.id)
        )
        if insee is None:
            continue
        territory = territory_for_insee(insee)
        for index, (working_days_ago, motif) in enumerate(WAITING):
            n = 9000 + operator.lot_number * 10 + index
            requested_on = _working_days_before(today, working_days_ago, territory)
            person = Beneficiary(
                first_name=FIRST_NAMES[(n * 7) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(n * 13) % len(LAST_NAMES)],
                email=f"attente{n:04d}@beneficiaires.cep-demo.example",
                phone=f"+331990{n:05d}",  # ARCEP's fiction range, 01 99 00 xx xx
                birth_date=date(1975 + index * 7, 1 + index, 10 + index),
                consent_at=datetime.combine(requested_on, time(9), UTC),
                consent_version="demo",
            )
            session.add(
                AppointmentRequest(
                    idempotency_key=new_idempotency_key(),
                    beneficiary=person,
                    operator_id=operator.id,
                    competent_operator_id=operator.id,
                    requested_on=requested_on,
                    commune_insee=insee,
                    territory=territory.code,
                    deadline=first_appointment_deadline(requested_on, territory),
                    status=RequestStatus.WAITING,
                    motif=motif,
                    call_back_by=add_working_days(requested_on, 5, territory),
                )
            )
            made += 1
    session.flush()
    return made


def _working_days_before(day: date, count: int, territory: Territory) -> date:
    while count:
        day -= timedelta(days=1)
        count -= is_working_day(day, territory)
    return day

"""The measured advisor's agenda: this week's appointments on their own slots, and the
« demandes en attente » of their operator (and a few in every other one)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from portal.booking.calendar import METROPOLE, first_appointment_deadline
from portal.booking.models import Appointment, AppointmentRequest, Slot
from portal.booking.services import CONSENT_VERSION
from portal.clock import PARIS
from portal.network.models import Site, StaffMember, advisor_site
from portal.people.models import Beneficiary

WEEK_APPOINTMENTS = 25
WAITING_OWN, WAITING_ELSEWHERE = 40, 20


def _new_person(session: Session, rng: random.Random, created: datetime) -> int:
    return int(
        session.scalars(
            insert(Beneficiary).values(_person(rng, created)).returning(Beneficiary.id)
        ).one()
    )


def _person(rng: random.Random, created: datetime) -> dict[str, Any]:
    serial = rng.randrange(10**9)
    return {
        "last_name": "Durand", "first_name": "Alix", "email": f"attente{serial}@exemple.example",
        "phone": f"+336{serial % 10**8:08d}", "birth_date": date(1980 + serial % 20, 3, 14),
        "consent_at": created, "consent_version": CONSENT_VERSION, "locale": "fr",
        "created_at": created,
    }  # fmt: skip


def _request(rng: random.Random, operator_id: int, person_id: int, requested_on: date,
             status: str, commune: str) -> dict[str, Any]:  # fmt: skip
    return {
        "idempotency_key": uuid.UUID(int=rng.getrandbits(128)).hex, "beneficiary_id": person_id,
        "operator_id": operator_id, "competent_operator_id": operator_id,
        "requested_on": requested_on, "commune_insee": commune, "territory": METROPOLE.code,
        "deadline": first_appointment_deadline(requested_on, METROPOLE), "status": status,
        "call_back_by": requested_on + timedelta(days=7) if status == "waiting" else None,
        "created_at": datetime.combine(requested_on, time(9), UTC),
    }  # fmt: skip


def week(session: Session, member: StaffMember, first_dossier_id: int, today: date,
         now: datetime) -> int:  # fmt: skip
    """This week's agenda on the advisor's own slots: follow-ups of people of the book (held
    when past) and first appointments of new people (booked, to be marked when past)."""
    rng = random.Random(11)
    operator_id = member.operator_id
    assert operator_id is not None
    monday = today - timedelta(days=today.weekday())
    site = session.scalars(
        select(Site).join(advisor_site, advisor_site.c.site_id == Site.id)
        .where(advisor_site.c.staff_id == member.id).order_by(Site.id).limit(1)
    ).first()  # fmt: skip
    slots = []
    for day in range(5):
        for hour in (9, 10, 11, 14, 15, 16):
            starts = datetime.combine(monday + timedelta(days=day), time(hour), PARIS).astimezone(
                UTC
            )
            slots.append(
                {"advisor_id": member.id, "operator_id": member.operator_id,
                 "site_id": site.id if site else None, "starts_at": starts,
                 "ends_at": starts + timedelta(hours=1), "offers_presentiel": site is not None,
                 "offers_telephone": True, "offers_visio": False}
            )  # fmt: skip
    session.execute(pg_insert(Slot).values(slots).on_conflict_do_nothing())
    week_end = datetime.combine(monday + timedelta(days=7), time(0), PARIS)
    free = session.execute(
        text(
            "SELECT s.id, s.site_id, s.starts_at, s.ends_at FROM slot s WHERE s.advisor_id = :a"
            " AND s.starts_at >= :start AND s.starts_at < :end AND s.withdrawn_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM appointment p WHERE p.slot_id = s.id"
            " AND p.status IN ('booked', 'held', 'missed')) ORDER BY s.starts_at LIMIT :n"
        ),
        {"a": member.id, "start": datetime.combine(monday, time(0), PARIS), "end": week_end,
         "n": WEEK_APPOINTMENTS},
    ).all()  # fmt: skip
    followed = session.scalars(
        text("SELECT beneficiary_id FROM dossier WHERE id >= :first ORDER BY id"),
        {"first": first_dossier_id},
    ).all()
    commune = site.commune_insee if site else "75056"
    for index, (slot_id, site_id, starts, ends) in enumerate(free):
        request_id, status = None, "held" if starts < now else "booked"
        if index % 5 < 3:
            person_id = followed[(index * 37) % len(followed)]
        else:
            status = "booked"
            person_id = _new_person(session, rng, now)
            request = _request(rng, operator_id, person_id, today - timedelta(days=9),
                               "booked", commune)  # fmt: skip
            request_id = session.scalar(
                insert(AppointmentRequest).values(request).returning(AppointmentRequest.id)
            )
        session.execute(
            insert(Appointment).values(
                slot_id=slot_id, request_id=request_id, beneficiary_id=person_id,
                operator_id=member.operator_id, advisor_id=member.id, site_id=site_id,
                starts_at=starts, ends_at=ends,
                modality="presentiel" if site_id else "telephone", status=status,
                sequence=0, created_at=now - timedelta(days=9),
            )
        )  # fmt: skip
    return len(free)


def waiting(session: Session, member: StaffMember, today: date) -> int:
    """« Demandes en attente »: 40 in the advisor's operator, 20 in each other one."""
    rng = random.Random(13)
    sites = session.execute(
        text("SELECT operator_id, min(commune_insee) FROM site GROUP BY operator_id")
    ).all()
    made = 0
    for operator_id, commune in sites:
        for _ in range(WAITING_OWN if operator_id == member.operator_id else WAITING_ELSEWHERE):
            requested_on = today - timedelta(days=rng.randint(0, 20))
            created = datetime.combine(requested_on, time(9), UTC)
            person_id = _new_person(session, rng, created)
            session.execute(
                insert(AppointmentRequest).values(
                    _request(rng, operator_id, person_id, requested_on, "waiting", commune)
                )
            )
            made += 1
    return made

"""The dataset of the booking benchmark: the demo network, its large lot grown to its target.

Lot 1 (Île-de-France, 110 sites in the demo) gets 300 advisors, each with the demo's
availability (two half-days a week at their site, one in three also a remote window);
`materialise_slots` turns that into six months of past slots and the 63-day horizon; then six
months of appointments are written directly with bulk inserts: 75 % of past slots taken (held,
missed or cancelled), and future slots taken from 85 % in the coming days down to 35 % at the
end of the horizon (60 % over the horizon), plus a few cancelled appointments that free their
slot again. The other lots keep their demo advisors and future slots. Seeded: the same run
gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, Select, func, insert, select
from sqlalchemy.orm import Session

from portal.booking.calendar import METROPOLE, first_appointment_deadline
from portal.booking.models import (
    Appointment,
    AppointmentRequest,
    AvailabilityWindow,
    Slot,
)
from portal.booking.services import CONSENT_VERSION
from portal.booking.slots import materialise_slots
from portal.demo.availability import VALID_FROM
from portal.demo.names import FIRST_NAMES, LAST_NAMES
from portal.network.models import Operator, Site, SiteKind, StaffMember, StaffRole
from portal.people.models import Beneficiary

LOT = 1
ADVISORS = 300
HISTORY_DAYS = 182  # six months of past appointments
HORIZON_DAYS = 63  # as BOOKING_HORIZON_DAYS
PAST_TAKEN = 0.75
FUTURE_TAKEN_FIRST, FUTURE_TAKEN_LAST = 0.85, 0.35
FUTURE_CANCELLED = 0.05  # of the free future slots: a cancelled appointment, slot free again
BATCH = 5000


@dataclass
class Dataset:
    operator_id: int
    sites: int
    advisors: int
    windows: int
    past_slots: int
    future_slots: int
    appointments: int
    live_future: int
    requests: int

    def describe(self) -> str:
        share = self.live_future / self.future_slots if self.future_slots else 0.0
        return (
            f"lot {LOT}: {self.sites} sites, {self.advisors} advisors, {self.windows} "
            f"availability windows; {self.past_slots:,} past slots ({HISTORY_DAYS} days) and "
            f"{self.future_slots:,} future slots ({HORIZON_DAYS} days); {self.appointments:,} "
            f"appointments and {self.requests:,} requests, {self.live_future:,} live on future "
            f"slots ({share:.0%} of them taken)"
        )


def build(session: Session, today: date, now: datetime) -> Dataset:
    """Grow lot 1 to its target and fill it; the demo network must be loaded already."""
    operator = session.scalars(select(Operator).where(Operator.lot_number == LOT)).one()
    _top_up_advisors(session, operator)
    first = today - timedelta(days=HISTORY_DAYS)
    midnight = datetime.combine(first, time(0), UTC)
    # The past: materialise_slots from six months ago, as if it had run every day since.
    materialise_slots(
        session,
        today=first,
        horizon_days=HISTORY_DAYS - 1,
        operator_id=operator.id,
        now=midnight,
    )
    materialise_slots(session, today=today, horizon_days=HORIZON_DAYS, now=now)
    session.flush()
    _book(session, operator, today, now)
    session.commit()
    # What autovacuum does in production, once, now: statistics and the visibility map.
    with session.get_bind().connect() as conn:
        autocommit = conn.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.exec_driver_sql("VACUUM ANALYZE")
        autocommit.exec_driver_sql("CHECKPOINT")  # no backlog of dirty pages during the runs
    return _describe(session, operator.id, now)


def _top_up_advisors(session: Session, operator: Operator) -> None:
    advisors = session.scalar(
        select(func.count(StaffMember.id)).where(
            StaffMember.operator_id == operator.id, StaffMember.role == StaffRole.ADVISOR
        )
    )
    agences = session.scalars(
        select(Site)
        .where(Site.operator_id == operator.id, Site.kind == SiteKind.AGENCE)
        .order_by(Site.id)
    ).all()
    for serial in range(advisors or 0, ADVISORS):
        site = agences[(serial * 7) % len(agences)]
        advisor = StaffMember(
            operator=operator,
            email=f"renfort{serial + 1}@lot{LOT:02d}.cep-demo.example",
            full_name=f"{FIRST_NAMES[serial % len(FIRST_NAMES)]} Renfort",
            role=StaffRole.ADVISOR,
        )
        advisor.sites.append(site)
        session.add(advisor)
        session.flush()
        # As the demo: two ranges of the site's week.
        ranges = sorted({(h.weekday, h.opens, h.closes) for h in site.hours if h.weekday < 5})
        for pick in (serial % len(ranges), (serial + len(ranges) // 2 + 1) % len(ranges)):
            weekday, opens, closes = ranges[pick]
            session.add(
                AvailabilityWindow(
                    advisor_id=advisor.id,
                    operator_id=operator.id,
                    site_id=site.id,
                    weekday=weekday,
                    starts=opens,
                    ends=closes,
                    slot_minutes=60,
                    offers_presentiel=True,
                    offers_telephone=site.offers_telephone,
                    offers_visio=site.offers_visio,
                    valid_from=VALID_FROM,
                )
            )
    session.flush()


def _book(session: Session, operator: Operator, today: date, now: datetime) -> None:
    rng = random.Random(2026)
    rows = session.execute(
        select(
            Slot.id,
            Slot.advisor_id,
            Slot.site_id,
            Slot.starts_at,
            Slot.ends_at,
            Slot.offers_presentiel,
            Slot.offers_telephone,
            Site.commune_insee,
        )
        .outerjoin(Site, Site.id == Slot.site_id)
        .where(Slot.operator_id == operator.id, Slot.withdrawn_at.is_(None))
        .order_by(Slot.starts_at, Slot.id)
    ).all()
    horizon = timedelta(days=HORIZON_DAYS).total_seconds()
    chosen: list[tuple[Row[Any], str]] = []  # (slot row, appointment status)
    for row in rows:
        if row.starts_at < now:
            if rng.random() < PAST_TAKEN:
                roll = rng.random()
                status = "held" if roll < 0.8 else "missed" if roll < 0.9 else "cancelled"
                chosen.append((row, status))
            continue
        ahead = (row.starts_at - now).total_seconds() / horizon
        taken = FUTURE_TAKEN_FIRST - (FUTURE_TAKEN_FIRST - FUTURE_TAKEN_LAST) * min(ahead, 1.0)
        if rng.random() < taken:
            chosen.append((row, "booked"))
        elif rng.random() < FUTURE_CANCELLED:
            chosen.append((row, "cancelled"))
    for start in range(0, len(chosen), BATCH):
        _insert(session, operator.id, chosen[start : start + BATCH], rng, today, now)


def _insert(
    session: Session,
    operator_id: int,
    chosen: list[tuple[Row[Any], str]],
    rng: random.Random,
    today: date,
    now: datetime,
) -> None:
    people, requests, appointments = [], [], []
    for row, status in chosen:
        serial = rng.randrange(10**9)
        local_day = row.starts_at.date()
        requested_on = min(today, local_day - timedelta(days=rng.randint(1, 25)))
        created = datetime.combine(requested_on, time(10), UTC)
        people.append(
            {
                "last_name": LAST_NAMES[serial % len(LAST_NAMES)],
                "first_name": FIRST_NAMES[serial % len(FIRST_NAMES)],
                "email": f"personne{serial}@exemple.example",
                "phone": f"+336{serial % 10**8:08d}",
                "birth_date": date(1960 + serial % 40, 1 + serial % 12, 1 + serial % 28),
                "consent_at": created,
                "consent_version": CONSENT_VERSION,
                "locale": "fr",
                "created_at": created,
            }
        )
        request_status = {"held": "honoured", "booked": "booked"}.get(status, "cancelled")
        requests.append(
            {
                "idempotency_key": f"{rng.getrandbits(128):032x}",
                "operator_id": operator_id,
                "competent_operator_id": operator_id,
                "requested_on": requested_on,
                "commune_insee": row.commune_insee or "75056",
                "territory": METROPOLE.code,
                "deadline": first_appointment_deadline(requested_on, METROPOLE),
                "status": request_status,
                "created_at": created,
            }
        )
        in_person = row.offers_presentiel and row.site_id is not None
        appointments.append(
            {
                "slot_id": row.id,
                "operator_id": operator_id,
                "advisor_id": row.advisor_id,
                "site_id": row.site_id if in_person else None,
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "modality": "presentiel" if in_person else "telephone",
                "status": status,
                "sequence": 1 if status == "cancelled" else 0,
                "created_at": created,
                "cancelled_at": min(now, created + timedelta(days=2))
                if status == "cancelled"
                else None,
            }
        )
    person_ids = session.scalars(
        insert(Beneficiary).returning(Beneficiary.id, sort_by_parameter_order=True), people
    ).all()
    for request, person_id in zip(requests, person_ids, strict=True):
        request["beneficiary_id"] = person_id
    request_ids = session.scalars(
        insert(AppointmentRequest).returning(AppointmentRequest.id, sort_by_parameter_order=True),
        requests,
    ).all()
    for appointment, request_id, person_id in zip(
        appointments, request_ids, person_ids, strict=True
    ):
        appointment["request_id"] = request_id
        appointment["beneficiary_id"] = person_id
    session.execute(insert(Appointment), appointments)


def _describe(session: Session, operator_id: int, now: datetime) -> Dataset:
    def count(query: Select[Any]) -> int:
        return int(session.scalar(query) or 0)

    slots = select(func.count(Slot.id)).where(Slot.operator_id == operator_id)
    return Dataset(
        operator_id=operator_id,
        sites=count(select(func.count(Site.id)).where(Site.operator_id == operator_id)),
        advisors=count(
            select(func.count(StaffMember.id)).where(
                StaffMember.operator_id == operator_id, StaffMember.role == StaffRole.ADVISOR
            )
        ),
        windows=count(
            select(func.count(AvailabilityWindow.id)).where(
                AvailabilityWindow.operator_id == operator_id
            )
        ),
        past_slots=count(slots.where(Slot.starts_at < now)),
        future_slots=count(slots.where(Slot.starts_at >= now, Slot.withdrawn_at.is_(None))),
        appointments=count(
            select(func.count(Appointment.id)).where(Appointment.operator_id == operator_id)
        ),
        live_future=count(
            select(func.count(Appointment.id)).where(
                Appointment.operator_id == operator_id,
                Appointment.starts_at >= now,
                Appointment.status == "booked",
            )
        ),
        requests=count(
            select(func.count(AppointmentRequest.id)).where(
                AppointmentRequest.operator_id == operator_id
            )
        ),
    )

"""Rows for the agenda's tests (issue 14 §3), on the demo network: an advisor of their own,
first appointments and sessions on slots made by hand at known local times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from portal.advisor.models import Unit, UnitKind
from portal.booking.calendar import monday
from portal.booking.models import Appointment, AppointmentRequest, AppointmentStatus, Slot
from portal.network.models import Modality, StaffMember
from tests import staff_booking_data as booking
from tests import workspace_data as ws

PARIS = ZoneInfo("Europe/Paris")  # operator 16 (Corse) keeps the time of Paris


def later_monday(today: date, weeks: int = 2) -> date:
    return monday(today) + timedelta(weeks=weeks)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def slot(
    session: Session,
    advisor: StaffMember,
    starts_at: datetime,
    *,
    minutes: int = 60,
    visio: bool = False,
) -> Slot:
    assert advisor.operator_id is not None
    made = Slot(
        advisor_id=advisor.id,
        operator_id=advisor.operator_id,
        site_id=advisor.sites[0].id if advisor.sites else None,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        offers_presentiel=bool(advisor.sites),
        offers_telephone=True,
        offers_visio=visio,
    )
    session.add(made)
    session.flush()
    return made


def first_appointment(
    session: Session, advisor: StaffMember, starts_at: datetime, *, last_name: str = "Dupont"
) -> tuple[Appointment, AppointmentRequest]:
    request = booking.request_for(
        session,
        ws.operator(session),
        requested_on=starts_at.date() - timedelta(days=7),
        last_name=last_name,
    )
    appointment = booking.book(session, slot(session, advisor, starts_at), request)
    return appointment, request


def unit(
    session: Session, advisor: StaffMember, today: date, kind: UnitKind = UnitKind.UO1
) -> Unit:
    ws.ensure_orders(session, "16", (today.year - 1, today.year, today.year + 1))
    return ws.engaged(session, advisor, kind, engaged_on=today, today=today)


def session_of(
    session: Session,
    unit: Unit,
    advisor: StaffMember,
    starts_at: datetime,
    *,
    modality: Modality = Modality.TELEPHONE,
    video_url: str | None = None,
) -> Appointment:
    made = slot(session, advisor, starts_at, visio=modality is Modality.VISIO)
    appointment = Appointment(
        slot_id=made.id,
        unit_id=unit.id,
        beneficiary_id=unit.dossier.beneficiary_id,
        operator_id=made.operator_id,
        advisor_id=advisor.id,
        site_id=None,
        starts_at=made.starts_at,
        ends_at=made.ends_at,
        modality=modality,
        status=AppointmentStatus.BOOKED,
        booked_by_id=advisor.id,
        video_url=video_url,
    )
    session.add(appointment)
    session.flush()
    return appointment

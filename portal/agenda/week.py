"""An advisor's week in three statements: their live appointments (first appointments and
sessions of a unit), their free slots merged into bands of availability, and their absences,
grouped by local day of the operator's timezone (issue 14 §3).

No Flask here: the view hands the session, the advisor and the Monday."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier, Unit, UnitKind
from portal.booking.models import LIVE_SQL, Absence, Appointment, Slot
from portal.network.models import Modality, Site
from portal.people.models import Beneficiary

DAYS_SHOWN = 5  # Monday to Friday; Saturday and Sunday only when something happens then


@dataclass(frozen=True, slots=True)
class AgendaAppointment:
    id: int
    starts_at: datetime  # local time of the operator
    ends_at: datetime
    modality: Modality
    status: str
    first_name: str
    last_name: str
    phone: str
    site_name: str | None
    unit_kind: UnitKind | None  # None: a first appointment
    unit_number: str | None
    dossier_id: int | None
    video_url: str | None
    slot_withdrawn: bool

    @property
    def is_first(self) -> bool:
        return self.unit_kind is None

    @property
    def initials(self) -> str:
        return initials(self.first_name, self.last_name)


@dataclass(slots=True)
class Band:
    """Free slots in a row at one place: « 9 h 00 – 12 h 00, free »."""

    starts_at: datetime
    ends_at: datetime
    site_name: str | None
    slots: int = 1


@dataclass(slots=True)
class AgendaDay:
    day: date
    appointments: list[AgendaAppointment] = field(default_factory=list)
    free: list[Band] = field(default_factory=list)
    absence: str | None = None  # the reason, "" when none was given; None: present

    @property
    def is_empty(self) -> bool:
        return not self.appointments and not self.free and self.absence is None


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    days: list[AgendaDay]
    timezone: ZoneInfo

    @property
    def count(self) -> int:
        return sum(len(day.appointments) for day in self.days)


def initials(first_name: str, last_name: str) -> str:
    """« J. D. » for Jeanne Dupont; « J.-P. D. » for Jean-Pierre Dupont."""

    def of(name: str) -> str:
        parts = [p for p in name.strip().split("-") if p]
        return "-".join(p[0].upper() + "." for p in parts)

    return " ".join(part for part in (of(first_name), of(last_name)) if part)


def week_bounds(monday: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return (
        datetime.combine(monday, time(0), tz),
        datetime.combine(monday + timedelta(days=7), time(0), tz),
    )


def advisor_week(session: Session, *, advisor_id: int, monday: date, tz: ZoneInfo) -> Week:
    """The advisor's week starting on `monday` (a Monday), in `tz` (the operator's)."""
    start, end = week_bounds(monday, tz)
    days = {monday + timedelta(days=n): AgendaDay(monday + timedelta(days=n)) for n in range(7)}
    for item in appointments_between(session, advisor_id=advisor_id, start=start, end=end, tz=tz):
        days[item.starts_at.date()].appointments.append(item)
    for slot_start, slot_end, site_name in _free_slots(session, advisor_id, start, end):
        local_start, local_end = slot_start.astimezone(tz), slot_end.astimezone(tz)
        bands = days[local_start.date()].free
        last = bands[-1] if bands else None
        if last and last.ends_at == local_start and last.site_name == site_name:
            last.ends_at, last.slots = local_end, last.slots + 1
        else:
            bands.append(Band(local_start, local_end, site_name))
    for starts_on, ends_on, reason in session.execute(
        select(Absence.starts_on, Absence.ends_on, Absence.reason).where(
            Absence.advisor_id == advisor_id,
            Absence.starts_on < monday + timedelta(days=7),
            Absence.ends_on >= monday,
        )
    ):
        for day in days.values():
            if starts_on <= day.day <= ends_on:
                day.absence = reason or ""
    shown = [day for n, day in enumerate(days.values()) if n < DAYS_SHOWN or not day.is_empty]
    return Week(monday, shown, tz)


def appointments_between(
    session: Session, *, advisor_id: int, start: datetime, end: datetime, tz: ZoneInfo
) -> list[AgendaAppointment]:
    """Live appointments of the advisor starting in [start, end), in time order: one
    statement, with the person's name, the unit and the dossier."""
    request_dossier = (
        select(Dossier.id)
        .where(Dossier.request_id == Appointment.request_id)
        .order_by(Dossier.id)
        .limit(1)
        .correlate(Appointment)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Appointment.id,
            Appointment.starts_at,
            Appointment.ends_at,
            Appointment.modality,
            Appointment.status,
            Beneficiary.first_name,
            Beneficiary.last_name,
            Beneficiary.phone,
            Site.name,
            Unit.kind,
            Unit.number,
            Unit.dossier_id,
            request_dossier,
            Appointment.video_url,
            Slot.withdrawn_at,
        )
        .join(Beneficiary, Beneficiary.id == Appointment.beneficiary_id)
        .join(Slot, Slot.id == Appointment.slot_id)
        .outerjoin(Site, Site.id == Appointment.site_id)
        .outerjoin(Unit, Unit.id == Appointment.unit_id)
        .where(
            Appointment.advisor_id == advisor_id,
            LIVE_SQL,
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    return [
        AgendaAppointment(
            id=row[0],
            starts_at=row[1].astimezone(tz),
            ends_at=row[2].astimezone(tz),
            modality=Modality(row[3]),
            status=str(row[4]),
            first_name=row[5],
            last_name=row[6],
            phone=row[7],
            site_name=row[8],
            unit_kind=UnitKind(row[9]) if row[9] is not None else None,
            unit_number=row[10],
            dossier_id=row[11] if row[11] is not None else row[12],
            video_url=row[13],
            slot_withdrawn=row[14] is not None,
        )
        for row in rows
    ]


def _free_slots(
    session: Session, advisor_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, str | None]]:
    """The advisor's slots in [start, end) that nobody booked, not withdrawn."""
    taken = exists().where(and_(Appointment.slot_id == Slot.id, LIVE_SQL))
    return [
        (row[0], row[1], row[2])
        for row in session.execute(
            select(Slot.starts_at, Slot.ends_at, Site.name)
            .outerjoin(Site, Site.id == Slot.site_id)
            .where(
                Slot.advisor_id == advisor_id,
                Slot.starts_at >= start,
                Slot.starts_at < end,
                Slot.withdrawn_at.is_(None),
                ~taken,
            )
            .order_by(Slot.starts_at)
        )
    ]

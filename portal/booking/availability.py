"""An advisor's recurring availability windows and absences, as a manager sets them.

Every rule is checked here, on the server, and a broken one raises `AvailabilityError` with a
code and the field it concerns; the view words it for people. The services flush, never
commit; the caller then materialises slots (`slots.materialise_slots`) and commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.booking.models import LIVE_STATUSES, Absence, Appointment, AvailabilityWindow, Slot
from portal.network.models import Modality, Site, StaffMember, StaffRole

# The database holds the same bounds (ck_availability_window_slot_minutes).
MIN_SLOT_MINUTES = 15
MAX_SLOT_MINUTES = 240


class AvailabilityErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    SLOT_LENGTH = "slot_length"
    RANGE = "range"
    SHORTER_THAN_SLOT = "shorter_than_slot"
    VALIDITY = "validity"
    NO_MODALITY = "no_modality"
    PRESENTIEL_NEEDS_SITE = "presentiel_needs_site"
    FOREIGN_SITE = "foreign_site"
    ADVISOR_NOT_AT_SITE = "advisor_not_at_site"
    OUTSIDE_OPENING_HOURS = "outside_opening_hours"
    MODALITY_NOT_OFFERED = "modality_not_offered"
    OVERLAP = "overlap"
    ABSENCE_RANGE = "absence_range"


class AvailabilityError(Exception):
    def __init__(self, code: AvailabilityErrorCode, field: str | None = None, **params: object):
        super().__init__(code.value)
        self.code = code
        self.field = field  # the form field the error belongs to, when there is one
        self.params = params


@dataclass(frozen=True, slots=True)
class WindowInput:
    site_id: int | None  # None: remote only
    weekday: int  # 0 = Monday
    starts: time
    ends: time
    modalities: frozenset[Modality]
    slot_minutes: int
    valid_from: date
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class AbsenceResult:
    absence: Absence
    # Live appointments of the advisor during the absence: the manager moves them.
    to_reschedule: list[Appointment]


def operator_advisor(session: Session, *, operator_id: int, advisor_id: int) -> StaffMember:
    """An advisor of this operator; NOT_FOUND for anyone else (a foreign advisor is a 404)."""
    advisor = session.get(StaffMember, advisor_id)
    if advisor is None or advisor.operator_id != operator_id or advisor.role != StaffRole.ADVISOR:
        raise AvailabilityError(AvailabilityErrorCode.NOT_FOUND)
    return advisor


def advisor_windows(session: Session, advisor_id: int) -> list[AvailabilityWindow]:
    return list(
        session.scalars(
            select(AvailabilityWindow)
            .where(AvailabilityWindow.advisor_id == advisor_id)
            .options(selectinload(AvailabilityWindow.site))
            .order_by(AvailabilityWindow.weekday, AvailabilityWindow.starts, AvailabilityWindow.id)
        )
    )


def advisor_absences(session: Session, advisor_id: int, *, since: date) -> list[Absence]:
    """Absences that end today or later (past ones are history)."""
    return list(
        session.scalars(
            select(Absence)
            .where(Absence.advisor_id == advisor_id, Absence.ends_on >= since)
            .order_by(Absence.starts_on, Absence.id)
        )
    )


def add_window(session: Session, *, advisor: StaffMember, data: WindowInput) -> AvailabilityWindow:
    """Add a recurring window after checking every rule; raises AvailabilityError."""
    assert advisor.operator_id is not None
    site = _check_window(session, advisor, data)
    window = AvailabilityWindow(
        advisor_id=advisor.id,
        operator_id=advisor.operator_id,
        site_id=site.id if site else None,
        weekday=data.weekday,
        starts=data.starts,
        ends=data.ends,
        slot_minutes=data.slot_minutes,
        offers_presentiel=Modality.PRESENTIEL in data.modalities,
        offers_telephone=Modality.TELEPHONE in data.modalities,
        offers_visio=Modality.VISIO in data.modalities,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
    )
    session.add(window)
    session.flush()
    return window


def remove_window(session: Session, *, advisor: StaffMember, window_id: int) -> None:
    window = session.get(AvailabilityWindow, window_id)
    if window is None or window.advisor_id != advisor.id:
        raise AvailabilityError(AvailabilityErrorCode.NOT_FOUND)
    session.delete(window)
    session.flush()


def add_absence(
    session: Session,
    *,
    advisor: StaffMember,
    starts_on: date,
    ends_on: date,
    reason: str,
    timezone: ZoneInfo,
    now: datetime,
) -> AbsenceResult:
    """Record an absence. It is accepted even over booked appointments: those are returned,
    to be moved by the manager (the slots are withdrawn when slots are materialised)."""
    if ends_on < starts_on:
        raise AvailabilityError(AvailabilityErrorCode.ABSENCE_RANGE, "ends_on")
    absence = Absence(
        advisor_id=advisor.id, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()
    )
    session.add(absence)
    session.flush()
    to_move = [
        appointment
        for appointment in upcoming_live_appointments(session, advisor.id, now=now)
        if starts_on <= appointment.starts_at.astimezone(timezone).date() <= ends_on
    ]
    return AbsenceResult(absence, to_move)


def remove_absence(session: Session, *, advisor: StaffMember, absence_id: int) -> None:
    absence = session.get(Absence, absence_id)
    if absence is None or absence.advisor_id != advisor.id:
        raise AvailabilityError(AvailabilityErrorCode.NOT_FOUND)
    session.delete(absence)
    session.flush()


def upcoming_live_appointments(
    session: Session, advisor_id: int, *, now: datetime
) -> list[Appointment]:
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.advisor_id == advisor_id,
                Appointment.status.in_(LIVE_STATUSES),
                Appointment.starts_at >= now,
            )
            .options(selectinload(Appointment.beneficiary), selectinload(Appointment.site))
            .order_by(Appointment.starts_at)
        )
    )


def appointments_to_reschedule(
    session: Session, advisor_id: int, *, now: datetime, timezone: ZoneInfo
) -> list[Appointment]:
    """The advisor's upcoming live appointments that no availability holds any more: their
    slot was withdrawn (a removed window, a closure) or they fall in one of their absences."""
    appointments = upcoming_live_appointments(session, advisor_id, now=now)
    if not appointments:
        return []
    withdrawn = set(
        session.scalars(
            select(Slot.id).where(
                Slot.id.in_([a.slot_id for a in appointments]), Slot.withdrawn_at.is_not(None)
            )
        )
    )
    absences = advisor_absences(session, advisor_id, since=now.astimezone(timezone).date())
    return [
        appointment
        for appointment in appointments
        if appointment.slot_id in withdrawn
        or any(
            a.starts_on <= appointment.starts_at.astimezone(timezone).date() <= a.ends_on
            for a in absences
        )
    ]


def _check_window(session: Session, advisor: StaffMember, data: WindowInput) -> Site | None:
    error = AvailabilityError
    codes = AvailabilityErrorCode
    if not MIN_SLOT_MINUTES <= data.slot_minutes <= MAX_SLOT_MINUTES:
        raise error(codes.SLOT_LENGTH, "slot_minutes", min=MIN_SLOT_MINUTES, max=MAX_SLOT_MINUTES)
    if data.starts >= data.ends:
        raise error(codes.RANGE, "ends")
    if _seconds(data.ends) - _seconds(data.starts) < data.slot_minutes * 60:
        raise error(codes.SHORTER_THAN_SLOT, "slot_minutes")
    if data.valid_until is not None and data.valid_until < data.valid_from:
        raise error(codes.VALIDITY, "valid_until")
    if not data.modalities:
        raise error(codes.NO_MODALITY, "modalities")
    site = None
    if data.site_id is None:
        if Modality.PRESENTIEL in data.modalities:
            raise error(codes.PRESENTIEL_NEEDS_SITE, "site")
    else:
        site = session.get(Site, data.site_id)
        if site is None or site.operator_id != advisor.operator_id or not site.active:
            raise error(codes.FOREIGN_SITE, "site")
        if site not in advisor.sites:
            raise error(codes.ADVISOR_NOT_AT_SITE, "site", site=site.name)
        if not _within_opening_hours(site, data):
            hours = [(h.opens, h.closes) for h in site.hours if h.weekday == data.weekday]
            raise error(codes.OUTSIDE_OPENING_HOURS, "starts", site=site.name, hours=hours)
        missing = data.modalities - set(site.modalities)
        if missing:
            raise error(codes.MODALITY_NOT_OFFERED, "modalities", site=site.name)
    for other in advisor_windows(session, advisor.id):
        if _overlaps(other, data):
            raise error(codes.OVERLAP, "starts", other=other)
    return site


def _within_opening_hours(site: Site, data: WindowInput) -> bool:
    """The window lies within the site's opening hours of that weekday: it starts at or after
    the first opening and ends at or before the last closing. A lunch break inside the window
    is allowed (no slot is made while the site is closed), but at least one slot must fit in
    an opening range."""
    ranges = [(h.opens, h.closes) for h in site.hours if h.weekday == data.weekday]
    if not ranges:
        return False
    if data.starts < min(o for o, _ in ranges) or data.ends > max(c for _, c in ranges):
        return False
    length = data.slot_minutes * 60
    return any(
        _seconds(min(data.ends, closes)) - _seconds(max(data.starts, opens)) >= length
        for opens, closes in ranges
    )


def _overlaps(window: AvailabilityWindow, data: WindowInput) -> bool:
    if window.weekday != data.weekday:
        return False
    if not (window.starts < data.ends and data.starts < window.ends):
        return False
    # Validity periods overlap (an open end runs for ever).
    return (data.valid_until is None or window.valid_from <= data.valid_until) and (
        window.valid_until is None or data.valid_from <= window.valid_until
    )


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second

"""Follow-up sessions inside a unit (issue 14 §2): booking, moving, cancelling, holding.

A session is an `Appointment` with `unit_id` set and no request. The advisor books it on one
of their own free slots, or on a time they type (a one-off slot, `booking.one_off`). The
unit's deadline bounds the choice: a session whose local day is after it is refused with
the deadline. From UO2.1 on, sessions go to the référent unique (`Dossier.advisor_id`);
another advisor needs a reason, kept on the appointment. Double booking is refused by the
database (partial unique index, savepoint → SLOT_TAKEN), as in `booking.services`.

Every function flushes, never commits, and raises `SessionError` (or `UnitError` from the
interaction it records) with a code. Who may call them (the advisor of the operator, the
person through their signed link) is the views' business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import Interaction, Unit
from portal.advisor.session_rules import (
    SessionError,
    SessionErrorCode,
    check_advisor,
    check_in_time,
    local_day,
    session_slot,
    video_link,
)
from portal.advisor.unit_work import record_interaction
from portal.booking.appointments import appointment_on, replace_appointment
from portal.booking.errors import BookingError
from portal.booking.models import Appointment, AppointmentStatus, Slot
from portal.booking.one_off import create_one_off_slot
from portal.booking.services import can_change
from portal.network.models import Modality, StaffMember


@dataclass(frozen=True, slots=True)
class OneOff:
    """A free time the advisor types: its start (aware), its length, the site if in person."""

    starts_at: datetime
    minutes: int
    site_id: int | None = None


def _slot_for(
    session: Session,
    *,
    unit: Unit,
    advisor: StaffMember,
    staff: StaffMember | None,
    modality: Modality,
    slot_id: int | None,
    one_off: OneOff | None,
    now: datetime,
) -> Slot:
    """The advisor's free slot `slot_id`, or a one-off slot made for `one_off`; checked
    against the unit's deadline before anything is created."""
    if one_off is None:
        if slot_id is None:
            raise SessionError(SessionErrorCode.SLOT_UNAVAILABLE, field="slot")
        slot = session_slot(session, slot_id=slot_id, advisor=advisor, modality=modality, now=now)
        check_in_time(unit, local_day(slot.starts_at, unit.operator))
        return slot
    if staff is None:  # the person chooses among the advisor's free slots only
        raise SessionError(SessionErrorCode.SLOT_UNAVAILABLE, field="slot")
    check_in_time(unit, local_day(one_off.starts_at, unit.operator))
    try:
        return create_one_off_slot(
            session,
            operator=unit.operator,
            advisor=advisor,
            site_id=one_off.site_id,
            starts_at=one_off.starts_at,
            minutes=one_off.minutes,
            modality=modality,
            created_by=staff,
            now=now,
        )
    except BookingError as error:
        raise SessionError.from_booking(error, field="day") from None


def book_session(
    session: Session,
    *,
    unit: Unit,
    modality: Modality,
    advisor: StaffMember,
    staff: StaffMember,
    now: datetime,
    slot_id: int | None = None,
    one_off: OneOff | None = None,
    other_advisor_reason: str = "",
) -> Appointment:
    """Book the unit's next session, booked by `staff` for the person."""
    if not unit.is_open:
        raise SessionError(SessionErrorCode.UNIT_CLOSED)
    reason = check_advisor(unit, advisor, other_advisor_reason)
    slot = _slot_for(
        session,
        unit=unit,
        advisor=advisor,
        staff=staff,
        modality=modality,
        slot_id=slot_id,
        one_off=one_off,
        now=now,
    )
    try:
        with session.begin_nested():
            appointment = appointment_on(
                slot,
                modality,
                unit_id=unit.id,
                beneficiary_id=unit.dossier.beneficiary_id,
                sequence=0,
                booked_by_id=staff.id,
                other_advisor_reason=reason,
                video_url=video_link(unit.operator) if modality is Modality.VISIO else None,
            )
            session.add(appointment)
            session.flush()
    except IntegrityError:
        raise SessionError(SessionErrorCode.SLOT_TAKEN, field="slot") from None
    return appointment


def current_session(session: Session, appointment: Appointment) -> Appointment:
    """The session as it stands now: a moved one points at its replacement."""
    seen = {appointment.id}
    while appointment.replaced_by_id is not None and appointment.replaced_by_id not in seen:
        appointment = session.get_one(Appointment, appointment.replaced_by_id)
        seen.add(appointment.id)
    return appointment


def _check_changeable(
    session: Session,
    appointment: Appointment,
    *,
    now: datetime,
    cutoff: timedelta | None,
    open_unit: bool = True,
) -> Unit:
    """A booked session (of an open unit, to move it); the person (`cutoff` given) only
    until the cut-off, staff until it starts."""
    unit = _unit_of(session, appointment)
    if not can_change(appointment, now=now, cutoff=cutoff or timedelta(0)):
        raise SessionError(SessionErrorCode.NOT_CHANGEABLE)
    if open_unit and not unit.is_open:
        raise SessionError(SessionErrorCode.UNIT_CLOSED)
    return unit


def _unit_of(session: Session, appointment: Appointment) -> Unit:
    if appointment.unit_id is None:
        raise SessionError(SessionErrorCode.NOT_A_SESSION)
    return session.get_one(Unit, appointment.unit_id)


def move_session(
    session: Session,
    *,
    appointment: Appointment,
    modality: Modality,
    now: datetime,
    slot_id: int | None = None,
    one_off: OneOff | None = None,
    advisor: StaffMember | None = None,
    staff: StaffMember | None = None,
    other_advisor_reason: str = "",
    cutoff: timedelta | None = None,
) -> Appointment:
    """Move a session to another slot (or, for staff, a typed time and another advisor).
    The person moves with `staff` None and the change `cutoff`; the same deadline and
    référent rules apply. Gives the new appointment; the old one becomes MOVED."""
    unit = _check_changeable(
        session, appointment, now=now, cutoff=cutoff if staff is None else None
    )
    advisor = advisor if staff is not None and advisor is not None else appointment.advisor
    if staff is None:
        other_advisor_reason = appointment.other_advisor_reason or ""
    reason = check_advisor(unit, advisor, other_advisor_reason)
    if one_off is None and slot_id == appointment.slot_id and modality == appointment.modality:
        raise SessionError(SessionErrorCode.SAME_SLOT, field="slot")
    slot = _slot_for(
        session,
        unit=unit,
        advisor=advisor,
        staff=staff,
        modality=modality,
        slot_id=slot_id,
        one_off=one_off,
        now=now,
    )
    old_slot = appointment.slot
    video = appointment.video_url if modality is Modality.VISIO else None
    if modality is Modality.VISIO and video is None:
        video = video_link(unit.operator)
    try:
        moved = replace_appointment(
            session,
            appointment=appointment,
            slot=slot,
            modality=modality,
            now=now,
            other_advisor_reason=reason,
            video_url=video,
        )
    except BookingError as error:
        raise SessionError.from_booking(error, field="slot") from None
    _release(old_slot, now)
    return moved


def cancel_session(
    session: Session, *, appointment: Appointment, now: datetime, cutoff: timedelta | None = None
) -> None:
    """Cancel a session: by the person until `cutoff` before it, by staff (`cutoff` None)
    until it starts; even once its unit is closed. A one-off slot freed this way is
    withdrawn, never offered again."""
    _check_changeable(session, appointment, now=now, cutoff=cutoff, open_unit=False)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.sequence += 1
    _release(appointment.slot, now)
    session.flush()


def _release(slot: Slot, now: datetime) -> None:
    """A one-off slot was made for one session: once left, nobody else should get it."""
    if slot.created_by_id is not None and slot.withdrawn_at is None:
        slot.withdrawn_at = now


def _check_past_booked(session: Session, appointment: Appointment, now: datetime) -> Unit:
    unit = _unit_of(session, appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise UnitError(UnitErrorCode.APPOINTMENT_NOT_BOOKED, appointment.status)
    if appointment.starts_at > now:
        raise UnitError(UnitErrorCode.APPOINTMENT_IN_FUTURE)
    return unit


def session_minutes(appointment: Appointment) -> int:
    """The session's length in minutes (what « Séance tenue » proposes as the duration)."""
    return int((appointment.ends_at - appointment.starts_at) / timedelta(minutes=1))


def hold_session(
    session: Session,
    *,
    appointment: Appointment,
    by: StaffMember,
    now: datetime,
    today: date,
    duration_minutes: int | None = None,
) -> Interaction:
    """The session took place: it is HELD and the unit's exchange is recorded from it — its
    local day, the contact mode of its modality (Annex 2 codes), its length unless the
    advisor gives another, and the appointment it came from."""
    unit = _check_past_booked(session, appointment, now)
    appointment.status = AppointmentStatus.HELD
    return record_interaction(
        session,
        unit,
        occurred_on=local_day(appointment.starts_at, appointment.operator),
        contact_mode=str(appointment.modality),
        duration_minutes=duration_minutes or max(1, min(session_minutes(appointment), 600)),
        by=by,
        today=today,
        appointment=appointment,
    )


def miss_session(session: Session, *, appointment: Appointment, now: datetime) -> None:
    """The person did not come: the session is MISSED, and no exchange is recorded."""
    _check_past_booked(session, appointment, now)
    appointment.status = AppointmentStatus.MISSED
    session.flush()

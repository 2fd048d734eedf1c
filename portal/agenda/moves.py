"""Moving an appointment from the agenda (issue 14 §3): to another free slot of the operator's
advisors, or to a time typed by staff (a one-off slot). No Flask: the view owns the
transaction and tells the person (`booking.emails.queue_moved`).

The contract's deadlines bound the move:
- a first appointment (its request set) after the request's deadline (30 jours ouvrés,
  CCTP 3.3) is allowed only with a recorded reason (`late_reason`);
- a session of a unit (its unit set) after the unit's deadline is refused;
- from UO2.1 on, a session with another advisor than the référent unique (CCTP 2.1.3) needs a
  recorded reason (`other_advisor_reason`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier, Unit, UnitKind, UnitStatus
from portal.advisor.session_rules import video_link
from portal.booking.appointments import replace_appointment
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.models import LIVE_SQL, Appointment, AppointmentStatus, Slot
from portal.booking.one_off import create_one_off_slot
from portal.booking.slots import operator_timezone
from portal.network.models import Modality, StaffMember, StaffRole


class MoveErrorCode(StrEnum):
    NOT_MOVABLE = "not_movable"  # held, missed, past, or its unit is closed
    SAME_SLOT = "same_slot"
    SLOT_UNAVAILABLE = "slot_unavailable"  # vanished, withdrawn, past, another operator's
    SLOT_TAKEN = "slot_taken"  # booked by someone else meanwhile, or overlapping
    MODALITY_NOT_OFFERED = "modality_not_offered"
    ADVISOR_ABSENT = "advisor_absent"
    LATE_REASON_NEEDED = "late_reason_needed"  # after the request's deadline, no reason
    AFTER_UNIT_DEADLINE = "after_unit_deadline"  # after the unit's deadline: refused
    OTHER_ADVISOR_REASON_NEEDED = "other_advisor_reason_needed"


class MoveError(Exception):
    def __init__(self, code: MoveErrorCode, deadline: date | None = None) -> None:
        super().__init__(str(code))
        self.code = code
        self.deadline = deadline  # the deadline that was passed, to say it


_BOOKING_TO_MOVE = {
    BookingErrorCode.SLOT_TAKEN: MoveErrorCode.SLOT_TAKEN,
    BookingErrorCode.MODALITY_NOT_OFFERED: MoveErrorCode.MODALITY_NOT_OFFERED,
}


def operator_appointment(
    session: Session, *, operator_id: int, appointment_id: int
) -> Appointment | None:
    """The appointment if it is the operator's (another operator's is « not found »)."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.operator_id != operator_id:
        return None
    return appointment


def unit_of(session: Session, appointment: Appointment) -> Unit | None:
    """The unit of a session; None for a first appointment."""
    return session.get(Unit, appointment.unit_id) if appointment.unit_id is not None else None


def check_movable(session: Session, appointment: Appointment, *, now: datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now:
        raise MoveError(MoveErrorCode.NOT_MOVABLE)
    unit = unit_of(session, appointment)
    if unit is not None and unit.status != UnitStatus.OPEN:
        raise MoveError(MoveErrorCode.NOT_MOVABLE)


def free_slots(
    session: Session, *, operator_id: int, advisor_id: int, start: datetime, end: datetime
) -> list[Slot]:
    """Free slots of one advisor of the operator in [start, end), in time order."""
    taken = exists().where(and_(Appointment.slot_id == Slot.id, LIVE_SQL))
    return list(
        session.scalars(
            select(Slot)
            .where(
                Slot.operator_id == operator_id,
                Slot.advisor_id == advisor_id,
                Slot.starts_at >= start,
                Slot.starts_at < end,
                Slot.withdrawn_at.is_(None),
                ~taken,
            )
            .order_by(Slot.starts_at)
        )
    )


def move_to_slot(
    session: Session,
    *,
    appointment: Appointment,
    slot_id: int,
    modality: Modality,
    now: datetime,
    late_reason: str = "",
    other_advisor_reason: str = "",
) -> Appointment:
    """Move to one of the operator's free slots; MoveError says why not."""
    check_movable(session, appointment, now=now)
    slot = session.get(Slot, slot_id)
    if (
        slot is None
        or slot.operator_id != appointment.operator_id
        or slot.withdrawn_at is not None
        or slot.starts_at <= now
    ):
        raise MoveError(MoveErrorCode.SLOT_UNAVAILABLE)
    if slot.id == appointment.slot_id and modality == appointment.modality:
        raise MoveError(MoveErrorCode.SAME_SLOT)
    if not slot.offers(modality):
        raise MoveError(MoveErrorCode.MODALITY_NOT_OFFERED)
    changes = _reasons(
        session,
        appointment,
        slot.starts_at,
        slot.advisor_id,
        late_reason=late_reason,
        other=other_advisor_reason,
    )
    return _replace(session, appointment, slot, modality, now, changes)


def move_to_time(
    session: Session,
    *,
    appointment: Appointment,
    advisor: StaffMember,
    starts_at: datetime,
    minutes: int,
    modality: Modality,
    site_id: int | None,
    created_by: StaffMember,
    now: datetime,
    late_reason: str = "",
    other_advisor_reason: str = "",
) -> Appointment:
    """Move to a time staff typed: a one-off slot of `advisor`, made in the same transaction.
    The deadlines are checked before the slot is made."""
    check_movable(session, appointment, now=now)
    operator = appointment.operator
    if advisor.operator_id != operator.id or advisor.role != StaffRole.ADVISOR:
        raise MoveError(MoveErrorCode.SLOT_UNAVAILABLE)
    changes = _reasons(
        session,
        appointment,
        starts_at,
        advisor.id,
        late_reason=late_reason,
        other=other_advisor_reason,
    )
    try:
        slot = create_one_off_slot(
            session,
            operator=operator,
            advisor=advisor,
            site_id=site_id,
            starts_at=starts_at,
            minutes=minutes,
            modality=modality,
            created_by=created_by,
            now=now,
        )
    except BookingError as error:
        if error.code is BookingErrorCode.SLOT_UNAVAILABLE and "absent" in str(error):
            raise MoveError(MoveErrorCode.ADVISOR_ABSENT) from None
        raise MoveError(_BOOKING_TO_MOVE.get(error.code, MoveErrorCode.SLOT_UNAVAILABLE)) from None
    return _replace(session, appointment, slot, modality, now, changes)


def _reasons(
    session: Session,
    appointment: Appointment,
    starts_at: datetime,
    advisor_id: int,
    *,
    late_reason: str,
    other: str,
) -> dict[str, object]:
    """The columns the move records, or the MoveError of a deadline or the référent rule."""
    day = starts_at.astimezone(operator_timezone(appointment.operator)).date()
    changes: dict[str, object] = {}
    request = appointment.request
    if request is not None and day > request.deadline:
        if not late_reason.strip():
            raise MoveError(MoveErrorCode.LATE_REASON_NEEDED, request.deadline)
        changes["late_reason"] = late_reason.strip()
    unit = unit_of(session, appointment)
    if unit is not None:
        if day > unit.deadline:
            raise MoveError(MoveErrorCode.AFTER_UNIT_DEADLINE, unit.deadline)
        referent = session.scalar(select(Dossier.advisor_id).where(Dossier.id == unit.dossier_id))
        if unit.kind != UnitKind.UO1 and advisor_id != referent:
            if not (other.strip() or appointment.other_advisor_reason):
                raise MoveError(MoveErrorCode.OTHER_ADVISOR_REASON_NEEDED)
            if other.strip():
                changes["other_advisor_reason"] = other.strip()
    return changes


def _replace(
    session: Session,
    appointment: Appointment,
    slot: Slot,
    modality: Modality,
    now: datetime,
    changes: dict[str, object],
) -> Appointment:
    if modality is Modality.VISIO and not appointment.video_url:
        changes["video_url"] = video_link(appointment.operator)
    try:
        return replace_appointment(
            session, appointment=appointment, slot=slot, modality=modality, now=now, **changes
        )
    except BookingError as error:
        raise MoveError(_BOOKING_TO_MOVE.get(error.code, MoveErrorCode.SLOT_TAKEN)) from None

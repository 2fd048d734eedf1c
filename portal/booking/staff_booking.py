"""Staff book a first appointment for a waiting request (issue 14, « demandes en attente »).

An advisor or manager of the request's operator picks one of the operator's free slots, or
types a one-off time (`one_off.create_one_off_slot`), for a person who found nothing online.
The rules are the person's own (the operator's slot, not withdrawn, in the future, in a
modality it offers) except the deadline: staff may book after the request's deadline
(CCTP 3.3, 30 jours ouvrés) when they say why, and the reason is kept on the appointment.

No double booking: the appointment is inserted in a savepoint and the database's partial
unique index decides, as for the person's own booking (`services.book_first_appointment`);
the loser gets SLOT_TAKEN. The request row is locked (FOR UPDATE on PostgreSQL), so two
staff members cannot give one request two appointments.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.booking.appointments import appointment_on
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.booking.one_off import create_one_off_slot
from portal.booking.services import check_slot
from portal.booking.slots import operator_timezone
from portal.network.models import Modality, Operator, Site, StaffMember

LATE_REASON_MAX = 1000


class StaffBookingErrorCode(StrEnum):
    NOT_FOUND = "not_found"  # no such request, advisor or site, or another operator's
    NOT_WAITING = "not_waiting"  # booked, cancelled or honoured meanwhile


class StaffBookingError(Exception):
    def __init__(self, code: StaffBookingErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


def waiting_request_of(
    session: Session, *, operator_id: int, request_id: int, lock: bool = False
) -> AppointmentRequest:
    """The operator's request, still waiting; `lock` holds its row until the transaction
    ends (two staff members booking the same request queue behind each other)."""
    request = session.get(AppointmentRequest, request_id, with_for_update=lock or None)
    if request is None or request.operator_id != operator_id:
        raise StaffBookingError(StaffBookingErrorCode.NOT_FOUND)
    if request.status != RequestStatus.WAITING:
        raise StaffBookingError(StaffBookingErrorCode.NOT_WAITING)
    return request


def is_after_deadline(starts_at: datetime, operator: Operator, deadline: date) -> bool:
    """Whether the appointment's local day falls after the request's deadline (CCTP 3.3)."""
    return starts_at.astimezone(operator_timezone(operator)).date() > deadline


def book_for_request(
    session: Session,
    *,
    operator_id: int,
    request_id: int,
    slot_id: int,
    modality: Modality,
    staff: StaffMember,
    late_reason: str | None,
    now: datetime,
) -> Appointment:
    """Book one of the operator's free slots for its waiting request. Raises
    StaffBookingError (NOT_FOUND, NOT_WAITING) or BookingError (WRONG_OPERATOR for another
    operator's slot; SLOT_UNAVAILABLE, MODALITY_NOT_OFFERED, AFTER_DEADLINE without a
    reason, SLOT_TAKEN)."""
    request = waiting_request_of(session, operator_id=operator_id, request_id=request_id, lock=True)
    slot = session.get(Slot, slot_id)
    if slot is None or slot.operator_id != operator_id:
        raise BookingError(BookingErrorCode.WRONG_OPERATOR)
    reason = _late_reason(slot.starts_at, slot.operator, request.deadline, late_reason)
    # The deadline is checked above (staff may pass it with a reason); the rest is the
    # person's own check. Staff book for now on: no minimum notice.
    check_slot(
        session,
        slot_id=slot.id,
        modality=modality,
        deadline=date.max,
        now=now,
        min_notice=timedelta(0),
    )
    return _take(session, slot, modality, request, staff, reason)


def book_one_off_for_request(
    session: Session,
    *,
    operator_id: int,
    request_id: int,
    advisor_id: int,
    site_id: int | None,
    starts_at: datetime,
    minutes: int,
    modality: Modality,
    staff: StaffMember,
    late_reason: str | None,
    now: datetime,
) -> Appointment:
    """A one-off slot typed by staff, then booked for the request under the same rules.
    Raises what `book_for_request` and `one_off.create_one_off_slot` raise; an advisor or a
    site of another operator is NOT_FOUND."""
    request = waiting_request_of(session, operator_id=operator_id, request_id=request_id, lock=True)
    advisor = session.get(StaffMember, advisor_id)
    site = session.get(Site, site_id) if site_id is not None else None
    if advisor is None or advisor.operator_id != operator_id:
        raise StaffBookingError(StaffBookingErrorCode.NOT_FOUND)
    if site_id is not None and (site is None or site.operator_id != operator_id):
        raise StaffBookingError(StaffBookingErrorCode.NOT_FOUND)
    operator = request.operator
    reason = _late_reason(starts_at, operator, request.deadline, late_reason)
    slot = create_one_off_slot(
        session,
        operator=operator,
        advisor=advisor,
        site_id=site_id,
        starts_at=starts_at,
        minutes=minutes,
        modality=modality,
        created_by=staff,
        now=now,
    )
    return _take(session, slot, modality, request, staff, reason)


def _late_reason(
    starts_at: datetime, operator: Operator, deadline: date, typed: str | None
) -> str | None:
    """The reason to keep: None before the deadline; after it, the typed one, required."""
    if not is_after_deadline(starts_at, operator, deadline):
        return None
    reason = (typed or "").strip()[:LATE_REASON_MAX]
    if not reason:
        raise BookingError(BookingErrorCode.AFTER_DEADLINE)
    return reason


def _take(
    session: Session,
    slot: Slot,
    modality: Modality,
    request: AppointmentRequest,
    staff: StaffMember,
    late_reason: str | None,
) -> Appointment:
    try:
        with session.begin_nested():
            appointment = appointment_on(
                slot,
                modality,
                request=request,
                beneficiary=request.beneficiary,
                sequence=0,
                booked_by_id=staff.id,
                late_reason=late_reason,
            )
            request.status = RequestStatus.BOOKED
            session.add(appointment)
            session.flush()
    except IntegrityError:
        raise BookingError(BookingErrorCode.SLOT_TAKEN) from None
    return appointment

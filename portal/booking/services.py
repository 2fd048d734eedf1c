"""Booking, moving and cancelling the first appointment, and the waiting request.

No double booking: the appointment is inserted in a savepoint and the database's partial
unique index on live appointments per slot decides; the loser gets SLOT_TAKEN. A double-
submitted form carries the same idempotency key and gets the first booking back, but only
when it carries the same person (e-mail, names, birth date): a key posted with someone
else's details is a new booking attempt under a fresh key, never a way to their booking.
(The web layer also binds a key to the browser session it was handed to.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.booking.appointments import appointment_on, replace_appointment
from portal.booking.calendar import TERRITORIES, add_working_days
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.identity import Person, new_idempotency_key, same_person
from portal.booking.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    RequestStatus,
    Slot,
)
from portal.booking.slots import operator_timezone
from portal.network.models import Modality
from portal.people.models import Beneficiary
from portal.reference import Motif

# The wording of the consent the person gives on the booking form; raise it when it changes.
CONSENT_VERSION = "2026-11"


@dataclass(frozen=True, slots=True)
class RequestDetails:
    requested_on: date
    deadline: date
    commune_insee: str
    territory: str
    competent_operator_id: int
    motif: Motif | None = None
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Booked:
    request: AppointmentRequest
    appointment: Appointment | None  # None for a waiting request
    replayed: bool  # the same form was submitted before: nothing new was created


def _replay(session: Session, idempotency_key: str, person: Person) -> Booked | None:
    """The booking this key made for this person, if any."""
    existing = find_request(session, idempotency_key)
    if existing is None or not same_person(existing, person):
        return None
    return Booked(existing, live_appointment(session, existing), replayed=True)


def find_request(session: Session, idempotency_key: str) -> AppointmentRequest | None:
    return session.scalar(
        select(AppointmentRequest).where(AppointmentRequest.idempotency_key == idempotency_key)
    )


def live_appointment(session: Session, request: AppointmentRequest) -> Appointment | None:
    return session.scalar(
        select(Appointment)
        .where(Appointment.request_id == request.id, Appointment.status == AppointmentStatus.BOOKED)
        .order_by(Appointment.starts_at)
        .limit(1)
    )


def check_slot(
    session: Session,
    *,
    slot_id: int,
    modality: Modality,
    deadline: date,
    now: datetime,
    min_notice: timedelta,
) -> Slot:
    """The slot if a person may still book it in that modality before the deadline."""
    slot = session.get(Slot, slot_id)
    if slot is None or slot.withdrawn_at is not None or slot.starts_at < now + min_notice:
        raise BookingError(BookingErrorCode.SLOT_UNAVAILABLE)
    if not slot.offers(modality):
        raise BookingError(BookingErrorCode.MODALITY_NOT_OFFERED)
    local_day = slot.starts_at.astimezone(operator_timezone(slot.operator)).date()
    if local_day > deadline:
        raise BookingError(BookingErrorCode.AFTER_DEADLINE)
    return slot


def book_first_appointment(
    session: Session,
    *,
    idempotency_key: str,
    slot_id: int,
    modality: Modality,
    person: Person,
    details: RequestDetails,
    now: datetime,
    min_notice: timedelta,
    exception_reason: str | None = None,
) -> Booked:
    """Book a first appointment and open its request, or give back the one this person
    already booked with this key."""
    replay = _replay(session, idempotency_key, person)
    if replay is not None:
        return replay
    if find_request(session, idempotency_key) is not None:  # someone else's key
        idempotency_key = new_idempotency_key()
    slot = check_slot(
        session,
        slot_id=slot_id,
        modality=modality,
        deadline=details.deadline,
        now=now,
        min_notice=min_notice,
    )
    if slot.operator_id != details.competent_operator_id and not exception_reason:
        raise BookingError(BookingErrorCode.WRONG_OPERATOR)
    try:
        with session.begin_nested():
            request = _new_request(session, idempotency_key, person, details, now)
            request.operator_id = slot.operator_id
            request.exception_reason = exception_reason
            request.status = RequestStatus.BOOKED
            appointment = _new_appointment(slot, modality, request, sequence=0)
            session.add(appointment)
            session.flush()
    except IntegrityError:
        # Either the same form won a moment ago (same key), or another person took the slot.
        replay = _replay(session, idempotency_key, person)
        if replay is not None:
            return replay
        raise BookingError(BookingErrorCode.SLOT_TAKEN) from None
    return Booked(request, appointment, replayed=False)


def record_waiting_request(
    session: Session,
    *,
    idempotency_key: str,
    person: Person,
    details: RequestDetails,
    now: datetime,
    call_back_working_days: int,
) -> Booked:
    """Nothing free before the deadline: the operator's staff call the person back."""
    replay = _replay(session, idempotency_key, person)
    if replay is not None:
        return replay
    if find_request(session, idempotency_key) is not None:  # someone else's key
        idempotency_key = new_idempotency_key()
    territory = TERRITORIES[details.territory]
    try:
        with session.begin_nested():
            request = _new_request(session, idempotency_key, person, details, now)
            request.status = RequestStatus.WAITING
            request.call_back_by = min(
                add_working_days(details.requested_on, call_back_working_days, territory),
                details.deadline,
            )
            session.flush()
    except IntegrityError:
        # The same form won a moment ago; or, for another person, retry under a fresh key.
        replay = _replay(session, idempotency_key, person)
        if replay is not None:
            return replay
        return record_waiting_request(
            session,
            idempotency_key=new_idempotency_key(),
            person=person,
            details=details,
            now=now,
            call_back_working_days=call_back_working_days,
        )
    return Booked(request, None, replayed=False)


def can_change(appointment: Appointment, *, now: datetime, cutoff: timedelta) -> bool:
    return appointment.status == AppointmentStatus.BOOKED and appointment.starts_at - now > cutoff


def move_appointment(
    session: Session,
    *,
    appointment: Appointment,
    slot_id: int,
    modality: Modality,
    now: datetime,
    min_notice: timedelta,
    cutoff: timedelta,
) -> Appointment:
    """Replace a booked appointment by one on another slot, or leave it as it was."""
    if not can_change(appointment, now=now, cutoff=cutoff) or appointment.request is None:
        raise BookingError(BookingErrorCode.NOT_CHANGEABLE)
    if slot_id == appointment.slot_id and modality == appointment.modality:
        raise BookingError(BookingErrorCode.SAME_SLOT)
    request = appointment.request
    slot = check_slot(
        session,
        slot_id=slot_id,
        modality=modality,
        deadline=request.deadline,
        now=now,
        min_notice=min_notice,
    )
    if slot.operator_id != request.operator_id:
        raise BookingError(BookingErrorCode.WRONG_OPERATOR)
    return replace_appointment(
        session, appointment=appointment, slot=slot, modality=modality, now=now
    )


def cancel_appointment(
    session: Session, *, appointment: Appointment, now: datetime, cutoff: timedelta
) -> None:
    if not can_change(appointment, now=now, cutoff=cutoff):
        raise BookingError(BookingErrorCode.NOT_CHANGEABLE)
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = now
    appointment.sequence += 1
    if appointment.request is not None:
        appointment.request.status = RequestStatus.CANCELLED
    session.flush()


def _new_request(
    session: Session, key: str, person: Person, details: RequestDetails, now: datetime
) -> AppointmentRequest:
    beneficiary = Beneficiary(
        last_name=person.last_name,
        first_name=person.first_name,
        email=person.email,
        phone=person.phone,
        birth_date=person.birth_date,
        locale=person.locale,
        consent_at=now,
        consent_version=CONSENT_VERSION,
    )
    request = AppointmentRequest(
        idempotency_key=key,
        beneficiary=beneficiary,
        operator_id=details.competent_operator_id,
        competent_operator_id=details.competent_operator_id,
        requested_on=details.requested_on,
        commune_insee=details.commune_insee,
        territory=details.territory,
        deadline=details.deadline,
        motif=details.motif,
        comment=details.comment,
    )
    session.add(request)
    return request


def _new_appointment(
    slot: Slot, modality: Modality, request: AppointmentRequest, *, sequence: int
) -> Appointment:
    return appointment_on(
        slot, modality, request=request, beneficiary=request.beneficiary, sequence=sequence
    )

"""The appointment itself, as a move or a booking makes it: `appointment_on` fills what a slot
decides (operator, advisor, site, times), `replace_appointment` moves one to another slot. Both
serve the person's booking and moves (`services`), staff's bookings (`staff_booking`), the
advisor's sessions (`advisor.sessions`) and the agenda's moves (`agenda.moves`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.models import Appointment, AppointmentStatus, Slot
from portal.network.models import Modality


def appointment_on(slot: Slot, modality: Modality, **fields: object) -> Appointment:
    """A booked appointment taking `slot` in `modality`: operator, advisor, site and times are
    the slot's (the site only in person); `fields` give the rest (request or unit, person,
    sequence, booker, reasons, video link)."""
    return Appointment(
        slot_id=slot.id,
        operator_id=slot.operator_id,
        advisor_id=slot.advisor_id,
        site_id=slot.site_id if modality is Modality.PRESENTIEL else None,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        modality=modality,
        status=AppointmentStatus.BOOKED,
        **fields,
    )


def replace_appointment(
    session: Session,
    *,
    appointment: Appointment,
    slot: Slot,
    modality: Modality,
    now: datetime,
    **changes: object,
) -> Appointment:
    """The move itself, once the caller checked the slot: the old appointment becomes MOVED
    and points at the new one, which keeps its request or unit, its booker, its reasons and
    its video link unless `changes` (column names) say otherwise. SLOT_TAKEN when another
    booking took the slot first (the database decides)."""
    try:
        with session.begin_nested():
            appointment.status = AppointmentStatus.MOVED
            appointment.cancelled_at = now
            session.flush()  # frees the old slot before the new one is taken
            moved = appointment_on(
                slot,
                modality,
                request_id=appointment.request_id,
                unit_id=appointment.unit_id,
                beneficiary_id=appointment.beneficiary_id,
                sequence=appointment.sequence + 1,
                booked_by_id=appointment.booked_by_id,
                late_reason=appointment.late_reason,
                other_advisor_reason=appointment.other_advisor_reason,
                video_url=appointment.video_url if modality is Modality.VISIO else None,
            )
            for name, value in changes.items():
                setattr(moved, name, value)
            session.add(moved)
            session.flush()
            appointment.replaced_by_id = moved.id
            session.flush()
    except IntegrityError:
        session.refresh(appointment)
        raise BookingError(BookingErrorCode.SLOT_TAKEN) from None
    return moved

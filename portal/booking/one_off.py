"""A one-off slot: a time staff type for one person, outside the advisor's recurring windows
(issue 14). It is made in the same transaction as the appointment that takes it, is never
offered to the public search (`Slot.created_by_id` is set), and materialisation leaves it be.

The advisor must be free then: no other slot of theirs (free or booked, not withdrawn) and no
live appointment may overlap it, and they must not be absent that day. On PostgreSQL an
advisory lock per advisor makes two concurrent one-off slots queue, so they cannot overlap.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.models import LIVE_STATUSES, Absence, Appointment, Slot
from portal.booking.slots import operator_timezone
from portal.network.models import Modality, Operator, StaffMember

_LOCK_NAMESPACE = 7302  # pg_advisory_xact_lock(namespace, advisor_id)
MIN_MINUTES, MAX_MINUTES = 15, 240


def create_one_off_slot(
    session: Session,
    *,
    operator: Operator,
    advisor: StaffMember,
    site_id: int | None,
    starts_at: datetime,
    minutes: int,
    modality: Modality,
    created_by: StaffMember,
    now: datetime,
) -> Slot:
    """A slot for `modality` only, at `site_id` when in person. Raises BookingError:
    SLOT_UNAVAILABLE (past, bad length, the advisor absent or not of this operator) or
    SLOT_TAKEN (it overlaps the advisor's other slots or appointments)."""
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be aware")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES or starts_at <= now:
        raise BookingError(BookingErrorCode.SLOT_UNAVAILABLE, "time")
    if advisor.operator_id != operator.id:
        raise BookingError(BookingErrorCode.SLOT_UNAVAILABLE, "advisor")
    if modality is Modality.PRESENTIEL and site_id is None:
        raise BookingError(BookingErrorCode.MODALITY_NOT_OFFERED, "site")
    ends_at = starts_at + timedelta(minutes=minutes)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_NAMESPACE, advisor.id)))
    day = starts_at.astimezone(operator_timezone(operator)).date()
    absent = session.scalar(
        select(Absence.id).where(
            Absence.advisor_id == advisor.id, Absence.starts_on <= day, Absence.ends_on >= day
        )
    )
    if absent is not None:
        raise BookingError(BookingErrorCode.SLOT_UNAVAILABLE, "absent")
    if advisor_busy(session, advisor_id=advisor.id, starts_at=starts_at, ends_at=ends_at):
        raise BookingError(BookingErrorCode.SLOT_TAKEN, "overlap")
    slot = Slot(
        advisor_id=advisor.id,
        operator_id=operator.id,
        site_id=site_id if modality is Modality.PRESENTIEL else None,
        starts_at=starts_at,
        ends_at=ends_at,
        offers_presentiel=modality is Modality.PRESENTIEL,
        offers_telephone=modality is Modality.TELEPHONE,
        offers_visio=modality is Modality.VISIO,
        created_by_id=created_by.id,
    )
    session.add(slot)
    session.flush()
    return slot


def advisor_busy(
    session: Session, *, advisor_id: int, starts_at: datetime, ends_at: datetime
) -> bool:
    """True when a slot (not withdrawn) or a live appointment of the advisor overlaps."""
    slot = session.scalar(
        select(Slot.id)
        .where(
            Slot.advisor_id == advisor_id,
            Slot.withdrawn_at.is_(None),
            Slot.starts_at < ends_at,
            Slot.ends_at > starts_at,
        )
        .limit(1)
    )
    if slot is not None:
        return True
    appointment = session.scalar(
        select(Appointment.id)
        .where(
            Appointment.advisor_id == advisor_id,
            Appointment.status.in_(LIVE_STATUSES),
            Appointment.starts_at < ends_at,
            Appointment.ends_at > starts_at,
        )
        .limit(1)
    )
    return appointment is not None

"""What an operator's staff follow up: waiting requests to call back, appointments to move,
and the agenda of upcoming appointments. Plain queries over a Session; no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.booking.calendar import working_days_between
from portal.booking.indicators import territory_of
from portal.booking.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentRequest,
    RequestStatus,
    Slot,
)

# A waiting request this close to its legal deadline (or past it) is shown as urgent.
URGENT_WORKING_DAYS = 5


class FollowUpErrorCode(StrEnum):
    NOT_FOUND = "not_found"


class FollowUpError(Exception):
    def __init__(self, code: FollowUpErrorCode):
        super().__init__(code.value)
        self.code = code


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    request: AppointmentRequest
    working_days_left: int  # negative once the deadline has passed

    @property
    def urgent(self) -> bool:
        return self.working_days_left <= URGENT_WORKING_DAYS


def waiting_requests(session: Session, *, operator_id: int, today: date) -> list[WaitingRequest]:
    """The operator's « demandes en attente », the closest deadline first."""
    requests = session.scalars(
        select(AppointmentRequest)
        .where(
            AppointmentRequest.operator_id == operator_id,
            AppointmentRequest.status == RequestStatus.WAITING,
        )
        .options(joinedload(AppointmentRequest.beneficiary))
        .order_by(
            AppointmentRequest.deadline,
            AppointmentRequest.requested_on,
            AppointmentRequest.id,
        )
    )
    return [waiting_request(request, today=today) for request in requests]


def waiting_request(request: AppointmentRequest, *, today: date) -> WaitingRequest:
    territory = territory_of(request.territory)
    return WaitingRequest(request, working_days_between(today, request.deadline, territory))


def record_call_back(
    session: Session, *, operator_id: int, request_id: int, now: datetime
) -> AppointmentRequest:
    """« Rappel effectué »: the operator called the person back. Idempotent: the first call
    is the one kept. A request of another operator is NOT_FOUND."""
    request = session.get(AppointmentRequest, request_id)
    if request is None or request.operator_id != operator_id:
        raise FollowUpError(FollowUpErrorCode.NOT_FOUND)
    if request.called_back_at is None:
        request.called_back_at = now
        session.flush()
    return request


def withdrawn_slot_appointments(
    session: Session, *, operator_id: int, now: datetime
) -> list[Appointment]:
    """Upcoming live appointments whose slot was withdrawn (an absence, a closure, a removed
    window): « à replanifier »."""
    return list(
        session.scalars(
            select(Appointment)
            .join(Slot, Slot.id == Appointment.slot_id)
            .where(
                Appointment.operator_id == operator_id,
                Appointment.status.in_(LIVE_STATUSES),
                Appointment.starts_at >= now,
                Slot.withdrawn_at.is_not(None),
            )
            .options(
                joinedload(Appointment.beneficiary),
                joinedload(Appointment.advisor),
                joinedload(Appointment.site),
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def agenda(
    session: Session,
    *,
    operator_id: int,
    start: datetime,
    end: datetime,
    advisor_id: int | None = None,
    site_id: int | None = None,
) -> list[Appointment]:
    """Live appointments of the operator starting in [start, end), in time order."""
    query = (
        select(Appointment)
        .where(
            Appointment.operator_id == operator_id,
            Appointment.status.in_(LIVE_STATUSES),
            Appointment.starts_at >= start,
            Appointment.starts_at < end,
        )
        .options(
            joinedload(Appointment.beneficiary),
            joinedload(Appointment.advisor),
            joinedload(Appointment.slot),
            selectinload(Appointment.site),
        )
        .order_by(Appointment.starts_at, Appointment.id)
    )
    if advisor_id is not None:
        query = query.where(Appointment.advisor_id == advisor_id)
    if site_id is not None:
        query = query.where(Appointment.site_id == site_id)
    return list(session.scalars(query))

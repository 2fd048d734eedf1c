"""What a unit's closure does to its follow-up sessions (`portal.events.UnitClosed`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.session_emails import queue_session_mail
from portal.advisor.sessions import cancel_session
from portal.booking.models import Appointment, AppointmentStatus
from portal.events import UnitClosed


def cancel_sessions_on_closure(session: Session, event: UnitClosed) -> None:
    """A closed unit holds no more sessions: those still booked after the moment of its
    closure (a signature, a written request, the abandon at the deadline) are cancelled, and
    the person gets the e-mail whose .ics takes them out of their calendar."""
    upcoming = session.scalars(
        select(Appointment)
        .where(
            Appointment.unit_id == event.unit_id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.starts_at > event.at,
        )
        .order_by(Appointment.starts_at, Appointment.id)
    ).all()
    for appointment in upcoming:
        cancel_session(session, appointment=appointment, now=event.at)
        queue_session_mail(session, appointment, "cancelled")


__all__ = ["cancel_sessions_on_closure"]

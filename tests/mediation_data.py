"""Rows for the complaint and referral tests, on the demo network (see workspace_data)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from portal.mediation.complaints import Complainant, record_complaint
from portal.mediation.models import Channel, Complaint
from portal.network.models import StaffMember


def at(day: date, hour: int = 10) -> datetime:
    """A moment of `day` (10:00 UTC is 11:00 or 12:00 in Paris: the same day there)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def complainant(email: str | None = "") -> Complainant:
    return Complainant(
        last_name="Lefèvre",
        first_name="Camille",
        email=f"camille-{uuid.uuid4().hex[:8]}@example.org" if email == "" else email,
        phone="+33612345678",
    )


def letter(
    session: Session, manager: StaffMember, *, received_on: date, recorded_on: date | None = None
) -> Complaint:
    """A complaint received by letter on `received_on`, recorded by `manager` that day (or on
    `recorded_on`)."""
    recorded_on = recorded_on or received_on
    return record_complaint(
        session,
        by=manager,
        channel=Channel.LETTER,
        received_on=received_on,
        complainant=complainant(),
        motive="delai_rendez_vous",
        text="Trois semaines sans rendez-vous.",
        now=at(recorded_on),
        today=recorded_on,
    )

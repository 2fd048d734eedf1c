"""What the survey does when a unit closes (`portal.events.UnitClosed`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.advisor.models import Unit
from portal.events import UnitClosed
from portal.satisfaction.services import invite_to_survey


def invite_on_closure(session: Session, event: UnitClosed) -> None:
    """CCTP 4.1: every closed unit gets its survey, whatever closed it; once per unit."""
    invite_to_survey(session, session.get_one(Unit, event.unit_id))


__all__ = ["invite_on_closure"]

"""The survey sent at each closure, its answers, and indicator 8.1 (CCTP 4.1)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.models import Unit
from portal.satisfaction.models import Survey


def invite_to_survey(session: Session, unit: Unit) -> Survey:
    """Create the unit's survey (once) and queue the e-mail inviting the person to answer."""
    survey = session.scalar(select(Survey).where(Survey.unit_id == unit.id))
    if survey is not None:
        return survey
    assert unit.closed_on is not None
    survey = Survey(unit_id=unit.id, operator_id=unit.operator_id, closed_on=unit.closed_on)
    session.add(survey)
    session.flush()
    # TODO(helper): queue the invitation e-mail through the outbox.
    return survey

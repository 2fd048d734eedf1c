"""Two weeks before a unit would close as « abandon », the person is told (issue 14 §4).

A unit still open after its deadline closes as an abandon, dated at its deadline
(`closing.close_expired_units`, CCTP 1.2.6). ABANDON_WARNING_DAYS before that deadline, the
person gets one e-mail (`contact_emails.queue_abandon_warnings`, daily from cron: `flask cep
abandon-warnings`) and the advisor sees the same date on the dossier and their home.
No Flask here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from portal.advisor.models import Dossier, Unit, UnitStatus

# Issue 14: « two weeks before a unit would close as an abandon ».
ABANDON_WARNING_DAYS = 14


def abandon_on(unit: Unit) -> date:
    """The day the unit closes as an abandon unless signed or closed before: its deadline
    (`close_expired_units` dates the closure there)."""
    return unit.deadline


def in_warning(unit: Unit, today: date) -> bool:
    """Open, and its abandon date within ABANDON_WARNING_DAYS (today or later)."""
    return unit.status == UnitStatus.OPEN and today <= unit.deadline <= today + timedelta(
        days=ABANDON_WARNING_DAYS
    )


def claim_abandon_warnings(session: Session, *, today: date, now: datetime) -> list[int]:
    """Mark the units to warn today and return their ids. The caller queues the e-mails in
    the same transaction: a second run, here or on another host, finds them claimed
    (PostgreSQL re-checks the condition on rows another transaction changed)."""
    claimed = session.scalars(
        update(Unit)
        .where(
            Unit.status == UnitStatus.OPEN,
            Unit.abandon_warning_sent_at.is_(None),
            Unit.deadline >= today,
            Unit.deadline <= today + timedelta(days=ABANDON_WARNING_DAYS),
        )
        .values(abandon_warning_sent_at=now)
        .returning(Unit.id)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(claimed)


def warned_units(session: Session, *, advisor_id: int, today: date, limit: int = 50) -> list[Unit]:
    """The advisor's open units that close as an abandon within ABANDON_WARNING_DAYS."""
    return list(
        session.scalars(
            select(Unit)
            .where(
                Unit.advisor_id == advisor_id,
                Unit.status == UnitStatus.OPEN,
                Unit.deadline >= today,
                Unit.deadline <= today + timedelta(days=ABANDON_WARNING_DAYS),
            )
            .options(joinedload(Unit.dossier).joinedload(Dossier.beneficiary))
            .order_by(Unit.deadline, Unit.id)
            .limit(limit)
        )
    )

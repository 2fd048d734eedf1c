"""Who, at the operator, receives the mediator's request for access to a dossier: its
active managers (the « correspondant médiation » designation, built elsewhere, will narrow
this to the designated people). No Flask here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.network.models import StaffMember, StaffRole


def mediation_contacts(session: Session, operator_id: int) -> list[StaffMember]:
    """The operator's active managers, by name."""
    return list(
        session.scalars(
            select(StaffMember)
            .where(
                StaffMember.operator_id == operator_id,
                StaffMember.role == StaffRole.MANAGER,
                StaffMember.active.is_(True),
            )
            .order_by(StaffMember.full_name, StaffMember.id)
        )
    )


__all__ = ["mediation_contacts"]

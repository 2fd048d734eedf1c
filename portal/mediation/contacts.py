"""Who speaks for an operator on complaints and referrals: its « correspondant médiation »
(CCTP 3.7), the person the mediator informs and works with.

The single place that answers it: today the operator's active managers; a designated
correspondant will come here, and every caller follows.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.network.models import StaffMember, StaffRole


def mediation_contacts(session: Session, operator_id: int) -> list[StaffMember]:
    """The operator's correspondants médiation: its active managers, by name."""
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

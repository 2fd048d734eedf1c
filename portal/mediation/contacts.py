"""Who speaks for an operator on complaints and referrals, and who is the mediator.

CCTP 3.7: « chaque Titulaire désigne un correspondant Médiation … de préférence le manager ».
The operator's manager designates one of its active members (`designate_correspondent`);
until then, or when that member left, its active managers are the contacts. No Flask here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.network.models import Operator, StaffMember, StaffRole

OPERATOR_ROLES = (StaffRole.MANAGER, StaffRole.ADVISOR)


def correspondent(session: Session, operator_id: int) -> StaffMember | None:
    """The designated correspondant, when still an active member of the operator."""
    operator = session.get(Operator, operator_id)
    if operator is None or operator.mediation_correspondent_id is None:
        return None
    member = session.get(StaffMember, operator.mediation_correspondent_id)
    if member is None or not _is_contact(member, operator_id):
        return None
    return member


def mediation_contacts(session: Session, operator_id: int) -> list[StaffMember]:
    """Whom the operator's complaint reminders, the person's messages, the referrals and the
    mediator's messages reach: the correspondant when active, else the active managers."""
    found = correspondent(session, operator_id)
    if found is not None:
        return [found]
    return list(
        session.scalars(
            select(StaffMember)
            .where(
                StaffMember.operator_id == operator_id,
                StaffMember.role == StaffRole.MANAGER,
                StaffMember.active.is_(True),
            )
            .order_by(StaffMember.id)
        )
    )


def candidates(session: Session, operator_id: int) -> list[StaffMember]:
    """The members a manager may designate: the operator's active managers and advisors."""
    return list(
        session.scalars(
            select(StaffMember)
            .where(
                StaffMember.operator_id == operator_id,
                StaffMember.role.in_(OPERATOR_ROLES),
                StaffMember.active.is_(True),
            )
            .order_by(StaffMember.role.desc(), StaffMember.full_name, StaffMember.id)
        )
    )


def designate_correspondent(
    session: Session, operator: Operator, *, member: StaffMember | None, by: StaffMember
) -> None:
    """The manager's choice; None goes back to « its managers »."""
    if by.role != StaffRole.MANAGER or by.operator_id != operator.id:
        raise ComplaintError(ComplaintErrorCode.WRONG_OPERATOR)
    if member is not None and not _is_contact(member, operator.id):
        raise ComplaintError(ComplaintErrorCode.NOT_A_CONTACT, fields=("member",))
    operator.mediation_correspondent_id = None if member is None else member.id
    session.flush()


def is_correspondent(session: Session, staff: StaffMember, operator_id: int) -> bool:
    found = correspondent(session, operator_id)
    return found is not None and found.id == staff.id


def mediators(session: Session) -> list[StaffMember]:
    """The mediator's staff: every active member with the MEDIATOR role."""
    return list(
        session.scalars(
            select(StaffMember)
            .where(StaffMember.role == StaffRole.MEDIATOR, StaffMember.active.is_(True))
            .order_by(StaffMember.id)
        )
    )


def _is_contact(member: StaffMember, operator_id: int) -> bool:
    return member.active and member.operator_id == operator_id and member.role in OPERATOR_ROLES


__all__ = [
    "candidates",
    "correspondent",
    "designate_correspondent",
    "is_correspondent",
    "mediation_contacts",
    "mediators",
]

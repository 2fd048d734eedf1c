"""A manager hands a dossier to another advisor of the operator (issue 14 §4).

The dossier's advisor (the référent unique from UO2.1 on, CCTP 2.1.3) and its open unit's
advisor change together; a `DossierHandover` row dates the change (from, to, by, why). The
person is told by e-mail (`contact_emails.queue_referent_changed`). No Flask here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.advisor.contact_models import DossierHandover
from portal.advisor.models import Dossier, UnitStatus
from portal.network.models import StaffMember, StaffRole

REASON_MAX_CHARS = 500
# The new advisor's home lists the dossiers handed to them this many days back.
RECENT_HANDOVER_DAYS = 14


class HandoverErrorCode(StrEnum):
    SAME_ADVISOR = "same_advisor"
    NOT_AN_ADVISOR = "not_an_advisor"  # another operator's, inactive, or not an advisor
    NOT_A_MANAGER = "not_a_manager"
    REASON_TOO_LONG = "reason_too_long"


class HandoverError(Exception):
    def __init__(self, code: HandoverErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


def hand_over(
    session: Session,
    dossier: Dossier,
    *,
    to: StaffMember,
    by: StaffMember,
    reason: str,
    now: datetime,
) -> DossierHandover:
    if by.role != StaffRole.MANAGER or by.operator_id != dossier.operator_id:
        raise HandoverError(HandoverErrorCode.NOT_A_MANAGER)
    if to.role != StaffRole.ADVISOR or not to.active or to.operator_id != dossier.operator_id:
        raise HandoverError(HandoverErrorCode.NOT_AN_ADVISOR)
    if to.id == dossier.advisor_id:
        raise HandoverError(HandoverErrorCode.SAME_ADVISOR)
    why = reason.strip()
    if len(why) > REASON_MAX_CHARS:
        raise HandoverError(HandoverErrorCode.REASON_TOO_LONG)
    handover = DossierHandover(
        dossier_id=dossier.id,
        from_advisor_id=dossier.advisor_id,
        to_advisor_id=to.id,
        handed_at=now,
        handed_by_id=by.id,
        reason=why,
    )
    dossier.advisor_id = to.id
    for unit in dossier.units:
        if unit.status == UnitStatus.OPEN:
            unit.advisor_id = to.id
    session.add(handover)
    session.flush()
    session.refresh(dossier, ["advisor"])
    return handover


def handovers_of(session: Session, dossier_id: int) -> list[DossierHandover]:
    """The dossier's handovers, newest first."""
    return list(
        session.scalars(
            select(DossierHandover)
            .where(DossierHandover.dossier_id == dossier_id)
            .options(
                selectinload(DossierHandover.from_advisor),
                selectinload(DossierHandover.to_advisor),
                selectinload(DossierHandover.handed_by),
            )
            .order_by(DossierHandover.handed_at.desc(), DossierHandover.id.desc())
        )
    )


def recent_handovers_to(
    session: Session, *, advisor_id: int, now: datetime
) -> list[DossierHandover]:
    """Dossiers handed to this advisor lately (their home says so), newest first."""
    return list(
        session.scalars(
            select(DossierHandover)
            .where(
                DossierHandover.to_advisor_id == advisor_id,
                DossierHandover.handed_at >= now - timedelta(days=RECENT_HANDOVER_DAYS),
            )
            .options(selectinload(DossierHandover.from_advisor))
            .order_by(DossierHandover.handed_at.desc(), DossierHandover.id.desc())
            .limit(20)
        )
    )

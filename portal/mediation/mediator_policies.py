"""Who may open a referral on the mediator's side.

The mediator of France compétences is staff of no operator: they see every lot, but only what
was referred to them. This is a policy of its own, not « own operator only » bent to fit:
operator staff (advisors, managers, the correspondant médiation) and France compétences get
404 on the mediator's screens, and the mediator gets 404 on the operators' complaint screens.
"""

from __future__ import annotations

from flask import abort

from portal.auth.policies import current_staff
from portal.extensions import db
from portal.mediation.models import Referral
from portal.network.models import StaffMember, StaffRole

MEDIATOR = StaffRole.MEDIATOR


def is_mediator(staff: StaffMember) -> bool:
    return staff.active and staff.role == StaffRole.MEDIATOR


def can_work_referral(staff: StaffMember, referral: Referral) -> bool:
    """Every referral, whatever the lot, and nothing that was not referred."""
    return is_mediator(staff)


def referral_or_404(referral_id: int) -> Referral:
    """The referral, for the signed-in mediator; 404 for anyone else and for a missing one."""
    referral = db.session.get(Referral, referral_id)
    if referral is None or not can_work_referral(current_staff(), referral):
        abort(404)
    return referral


__all__ = ["MEDIATOR", "can_work_referral", "is_mediator", "referral_or_404"]

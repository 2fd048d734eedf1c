"""Who may open and change a dossier.

Advisors and managers see the dossiers of their own operator only; advisors work on them
(a colleague may stand in for an absent one), managers read them. The mediator and
France compétences see no dossier (the mediator's file access arrives with complaints).
A dossier of another operator, or one that does not exist, answers 404.
"""

from __future__ import annotations

from flask import abort

from portal.advisor.models import Dossier, Unit
from portal.auth.policies import can_see_operator, current_staff
from portal.extensions import db
from portal.network.models import StaffMember, StaffRole


def can_view_dossier(staff: StaffMember, dossier: Dossier) -> bool:
    return can_see_operator(staff, dossier.operator_id)


def can_work_on_dossier(staff: StaffMember, dossier: Dossier) -> bool:
    return staff.role == StaffRole.ADVISOR and can_view_dossier(staff, dossier)


def dossier_or_404(dossier_id: int, *, work: bool = False) -> Dossier:
    dossier = db.session.get(Dossier, dossier_id)
    staff = current_staff()
    allowed = can_work_on_dossier if work else can_view_dossier
    if dossier is None or not allowed(staff, dossier):
        abort(404)
    return dossier


def unit_or_404(unit_id: int, *, work: bool = False) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    dossier_or_404(unit.dossier_id, work=work)
    return unit

"""/pro/: the staff landing page. Advisors see their operator and sites; a manager also sees
what needs attention: waiting requests, sites short of the extended-hours rule, continuity
gaps in summer and at Christmas (CCTP 3.3)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from sqlalchemy import func, select

from portal.auth.policies import current_staff, staff_required
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.clock import today_in_france
from portal.extensions import db
from portal.manage import bp
from portal.mediation.mediator_queue import queue_counts
from portal.network.continuity import ContinuityGap, coming_periods, find_gaps
from portal.network.hours import meets_extended_hours_rule
from portal.network.models import StaffRole
from portal.network.services import operator_sites


@dataclass(frozen=True, slots=True)
class ManagerSummary:
    waiting: int
    waiting_due: int  # not called back yet, and due today or late
    active_sites: int
    short_of_extended_hours: int
    gaps: list[ContinuityGap]


def _summary(operator_id: int) -> ManagerSummary:
    today = today_in_france()
    waiting = AppointmentRequest.status == RequestStatus.WAITING
    mine = AppointmentRequest.operator_id == operator_id
    count = func.count(AppointmentRequest.id)
    sites = [site for site in operator_sites(db.session, operator_id) if site.active]
    return ManagerSummary(
        waiting=db.session.scalar(select(count).where(mine, waiting)) or 0,
        waiting_due=db.session.scalar(
            select(count).where(
                mine,
                waiting,
                AppointmentRequest.called_back_at.is_(None),
                AppointmentRequest.call_back_by <= today,
            )
        )
        or 0,
        active_sites=len(sites),
        short_of_extended_hours=sum(1 for s in sites if not meets_extended_hours_rule(s.hours)),
        gaps=find_gaps(sites, coming_periods(today)),
    )


@bp.get("/")
@staff_required()
def home() -> str:
    staff = current_staff()
    summary = mediator = None
    if staff.role == StaffRole.MANAGER and staff.operator_id is not None:
        summary = _summary(staff.operator_id)
    if staff.role == StaffRole.MEDIATOR:
        mediator = queue_counts(db.session)  # (decisions pending, admissible and open)
    return render_template("manage/home.html", staff=staff, summary=summary, mediator=mediator)

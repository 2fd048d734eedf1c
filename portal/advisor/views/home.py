"""/pro/conseiller: the advisor's home. The week's appointments (those booked through the
front door included) with « tenu » / « absent » once they have started; the open units with
the days left before each deadline, warned at 80 % of the delay; the dossiers with no unit
engaged yet; the operator's people still waiting for a first appointment.

A fixed number of queries whatever the caseload (issue 4 §8): see `portal.advisor.queries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor import queries
from portal.advisor.errors import UnitError
from portal.advisor.models import Unit, UnitKind
from portal.advisor.rules import DeadlineState, DeadlineView, deadline_view
from portal.advisor.units import mark_appointment_held, mark_appointment_missed
from portal.advisor.views import bp
from portal.advisor.views.texts import APPOINTMENT_STATUS_LABELS, error_message
from portal.auth.policies import can_see_operator, current_operator, current_staff, staff_required
from portal.booking import follow_up
from portal.booking.calendar import monday
from portal.booking.models import Appointment, RequestStatus
from portal.booking.slots import operator_timezone
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import StaffRole

# Appointments of earlier weeks still « booked » are listed to be marked held or missed,
# this far back (older ones are for the manager to sort out).
BOOKED_LOOKBACK_DAYS = 90
# The home shows the most urgent waiting requests; the full list is one click away.
WAITING_SHOWN = 15


@dataclass(frozen=True, slots=True)
class UnitLine:
    unit: Unit
    deadline: DeadlineView

    @property
    def warned(self) -> bool:
        return self.deadline.state == DeadlineState.WARNING

    @property
    def overdue(self) -> bool:
        return self.deadline.state == DeadlineState.OVERDUE


@bp.app_template_filter("uo")
def uo_label(kind: str) -> str:
    """« UO1 », « UO2.1 »: a unit as advisors name it (the column holds Annex 2's code)."""
    return UnitKind(kind).label


@bp.get("/conseiller")
@staff_required(StaffRole.ADVISOR)
def home() -> str:
    staff = current_staff()
    operator = current_operator()
    timezone = operator_timezone(operator)
    now = utcnow()
    local_today = now.astimezone(timezone).date()
    week = monday(local_today)
    start = datetime.combine(week, time(0), timezone)
    appointments = queries.advisor_appointments(
        db.session,
        advisor_id=staff.id,
        start=start,
        end=datetime.combine(week + timedelta(days=7), time(0), timezone),
        booked_since=start - timedelta(days=BOOKED_LOOKBACK_DAYS),
    )
    earlier = [a for a in appointments if a.starts_at < start]
    this_week = [a for a in appointments if a.starts_at >= start]
    days: list[tuple[date, list[Appointment]]] = [
        (day, list(items))
        for day, items in groupby(this_week, key=lambda a: a.starts_at.astimezone(timezone).date())
    ]
    today = today_in_france()
    units = queries.open_units(db.session, advisor_id=staff.id, limit=queries.OPEN_UNITS_SHOWN + 1)
    lines = [
        UnitLine(unit, deadline_view(unit.engaged_on, unit.deadline, today))
        for unit in units[: queries.OPEN_UNITS_SHOWN]
    ]
    waiting = follow_up.waiting_requests(db.session, operator_id=operator.id, today=today)
    return render_template(
        "advisor/home.html",
        staff=staff,
        now=now,
        today=local_today,
        timezone=timezone,
        days=days,
        earlier=earlier,
        appointment_count=len(this_week),
        dossier_of=queries.dossiers_of_appointments(db.session, appointments),
        status_labels=APPOINTMENT_STATUS_LABELS,
        lines=lines,
        more_units=len(units) > queries.OPEN_UNITS_SHOWN,
        warned=sum(1 for line in lines if line.warned),
        overdue=sum(1 for line in lines if line.overdue),
        to_engage=queries.dossiers_to_engage(db.session, advisor_id=staff.id),
        waiting=waiting[:WAITING_SHOWN],
        waiting_count=len(waiting),
    )


def _appointment_or_404(appointment_id: int) -> Appointment:
    """An appointment of the advisor's operator (a colleague may stand in); 404 otherwise."""
    appointment = db.session.get(Appointment, appointment_id)
    if appointment is None or not can_see_operator(current_staff(), appointment.operator_id):
        abort(404)
    return appointment


@bp.post("/rendez-vous/<id:appointment_id>/tenu")
@staff_required(StaffRole.ADVISOR)
def appointment_held(appointment_id: int) -> Response:
    """« Rendez-vous tenu »: the person came; their dossier opens, and the advisor goes to it."""
    appointment = _appointment_or_404(appointment_id)
    try:
        dossier = mark_appointment_held(db.session, appointment, by=current_staff(), now=utcnow())
    except UnitError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("advisor.home", _anchor="rendez-vous"), code=303)
    name = appointment.beneficiary.full_name
    db.session.commit()
    flash(_("Rendez-vous tenu : dossier ouvert pour %(name)s.", name=name), "success")
    return redirect(url_for("advisor.dossier", dossier_id=dossier.id), code=303)


@bp.post("/rendez-vous/<id:appointment_id>/absent")
@staff_required(StaffRole.ADVISOR)
def appointment_missed(appointment_id: int) -> Response:
    """« Absent »: the person did not come; their request waits for a new appointment."""
    appointment = _appointment_or_404(appointment_id)
    try:
        mark_appointment_missed(db.session, appointment, now=utcnow())
    except UnitError as error:
        db.session.rollback()
        flash(error_message(error), "error")
    else:
        name = appointment.beneficiary.full_name
        waits = appointment.request is not None and (
            appointment.request.status == RequestStatus.WAITING
        )
        db.session.commit()
        if waits:
            message = _(
                "Absence enregistrée : %(name)s est de nouveau en attente d'un premier "
                "rendez-vous.",
                name=name,
            )
        else:
            message = _("Absence enregistrée pour %(name)s.", name=name)
        flash(message, "success")
    return redirect(url_for("advisor.home", _anchor="rendez-vous"), code=303)

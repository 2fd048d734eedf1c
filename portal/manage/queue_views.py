"""The operator's follow-up, for its advisors and managers: waiting requests to call back
(most urgent first), appointments to move, and the week's appointments."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import groupby

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.auth.policies import current_operator, current_staff, staff_required
from portal.booking import follow_up
from portal.booking.calendar import monday
from portal.booking.follow_up import FollowUpError
from portal.booking.slots import operator_timezone
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.htmx import is_fragment_request, render
from portal.manage import bp
from portal.manage.availability_forms import AgendaFilterForm, int_or_none
from portal.network.models import Operator, Site, StaffMember, StaffRole
from portal.orientation.labels import MOTIFS

OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER)


@bp.get("/demandes-en-attente")
@staff_required(*OPERATOR_STAFF)
def waiting() -> Response:
    operator = current_operator()
    return render(
        "manage/waiting.html",
        "manage/_waiting_requests.html",
        **_waiting_context(operator),
    )


def _waiting_context(operator: Operator) -> dict[str, object]:
    today = today_in_france()
    return {
        "requests": follow_up.waiting_requests(db.session, operator_id=operator.id, today=today),
        "to_reschedule": follow_up.withdrawn_slot_appointments(
            db.session, operator_id=operator.id, now=utcnow()
        ),
        "timezone": operator_timezone(operator),
        "today": today,
        "motif_labels": MOTIFS,
    }


@bp.post("/demandes-en-attente/<id:request_id>/rappel")
@staff_required(*OPERATOR_STAFF)
def call_back(request_id: int) -> Response:
    """« Rappel effectué »: idempotent, the first call back is the one kept."""
    operator = current_operator()
    try:
        follow_up.record_call_back(
            db.session, operator_id=operator.id, request_id=request_id, now=utcnow()
        )
    except FollowUpError:
        abort(404)
    db.session.commit()
    if is_fragment_request():
        # htmx swaps the list in place; the flash would show on the next full page.
        return render(
            "manage/waiting.html", "manage/_waiting_requests.html", **_waiting_context(operator)
        )
    flash(_("Rappel enregistré."), "success")
    return redirect(url_for("manage.waiting", _anchor=f"demande-{request_id}"), code=303)


@bp.get("/mes-rendez-vous")
@staff_required(*OPERATOR_STAFF)
def my_appointments() -> Response:
    staff = current_staff()
    operator = current_operator()
    tz = operator_timezone(operator)
    now = utcnow()
    today = now.astimezone(tz).date()
    week = max(monday(_day(request.args.get("week")) or today), monday(today))
    first_day = max(week, today)
    start = datetime.combine(first_day, time(0), tz)
    end = datetime.combine(week + timedelta(days=7), time(0), tz)
    form = None
    advisor_id: int | None = staff.id
    site_id: int | None = None
    if staff.role == StaffRole.MANAGER:
        form = _agenda_filter(operator)
        advisor_id = int_or_none(form.advisor.data)
        site_id = int_or_none(form.site.data)
    appointments = follow_up.agenda(
        db.session,
        operator_id=operator.id,
        start=start,
        end=end,
        advisor_id=advisor_id,
        site_id=site_id,
    )
    days = [
        (day, list(items))
        for day, items in groupby(appointments, key=lambda a: a.starts_at.astimezone(tz).date())
    ]
    filters = {"advisor": advisor_id, "site": site_id} if form is not None else {}
    return render(
        "manage/appointments.html",
        "manage/_appointments_week.html",
        form=form,
        days=days,
        count=len(appointments),
        week=week,
        previous_week=week - timedelta(days=7) if week > monday(today) else None,
        next_week=week + timedelta(days=7),
        filters={key: value for key, value in filters.items() if value},
        timezone=tz,
        is_manager=form is not None,
        today=today,
    )


def _agenda_filter(operator: Operator) -> AgendaFilterForm:
    form = AgendaFilterForm(request.args)
    advisors = db.session.execute(
        select(StaffMember.id, StaffMember.full_name)
        .where(StaffMember.operator_id == operator.id, StaffMember.role == StaffRole.ADVISOR)
        .order_by(StaffMember.full_name, StaffMember.id)
    ).all()
    sites = db.session.execute(
        select(Site.id, Site.name).where(Site.operator_id == operator.id).order_by(Site.name)
    ).all()
    form.advisor.choices = [SelectChoice("", _("Tous les conseillers"))] + [
        SelectChoice(str(i), name) for i, name in advisors
    ]
    form.site.choices = [SelectChoice("", _("Tous les sites"))] + [
        SelectChoice(str(i), name) for i, name in sites
    ]
    return form


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


__all__ = ["bp"]

"""/pro/agenda: an advisor's week (their own), or any advisor's of the operator for a manager;
the move of an appointment (`move_views`) and the iCalendar feed (`feed_views`)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Flask, abort, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.agenda.forms import AdvisorPickForm
from portal.agenda.texts import kind_label
from portal.agenda.week import advisor_week
from portal.auth.policies import current_operator, current_staff, staff_required
from portal.booking.calendar import monday
from portal.booking.forms import MODALITY_LABELS
from portal.booking.slots import operator_timezone
from portal.db import utcnow
from portal.extensions import db
from portal.htmx import render
from portal.network.models import Operator, StaffMember, StaffRole

bp = Blueprint("agenda", __name__)

OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER)


@bp.get("/pro/agenda")
@staff_required(*OPERATOR_STAFF)
def week() -> Response:
    staff, operator = current_staff(), current_operator()
    tz = operator_timezone(operator)
    today = utcnow().astimezone(tz).date()
    shown = monday(parse_day(request.args.get("week")) or today)
    form: AdvisorPickForm | None = None
    advisor: StaffMember | None = staff
    if staff.role == StaffRole.MANAGER:
        form, advisor = _advisor_pick(operator)
    agenda = (
        advisor_week(db.session, advisor_id=advisor.id, monday=shown, tz=tz)
        if advisor is not None
        else None
    )
    keep = {"advisor": advisor.id} if form is not None and advisor is not None else {}
    return render(
        "agenda/week.html",
        "agenda/_week.html",
        form=form,
        advisor=advisor,
        agenda=agenda,
        week=shown,
        previous_week=shown - timedelta(days=7),
        next_week=shown + timedelta(days=7),
        this_week=monday(today),
        today=today,
        keep=keep,
        own=advisor is not None and advisor.id == staff.id,
        kind_label=kind_label,
        modality_labels=MODALITY_LABELS,
    )


def operator_advisors(operator: Operator) -> list[tuple[int, str]]:
    return [
        (row[0], row[1])
        for row in db.session.execute(
            select(StaffMember.id, StaffMember.full_name)
            .where(StaffMember.operator_id == operator.id, StaffMember.role == StaffRole.ADVISOR)
            .order_by(StaffMember.full_name, StaffMember.id)
        )
    ]


def _advisor_pick(operator: Operator) -> tuple[AdvisorPickForm, StaffMember | None]:
    """The manager's choice; an advisor of another operator (or no advisor) answers 404."""
    form = AdvisorPickForm(request.args)
    form.advisor.choices = [SelectChoice("", _("Choisissez un conseiller"))] + [
        SelectChoice(str(i), name) for i, name in operator_advisors(operator)
    ]
    value = (form.advisor.data or "").strip()
    if not value:
        return form, None
    chosen = db.session.get(StaffMember, int(value)) if small_int(value) else None
    if chosen is None or chosen.operator_id != operator.id or chosen.role != StaffRole.ADVISOR:
        abort(404)
    return form, chosen


# An agenda's week is within these years; beyond, the neighbouring weeks would overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_day(value: str | None) -> date | None:
    """A day typed in a link (`?week=`), or None when it is none or out of any agenda."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def small_int(value: str) -> bool:
    """Digits that fit a database id (a longer string is no id, not a database error)."""
    return value.isdigit() and len(value) <= 9


def init_app(app: Flask) -> None:
    # The other screens register their routes on bp when imported.
    import portal.agenda.feed_views
    import portal.agenda.move_views  # noqa: F401

    app.register_blueprint(bp)

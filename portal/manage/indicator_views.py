"""Indicator 8.4 for the operator's managers: the delay from a request to its first
appointment, per site and overall, and whether the coming weeks' capacity meets the demand.

The rows are loaded once (a handful of queries whatever the period: those of indicator 8.4,
`reporting.indicators.quality.request_rows`); the computations are `booking.indicators`' pure
functions.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from portal.auth.policies import current_operator, staff_required
from portal.booking import indicators
from portal.booking.calendar import add_working_days
from portal.booking.indicators import RequestRow
from portal.booking.models import (
    LIVE_STATUSES,
    Appointment,
    AppointmentRequest,
    Slot,
)
from portal.booking.rules import FIRST_APPOINTMENT_WORKING_DAYS
from portal.booking.slots import operator_territory, operator_timezone
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.manage import bp
from portal.manage.availability_forms import PeriodForm
from portal.network.models import Operator, Site, StaffRole
from portal.reporting.indicators.quality import request_rows


@bp.get("/indicateurs/delai")
@staff_required(StaffRole.MANAGER)
def delays() -> tuple[str, int] | str:
    operator = current_operator()
    today = today_in_france()
    default_start = today - timedelta(weeks=indicators.DEFAULT_PERIOD_WEEKS)
    form = PeriodForm(request.args, start=default_start, end=today)
    # The first visit shows the default period; a submitted period is checked.
    valid = not {"start", "end"} & set(request.args) or form.validate()
    report = None
    if valid:
        start, end = form.start.data or default_start, form.end.data or today
        report = indicators.delay_report(load_requests(operator, start, end), today=today)
    forecast, forecast_until = load_forecast(operator, today)
    page = render_template(
        "manage/delays.html",
        form=form,
        report=report,
        forecast=forecast,
        forecast_until=forecast_until,
        site_names=site_names(operator),
        contract_days=FIRST_APPOINTMENT_WORKING_DAYS,
        weeks_observed=indicators.DEMAND_WEEKS_OBSERVED,
        forecast_weeks=indicators.FORECAST_WEEKS,
    )
    return page if valid else (page, 422)


def load_requests(operator: Operator, start: date, end: date) -> list[RequestRow]:
    """The operator's requests made from `start` to `end`, each with its first appointment
    (two queries, those of indicator 8.4)."""
    operators = {operator.id: operator.lot_number}
    return [row for _, row in request_rows(db.session, operators, start, end + timedelta(days=1))]


def load_forecast(operator: Operator, today: date) -> tuple[indicators.CapacityForecast, date]:
    """Free slots from now to the end of the 30th working day, per site (two queries)."""
    tz = operator_timezone(operator)
    until = add_working_days(today, indicators.FORECAST_WORKING_DAYS, operator_territory(operator))
    booked = exists().where(Appointment.slot_id == Slot.id, Appointment.status.in_(LIVE_STATUSES))
    free = db.session.execute(
        select(Slot.site_id, func.count())
        .where(
            Slot.operator_id == operator.id,
            Slot.withdrawn_at.is_(None),
            Slot.starts_at >= utcnow(),
            Slot.starts_at < datetime.combine(until + timedelta(days=1), time(0), tz),
            ~booked,
        )
        .group_by(Slot.site_id)
    ).all()
    observed_from = today - timedelta(weeks=indicators.DEMAND_WEEKS_OBSERVED)
    observed = db.session.scalar(
        select(func.count()).where(
            AppointmentRequest.operator_id == operator.id,
            AppointmentRequest.requested_on >= observed_from,
            AppointmentRequest.requested_on < today,
        )
    )
    by_place = {site_id: int(count) for site_id, count in free}
    return indicators.capacity_forecast(by_place, int(observed or 0)), until


def site_names(operator: Operator) -> dict[int | None, str]:
    names: dict[int | None, str] = {
        site_id: name
        for site_id, name in db.session.execute(
            select(Site.id, Site.name).where(Site.operator_id == operator.id)
        )
    }
    names[indicators.REMOTE] = _("À distance")
    return names

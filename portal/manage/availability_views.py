"""Advisors' availability, for the operator's managers: the list of advisors (filtered and
paged: a large lot has some 300), and one advisor's recurring windows and absences.

Every change is checked by `booking.availability`, then the operator's slots are
materialised again and the transaction committed here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.auth.policies import current_operator, staff_required
from portal.booking import availability as service
from portal.booking.availability import AvailabilityError, WindowInput
from portal.booking.models import AvailabilityWindow
from portal.booking.slots import MaterialiseReport, materialise_slots, operator_timezone
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.htmx import render
from portal.manage import bp
from portal.manage.availability_forms import (
    AbsenceForm,
    AdvisorFilterForm,
    WindowForm,
    error_message,
    int_or_none,
)
from portal.network.models import Modality, Site, StaffMember, StaffRole, advisor_site

ADVISORS_PER_PAGE = 25
REMOTE_CHOICE = ""


def refresh_slots(operator_id: int) -> MaterialiseReport:
    """Bring the operator's slots in line with the availability just changed."""
    return materialise_slots(
        db.session,
        today=today_in_france(),
        horizon_days=current_app.config["BOOKING_HORIZON_DAYS"],
        operator_id=operator_id,
    )


def _advisor_or_404(advisor_id: int) -> StaffMember:
    try:
        return service.operator_advisor(
            db.session, operator_id=current_operator().id, advisor_id=advisor_id
        )
    except AvailabilityError:
        abort(404)


@bp.get("/disponibilites")
@staff_required(StaffRole.MANAGER)
def availability() -> Response:
    operator_id = current_operator().id
    form = AdvisorFilterForm(request.args)
    sites = db.session.execute(
        select(Site.id, Site.name).where(Site.operator_id == operator_id).order_by(Site.name)
    ).all()
    form.site.choices = [SelectChoice("", _("Tous les sites"))] + [
        SelectChoice(str(i), name) for i, name in sites
    ]
    query = select(StaffMember).where(
        StaffMember.operator_id == operator_id,
        StaffMember.role == StaffRole.ADVISOR,
        StaffMember.active.is_(True),
    )
    name = (form.q.data or "").strip()[:100]
    if name:
        query = query.where(StaffMember.full_name.icontains(name, autoescape=True))
    site_id = int_or_none(form.site.data)
    if site_id is not None:
        query = query.where(
            StaffMember.id.in_(
                select(advisor_site.c.staff_id).where(advisor_site.c.site_id == site_id)
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / ADVISORS_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    advisors = db.session.scalars(
        query.order_by(StaffMember.full_name, StaffMember.id)
        .offset((page - 1) * ADVISORS_PER_PAGE)
        .limit(ADVISORS_PER_PAGE)
        .options(selectinload(StaffMember.sites))
    ).all()
    windows: dict[int, list[AvailabilityWindow]] = defaultdict(list)
    if advisors:
        for window in db.session.scalars(
            select(AvailabilityWindow)
            .where(AvailabilityWindow.advisor_id.in_([a.id for a in advisors]))
            .options(selectinload(AvailabilityWindow.site))
            .order_by(AvailabilityWindow.weekday, AvailabilityWindow.starts)
        ):
            windows[window.advisor_id].append(window)
    filters = {"q": name, "site": site_id or ""}
    return render(
        "manage/availability_list.html",
        "manage/_availability_results.html",
        form=form,
        advisors=advisors,
        windows=windows,
        total=total,
        page_number=page,
        pages=pages,
        filters={key: value for key, value in filters.items() if value},
        today=today_in_france(),
    )


def _window_form(advisor: StaffMember, **kwargs: Any) -> WindowForm:
    form = WindowForm(prefix="window", **kwargs)
    form.site.choices = [
        SelectChoice(str(site.id), site.name) for site in advisor.sites if site.active
    ] + [SelectChoice(REMOTE_CHOICE, _("À distance seulement (téléphone, visio), sans site"))]
    return form


def _advisor_page(
    advisor: StaffMember,
    window_form: WindowForm | None = None,
    absence_form: AbsenceForm | None = None,
) -> str:
    assert advisor.operator is not None
    tz = operator_timezone(advisor.operator)
    today = today_in_france()
    if window_form is None:
        window_form = _window_form(advisor, formdata=None, valid_from=today)
    return render_template(
        "manage/availability_advisor.html",
        advisor=advisor,
        windows=service.advisor_windows(db.session, advisor.id),
        absences=service.advisor_absences(db.session, advisor.id, since=today),
        to_reschedule=service.appointments_to_reschedule(
            db.session, advisor.id, now=utcnow(), timezone=tz
        ),
        timezone=tz,
        window_form=window_form,
        absence_form=absence_form or AbsenceForm(prefix="absence", formdata=None),
        today=today,
    )


def _back_to(advisor: StaffMember, anchor: str | None = None) -> Response:
    target = url_for("manage.advisor_availability", advisor_id=advisor.id)
    return redirect(f"{target}#{anchor}" if anchor else target, code=303)


@bp.get("/disponibilites/<id:advisor_id>")
@staff_required(StaffRole.MANAGER)
def advisor_availability(advisor_id: int) -> str:
    return _advisor_page(_advisor_or_404(advisor_id))


@bp.post("/disponibilites/<id:advisor_id>/plages")
@staff_required(StaffRole.MANAGER)
def add_window(advisor_id: int) -> Response | tuple[str, int]:
    advisor = _advisor_or_404(advisor_id)
    form = _window_form(advisor)
    if not form.validate():
        return _advisor_page(advisor, window_form=form), 422
    data = WindowInput(
        site_id=int_or_none(form.site.data),
        weekday=int(form.weekday.data),
        starts=form.starts.data,
        ends=form.ends.data,
        modalities=frozenset(Modality(m) for m in form.modalities.data),
        slot_minutes=form.slot_minutes.data,
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
    )
    try:
        service.add_window(db.session, advisor=advisor, data=data)
    except AvailabilityError as error:
        getattr(form, error.field or "starts").errors.append(error_message(error))
        return _advisor_page(advisor, window_form=form), 422
    report = refresh_slots(advisor.operator_id or 0)
    db.session.commit()
    flash(
        ngettext(
            "Plage ajoutée : %(num)d créneau créé.",
            "Plage ajoutée : %(num)d créneaux créés.",
            report.created + report.restored,
        ),
        "success",
    )
    return _back_to(advisor, "plages")


@bp.post("/disponibilites/<id:advisor_id>/plages/<id:window_id>/suppression")
@staff_required(StaffRole.MANAGER)
def remove_window(advisor_id: int, window_id: int) -> Response:
    advisor = _advisor_or_404(advisor_id)
    try:
        service.remove_window(db.session, advisor=advisor, window_id=window_id)
    except AvailabilityError:
        abort(404)
    report = refresh_slots(advisor.operator_id or 0)
    db.session.commit()
    _flash_change(_("Plage supprimée."), len(report.conflicts))
    return _back_to(advisor, "plages")


@bp.post("/disponibilites/<id:advisor_id>/absences")
@staff_required(StaffRole.MANAGER)
def add_absence(advisor_id: int) -> Response | tuple[str, int]:
    advisor = _advisor_or_404(advisor_id)
    form = AbsenceForm(prefix="absence")
    if not form.validate():
        return _advisor_page(advisor, absence_form=form), 422
    assert advisor.operator is not None
    try:
        result = service.add_absence(
            db.session,
            advisor=advisor,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            reason=form.reason.data or "",
            timezone=operator_timezone(advisor.operator),
            now=utcnow(),
        )
    except AvailabilityError as error:
        getattr(form, error.field or "ends_on").errors.append(error_message(error))
        return _advisor_page(advisor, absence_form=form), 422
    refresh_slots(advisor.operator_id or 0)
    db.session.commit()
    _flash_change(_("Absence enregistrée."), len(result.to_reschedule))
    return _back_to(advisor, "a-replanifier" if result.to_reschedule else "absences")


@bp.post("/disponibilites/<id:advisor_id>/absences/<id:absence_id>/suppression")
@staff_required(StaffRole.MANAGER)
def remove_absence(advisor_id: int, absence_id: int) -> Response:
    advisor = _advisor_or_404(advisor_id)
    try:
        service.remove_absence(db.session, advisor=advisor, absence_id=absence_id)
    except AvailabilityError:
        abort(404)
    refresh_slots(advisor.operator_id or 0)
    db.session.commit()
    flash(_("Absence supprimée : les créneaux de ces jours sont de nouveau proposés."), "success")
    return _back_to(advisor, "absences")


def _flash_change(done: str, to_move: int) -> None:
    if not to_move:
        flash(done, "success")
        return
    flash(
        done
        + " "
        + ngettext(
            "%(num)d rendez-vous est à replanifier : voyez la liste ci-dessous.",
            "%(num)d rendez-vous sont à replanifier : voyez la liste ci-dessous.",
            to_move,
        ),
        "warning",
    )


__all__ = ["bp", "refresh_slots"]

"""« Proposer un rendez-vous »: an advisor or manager books a first appointment for a waiting
request, on a free slot of the operator's week or at a time they type (issue 14).

The person then gets what a self-booked appointment sends: the confirmation e-mail with its
.ics and the manage link (`booking.emails.queue_booked`, as `booking/views/book.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice, SelectField

from portal.auth.policies import current_operator, current_staff, staff_required
from portal.booking import emails, follow_up
from portal.booking.calendar import monday
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.forms import MODALITY_LABELS
from portal.booking.models import Appointment, AppointmentRequest
from portal.booking.slots import operator_timezone
from portal.booking.staff_booking import (
    StaffBookingError,
    StaffBookingErrorCode,
    book_for_request,
    book_one_off_for_request,
    waiting_request_of,
)
from portal.booking.staff_search import staff_week
from portal.booking.tokens import manage_token
from portal.clock import now, today_in_france
from portal.extensions import db
from portal.manage import bp
from portal.manage.queue_views import OPERATOR_STAFF
from portal.manage.staff_booking_forms import BookSlotForm, OneOffForm, SlotFilterForm
from portal.manage.staff_booking_text import refusal
from portal.network.models import Modality, Operator, Site, StaffMember, StaffRole
from portal.orientation.labels import MOTIFS
from portal.routing import bounded_id
from portal.urls import public_url

BASE = "/demandes-en-attente/<id:request_id>/rendez-vous"
RETRY = {BookingErrorCode.SLOT_TAKEN, BookingErrorCode.SLOT_UNAVAILABLE}


@bp.get(BASE)
@staff_required(*OPERATOR_STAFF)
def book_request(request_id: int) -> Response | str:
    operator = current_operator()
    waiting = _waiting_or_leave(operator, request_id)
    if isinstance(waiting, Response):
        return waiting
    return _page(operator, waiting, SlotFilterForm(request.args))


@bp.post(BASE)
@staff_required(*OPERATOR_STAFF)
def book_request_slot(request_id: int) -> Response | tuple[str, int]:
    operator = current_operator()
    waiting = _waiting_or_leave(operator, request_id)
    if isinstance(waiting, Response):
        return waiting
    filters = SlotFilterForm(request.form)
    form = BookSlotForm(prefix="book")
    slot_id = bounded_id(form.slot.data)
    if not form.validate() or slot_id is None:
        if not form.slot.errors and slot_id is None:
            form.slot.errors = [_("Choisissez un créneau.")]
        return _page(operator, waiting, filters, book_form=form), 422
    try:
        appointment = book_for_request(
            db.session,
            operator_id=operator.id,
            request_id=request_id,
            slot_id=slot_id,
            modality=Modality(form.modality.data),
            staff=current_staff(),
            late_reason=form.late_reason.data,
            now=now(),
        )
    except (BookingError, StaffBookingError) as error:
        return _refused(error, operator, request_id, filters, form)
    return _booked(appointment)


@bp.post(BASE + "/ponctuel")
@staff_required(*OPERATOR_STAFF)
def book_request_one_off(request_id: int) -> Response | tuple[str, int]:
    operator = current_operator()
    waiting = _waiting_or_leave(operator, request_id)
    if isinstance(waiting, Response):
        return waiting
    filters = SlotFilterForm(request.form)
    form = OneOffForm(prefix="one_off")
    _one_off_choices(form, operator)
    if not form.validate():
        return _page(operator, waiting, filters, one_off_form=form), 422
    tz = operator_timezone(operator)
    try:
        appointment = book_one_off_for_request(
            db.session,
            operator_id=operator.id,
            request_id=request_id,
            advisor_id=int(form.advisor.data),
            site_id=bounded_id(form.site.data),
            starts_at=datetime.combine(form.day.data, form.starts.data, tz),
            minutes=form.minutes.data,
            modality=Modality(form.modality.data),
            staff=current_staff(),
            late_reason=form.late_reason.data,
            now=now(),
        )
    except (BookingError, StaffBookingError) as error:
        return _refused(error, operator, request_id, filters, form)
    return _booked(appointment)


def _waiting_or_leave(operator: Operator, request_id: int) -> AppointmentRequest | Response:
    """The waiting request; 404 for another operator's; back to the queue when it is no
    longer waiting (booked by a colleague meanwhile, or cancelled)."""
    try:
        return waiting_request_of(db.session, operator_id=operator.id, request_id=request_id)
    except StaffBookingError as error:
        if error.code is StaffBookingErrorCode.NOT_FOUND:
            abort(404)
        flash(_("Cette demande n'est plus en attente : rien n'a été réservé."), "info")
        return redirect(url_for("manage.waiting"), code=303)


def _refused(
    error: BookingError | StaffBookingError,
    operator: Operator,
    request_id: int,
    filters: SlotFilterForm,
    form: BookSlotForm | OneOffForm,
) -> Response | tuple[str, int]:
    """Tell why, keep what was typed; a foreign object is 404."""
    db.session.rollback()
    if isinstance(error, StaffBookingError) or error.code is BookingErrorCode.WRONG_OPERATOR:
        if isinstance(error, StaffBookingError) and error.code is StaffBookingErrorCode.NOT_WAITING:
            flash(_("Cette demande n'est plus en attente : rien n'a été réservé."), "info")
            return redirect(url_for("manage.waiting"), code=303)
        abort(404)
    target, message = refusal(error, form)
    target.errors = [message]
    waiting = db.session.get_one(AppointmentRequest, request_id)
    status = 409 if error.code in RETRY else 422
    if isinstance(form, OneOffForm):
        return _page(operator, waiting, filters, one_off_form=form), status
    return _page(operator, waiting, filters, book_form=form), status


def _booked(appointment: Appointment) -> Response:
    """The person's confirmation, as for a self-booked appointment, then back to the queue."""
    request_id = appointment.request_id
    assert request_id is not None
    person = appointment.beneficiary
    token = manage_token(current_app.config["SECRET_KEY"], request_id)
    link = public_url("booking.manage", person.locale, token=token)
    emails.queue_booked(db.session, appointment, link, render_later=True)
    db.session.commit()
    flash(
        _(
            "Rendez-vous réservé pour %(name)s : la confirmation lui est envoyée par e-mail.",
            name=person.full_name,
        ),
        "success",
    )
    return redirect(url_for("manage.waiting"), code=303)


def _page(
    operator: Operator,
    waiting: AppointmentRequest,
    filters: SlotFilterForm,
    *,
    book_form: BookSlotForm | None = None,
    one_off_form: OneOffForm | None = None,
) -> str:
    today = today_in_france()
    tz = operator_timezone(operator)
    advisors, sites = _staff_and_sites(operator)
    _filter_choices(filters, advisors, sites)
    site_id, advisor_id = _chosen(filters.site), _chosen(filters.advisor)
    modality = _chosen_modality(filters)
    this_week = monday(today)
    week_day = filters.week.data if not filters.week.errors else None
    first = max(monday(week_day or today), this_week)
    week = staff_week(
        db.session,
        operator_id=operator.id,
        timezone=tz,
        deadline=waiting.deadline,
        monday=first,
        now=now(),
        site_id=site_id,
        modality=modality,
        advisor_id=advisor_id,
    )
    if book_form is None:
        book_form = BookSlotForm(prefix="book", formdata=None)
        book_form.modality.data = modality.value if modality else None
    if one_off_form is None:
        one_off_form = OneOffForm(prefix="one_off", formdata=None)
        _one_off_choices(one_off_form, operator, advisors, sites)
    kept = {"site": site_id, "modality": modality.value if modality else None}
    kept["advisor"] = advisor_id
    kept = {key: value for key, value in kept.items() if value}
    return render_template(
        "manage/book_request.html",
        waiting=follow_up.waiting_request(waiting, today=today),
        person=waiting.beneficiary,
        motif_labels=MOTIFS,
        modality_labels=MODALITY_LABELS,
        filters=filters,
        kept=kept,
        week=week,
        previous_week=first - timedelta(days=7) if first > this_week else None,
        next_week=first + timedelta(days=7),
        book_form=book_form,
        one_off_form=one_off_form,
        timezone=tz,
    )


def _staff_and_sites(operator: Operator) -> tuple[list[SelectChoice], list[SelectChoice]]:
    """The operator's advisors and sites, as choices (two small queries)."""
    advisors = db.session.execute(
        select(StaffMember.id, StaffMember.full_name)
        .where(StaffMember.operator_id == operator.id, StaffMember.role == StaffRole.ADVISOR)
        .order_by(StaffMember.full_name, StaffMember.id)
    ).all()
    sites = db.session.execute(
        select(Site.id, Site.name).where(Site.operator_id == operator.id).order_by(Site.name)
    ).all()
    return (
        [SelectChoice(str(i), name) for i, name in advisors],
        [SelectChoice(str(i), name) for i, name in sites],
    )


def _filter_choices(
    form: SlotFilterForm, advisors: list[SelectChoice], sites: list[SelectChoice]
) -> None:
    form.site.choices = [SelectChoice("", _("Tous les sites")), *sites]
    form.advisor.choices = [SelectChoice("", _("Tous les conseillers")), *advisors]
    form.modality.choices = [SelectChoice("", _("Toutes les modalités"))] + [
        SelectChoice(m.value, label) for m, label in MODALITY_LABELS.items()
    ]


def _one_off_choices(
    form: OneOffForm,
    operator: Operator,
    advisors: list[SelectChoice] | None = None,
    sites: list[SelectChoice] | None = None,
) -> None:
    if advisors is None or sites is None:
        advisors, sites = _staff_and_sites(operator)
    form.advisor.choices = [SelectChoice("", _("Choisir un conseiller")), *advisors]
    form.site.choices = [SelectChoice("", _("À distance (téléphone ou visio)")), *sites]


def _chosen(field: SelectField) -> int | None:
    """The id chosen in a filter, when it is one of its choices; else no filter."""
    offered = {c.value for c in field.iter_choices()}
    return bounded_id(field.data) if field.data and field.data in offered else None


def _chosen_modality(form: SlotFilterForm) -> Modality | None:
    value = form.modality.data
    return Modality(value) if value in {m.value for m in Modality} else None

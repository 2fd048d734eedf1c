"""The person's own page, reached by the signed link: see, move or cancel the appointment."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.booking import emails
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.forms import MODALITY_LABELS, CancelForm, MoveForm
from portal.booking.models import Appointment, AppointmentRequest, Slot
from portal.booking.services import (
    can_change,
    cancel_appointment,
    live_appointment,
    move_appointment,
)
from portal.booking.tokens import InvalidLink, request_id_from_token
from portal.booking.views import bp
from portal.booking.views.context import (
    change_cutoff,
    min_notice,
    no_store,
    now_utc,
    request_place,
)
from portal.booking.views.messages import BOOKING_ERRORS
from portal.booking.views.search import slots_page
from portal.csrf import refill_on_lost_token
from portal.extensions import db
from portal.network.models import Modality
from portal.urls import public_url


def _request(token: str) -> AppointmentRequest:
    try:
        request_id = request_id_from_token(current_app.config["SECRET_KEY"], token)
    except InvalidLink:
        abort(404, description="invalid_link")
    found = db.session.get(AppointmentRequest, request_id)
    if found is None:
        abort(404, description="invalid_link")
    return found


def _latest(booking: AppointmentRequest) -> Appointment | None:
    live = live_appointment(db.session, booking)
    if live is not None:
        return live
    return db.session.scalar(
        select(Appointment)
        .where(Appointment.request_id == booking.id)
        .order_by(Appointment.created_at.desc(), Appointment.id.desc())
        .limit(1)
    )


@bp.get("/rendez-vous/gerer/<token>")
def manage(token: str) -> Response:
    booking = _request(token)
    appointment = _latest(booking)
    changeable = appointment is not None and can_change(
        appointment, now=now_utc(), cutoff=change_cutoff()
    )
    return no_store(
        render_template(
            "booking/manage.html",
            token=token,
            booking=booking,
            appointment=appointment,
            changeable=changeable,
            cutoff_hours=current_app.config["BOOKING_CHANGE_CUTOFF_HOURS"],
        )
    )


@bp.get("/rendez-vous/gerer/<token>/rendez-vous.ics")
def calendar_file(token: str) -> Response:
    booking = _request(token)
    appointment = _latest(booking)
    if appointment is None:
        abort(404)
    link = public_url("booking.manage", token=token)
    return Response(
        emails.calendar_file(appointment, link),
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="rendez-vous-cep.ics"'},
    )


def _changeable_or_redirect(token: str) -> Appointment | Response:
    booking = _request(token)
    appointment = live_appointment(db.session, booking)
    if appointment is None or not can_change(appointment, now=now_utc(), cutoff=change_cutoff()):
        flash(str(BOOKING_ERRORS[BookingErrorCode.NOT_CHANGEABLE]), "error")
        return redirect(url_for("booking.manage", token=token), code=303)
    return appointment


@bp.get("/rendez-vous/gerer/<token>/deplacer")
def move(token: str) -> Response | str:
    appointment = _changeable_or_redirect(token)
    if isinstance(appointment, Response):
        return appointment
    assert appointment.request is not None  # live_appointment() looks them up by request
    where = request_place(db.session, appointment.request)
    if where is None:
        abort(404)
    return slots_page(
        where,
        page="booking/move.html",
        endpoint="booking.move",
        endpoint_values={"token": token},
        slot_endpoint="booking.move_slot",
        slot_values={"token": token},
        token=token,
        appointment=appointment,
    )


@bp.route("/rendez-vous/gerer/<token>/deplacer/<id:slot_id>", methods=["GET", "POST"])
@refill_on_lost_token
def move_slot(token: str, slot_id: int) -> Response | str | tuple[str, int]:
    appointment = _changeable_or_redirect(token)
    if isinstance(appointment, Response):
        return appointment
    chosen = db.session.get(Slot, slot_id)
    if chosen is None:
        flash(str(BOOKING_ERRORS[BookingErrorCode.SLOT_UNAVAILABLE]), "error")
        return redirect(url_for("booking.move", token=token), code=303)
    form = MoveForm()
    offered = [m for m in chosen.modalities if m is not Modality.PRESENTIEL or chosen.site_id]
    form.modality.choices = [SelectChoice(m.value, MODALITY_LABELS[m]) for m in offered]
    if request.method == "GET":
        wanted = request.args.get("modalite")
        form.modality.data = wanted if wanted in {m.value for m in offered} else None
        return render_template(
            "booking/move_confirm.html",
            form=form,
            token=token,
            appointment=appointment,
            slot=chosen,
        )
    if not form.validate():
        return render_template(
            "booking/move_confirm.html",
            form=form,
            token=token,
            appointment=appointment,
            slot=chosen,
        ), 422
    try:
        moved = move_appointment(
            db.session,
            appointment=appointment,
            slot_id=chosen.id,
            modality=Modality(form.modality.data),
            now=now_utc(),
            min_notice=min_notice(),
            cutoff=change_cutoff(),
        )
    except BookingError as error:
        db.session.rollback()
        flash(str(BOOKING_ERRORS[error.code]), "error")
        return redirect(url_for("booking.move", token=token), code=303)
    emails.queue_moved(db.session, moved, public_url("booking.manage", token=token))
    db.session.commit()
    flash(_("Votre rendez-vous est déplacé. Un e-mail de confirmation vous est envoyé."), "success")
    return redirect(url_for("booking.manage", token=token), code=303)


@bp.route("/rendez-vous/gerer/<token>/annuler", methods=["GET", "POST"])
@refill_on_lost_token
def cancel(token: str) -> Response | str:
    appointment = _changeable_or_redirect(token)
    if isinstance(appointment, Response):
        return appointment
    form = CancelForm()
    if request.method == "GET" or not form.validate():
        return render_template(
            "booking/cancel.html", form=form, token=token, appointment=appointment
        )
    cancel_appointment(db.session, appointment=appointment, now=now_utc(), cutoff=change_cutoff())
    emails.queue_cancelled(db.session, appointment)
    db.session.commit()
    flash(_("Votre rendez-vous est annulé. Un e-mail de confirmation vous est envoyé."), "success")
    return redirect(url_for("booking.manage", token=token), code=303)

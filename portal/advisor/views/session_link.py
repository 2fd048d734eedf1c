"""The person's page for a follow-up session, reached by its signed link (e-mails, reminder,
their space): see it, with its video link; move it among the advisor's free slots up to the
unit's deadline; or cancel it — until the change cut-off, as for a first appointment.

Public and without JavaScript; a bad token answers the « invalid link » page (404). The
token names one appointment; the page follows its moves to the session as it stands.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor.models import Unit
from portal.advisor.session_emails import queue_session_mail
from portal.advisor.session_forms import ConfirmForm, PersonMoveForm
from portal.advisor.session_rules import SessionError, SessionErrorCode, free_slots
from portal.advisor.sessions import cancel_session, current_session, move_session
from portal.advisor.views.session_panel import attach_session_error, session_error_text
from portal.booking.models import Appointment, Slot
from portal.booking.services import can_change
from portal.booking.tokens import (
    InvalidLink,
    appointment_id_from_session_token,
    session_token,
)
from portal.booking.views.context import change_cutoff, min_notice, no_store, now_utc
from portal.csrf import refill_on_lost_token
from portal.extensions import db
from portal.network.models import Modality

bp = Blueprint("session_link", __name__)


def _session(token: str) -> Appointment:
    try:
        appointment_id = appointment_id_from_session_token(current_app.config["SECRET_KEY"], token)
    except InvalidLink:
        abort(404, description="invalid_link")
    found = db.session.get(Appointment, appointment_id)
    if found is None or found.unit_id is None:
        abort(404, description="invalid_link")
    return current_session(db.session, found)


def _slots(appointment: Appointment) -> list[Slot]:
    """The advisor's free slots the person may move to (not before the booking notice)."""
    unit = db.session.get_one(Unit, appointment.unit_id)
    if not unit.is_open:
        return []
    return free_slots(
        db.session, advisor_id=appointment.advisor_id, unit=unit, now=now_utc() + min_notice()
    )


def _page(token: str, appointment: Appointment, form: PersonMoveForm | None = None) -> str:
    changeable = can_change(appointment, now=now_utc(), cutoff=change_cutoff())
    if form is None:
        form = PersonMoveForm(formdata=None, modality=appointment.modality)
        form.set_choices(_slots(appointment) if changeable else [])
    unit = db.session.get_one(Unit, appointment.unit_id)
    return render_template(
        "advisor/session_link.html",
        token=token,
        appointment=appointment,
        unit=unit,
        changeable=changeable,
        form=form,
        cancel_form=ConfirmForm(formdata=None),
        cutoff_hours=current_app.config["BOOKING_CHANGE_CUTOFF_HOURS"],
    )


@bp.app_template_global()
def session_page_url(appointment: Appointment) -> str:
    """The person's own page for a session (their space links to it)."""
    token = session_token(current_app.config["SECRET_KEY"], appointment.id)
    return url_for("session_link.page", token=token)


@bp.get("/rendez-vous/seance/<token>")
def page(token: str) -> Response:
    return no_store(_page(token, _session(token)))


@bp.route("/rendez-vous/seance/<token>/deplacer", methods=["POST"])
@refill_on_lost_token
def move(token: str) -> Response:
    appointment = _session(token)
    if not can_change(appointment, now=now_utc(), cutoff=change_cutoff()):
        flash(session_error_text(SessionError(SessionErrorCode.NOT_CHANGEABLE)), "error")
        return redirect(url_for("session_link.page", token=token), code=303)
    form = PersonMoveForm()
    form.set_choices(_slots(appointment))
    if not form.validate():
        return no_store(_page(token, appointment, form), 422)
    try:
        moved = move_session(
            db.session,
            appointment=appointment,
            slot_id=int(form.slot.data),
            modality=Modality(form.modality.data),
            now=now_utc(),
            cutoff=change_cutoff(),
        )
    except SessionError as error:
        db.session.rollback()
        appointment = _session(token)
        form.set_choices(_slots(appointment))
        attach_session_error(form, error)
        return no_store(_page(token, appointment, form), 422)
    queue_session_mail(db.session, moved, "moved", by_person=True)
    db.session.commit()
    flash(_("Votre séance est déplacée. Un e-mail de confirmation vous est envoyé."), "success")
    return redirect(url_for("session_link.page", token=token), code=303)


@bp.route("/rendez-vous/seance/<token>/annuler", methods=["POST"])
@refill_on_lost_token
def cancel(token: str) -> Response:
    appointment = _session(token)
    if ConfirmForm().validate():
        try:
            cancel_session(
                db.session, appointment=appointment, now=now_utc(), cutoff=change_cutoff()
            )
        except SessionError as error:
            db.session.rollback()
            flash(session_error_text(error), "error")
            return redirect(url_for("session_link.page", token=token), code=303)
        queue_session_mail(db.session, appointment, "cancelled", by_person=True)
        db.session.commit()
        flash(_("Votre séance est annulée. Un e-mail de confirmation vous est envoyé."), "success")
    return redirect(url_for("session_link.page", token=token), code=303)

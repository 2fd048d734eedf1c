"""The advisor's follow-up sessions (issue 14 §2), from the dossier page: book the next one,
move or cancel it, mark it held (the exchange is recorded from it) or missed; and the
manager's setting of the operator's video URL template (`/pro/visio`).

Each view checks the unit or session belongs to the advisor's operator (404 otherwise), lets
the core (`portal.advisor.sessions`) decide, sends the person the right e-mail, commits, and
comes back to the dossier; a refusal re-renders the page with the form as typed (422).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor.errors import UnitError
from portal.advisor.forms import attach_error
from portal.advisor.models import Unit
from portal.advisor.policies import unit_or_404
from portal.advisor.session_emails import queue_session_mail
from portal.advisor.session_forms import ConfirmForm, HeldForm, SessionForm, VideoTemplateForm
from portal.advisor.session_rules import SessionError, SessionErrorCode, set_video_template
from portal.advisor.sessions import (
    OneOff,
    book_session,
    cancel_session,
    hold_session,
    miss_session,
    move_session,
)
from portal.advisor.views import bp
from portal.advisor.views.page import render_dossier
from portal.advisor.views.session_panel import (
    attach_session_error,
    given_forms,
    session_error_text,
    session_form,
)
from portal.advisor.views.texts import error_message
from portal.auth.policies import current_staff, staff_required
from portal.booking.models import Appointment, AppointmentStatus, Slot
from portal.booking.slots import operator_timezone
from portal.clock import now, today_in_france
from portal.extensions import db
from portal.network.models import Modality, StaffMember, StaffRole


def _back_to(unit: Unit) -> Response:
    return redirect(
        url_for("advisor.dossier", dossier_id=unit.dossier_id, _anchor=f"seances-{unit.id}"),
        code=303,
    )


def _session_or_404(session_id: int) -> tuple[Appointment, Unit]:
    appointment = db.session.get(Appointment, session_id)
    if appointment is None or appointment.unit_id is None:
        abort(404)
    return appointment, unit_or_404(appointment.unit_id, work=True)


def _choice(form: SessionForm, unit: Unit) -> dict[str, object]:
    """What the form asks for: a slot (its advisor) or a typed time (the chosen advisor)."""
    modality = Modality(form.modality.data)
    typed = form.typed_start()
    if typed is None:
        slot = db.session.get_one(Slot, int(form.slot.data))
        return {"modality": modality, "slot_id": slot.id, "advisor": slot.advisor}
    local, minutes = typed
    starts_at = local.replace(tzinfo=operator_timezone(unit.operator))
    site_id = int(form.site.data) if form.site.data else None
    advisor = db.session.get_one(StaffMember, int(form.advisor.data))
    one_off = OneOff(starts_at=starts_at, minutes=minutes, site_id=site_id)
    return {"modality": modality, "one_off": one_off, "advisor": advisor}


def _again(unit: Unit, key: str, form: SessionForm | HeldForm) -> Response:
    """The dossier page again (422), with `form` as typed in the sessions panel; the page's
    « aller au formulaire » points at the unit (its key names the unit, not the session)."""
    given_forms()[key] = form
    return render_dossier(unit.dossier_id, status=422, forms={f"session-{unit.id}": form})


def _refused(
    unit: Unit, key: str, form: SessionForm | HeldForm, error: SessionError | UnitError
) -> Response:
    db.session.rollback()
    if isinstance(error, SessionError):
        attach_session_error(form, error)
    else:
        attach_error(form, error, fallback="duration_minutes")
    return _again(unit, key, form)


@bp.post("/unites/<id:unit_id>/seances")
@staff_required(StaffRole.ADVISOR)
def book(unit_id: int) -> Response:
    unit = unit_or_404(unit_id, work=True)
    staff = current_staff()
    form = session_form(unit, staff, formdata=True)
    key = f"session-{unit.id}"
    if not form.validate():
        return _again(unit, key, form)
    try:
        appointment = book_session(
            db.session,
            unit=unit,
            staff=staff,
            now=now(),
            other_advisor_reason=form.other_advisor_reason.data or "",
            **_choice(form, unit),  # type: ignore[arg-type]
        )
    except SessionError as error:
        return _refused(unit, key, form, error)
    queue_session_mail(db.session, appointment, "booked")
    db.session.commit()
    flash(_("Séance fixée. La personne reçoit l'invitation par e-mail."), "success")
    return _back_to(unit)


@bp.route("/seances/<id:session_id>/deplacer", methods=["GET", "POST"])
@staff_required(StaffRole.ADVISOR)
def move(session_id: int) -> Response | str | tuple[str, int]:
    appointment, unit = _session_or_404(session_id)
    if appointment.status != AppointmentStatus.BOOKED:  # held, missed, cancelled or moved
        flash(session_error_text(SessionError(SessionErrorCode.NOT_CHANGEABLE)), "error")
        return _back_to(unit)
    staff = current_staff()
    form = session_form(unit, staff, formdata=request.method == "POST", appointment=appointment)
    if request.method == "GET" or not form.validate():
        status = 200 if request.method == "GET" else 422
        return _move_page(appointment, unit, form), status
    try:
        moved = move_session(
            db.session,
            appointment=appointment,
            staff=staff,
            now=now(),
            other_advisor_reason=form.other_advisor_reason.data or "",
            **_choice(form, unit),  # type: ignore[arg-type]
        )
    except SessionError as error:
        db.session.rollback()
        attach_session_error(form, error)
        appointment, unit = _session_or_404(session_id)
        return _move_page(appointment, unit, form), 422
    queue_session_mail(db.session, moved, "moved")
    db.session.commit()
    flash(_("Séance déplacée. La personne en est prévenue par e-mail."), "success")
    return _back_to(unit)


def _move_page(appointment: Appointment, unit: Unit, form: SessionForm) -> str:
    return render_template(
        "advisor/session_move.html",
        appointment=appointment,
        unit=unit,
        form=form,
        referent=unit.dossier.advisor,
    )


@bp.post("/seances/<id:session_id>/tenue")
@staff_required(StaffRole.ADVISOR)
def held(session_id: int) -> Response:
    appointment, unit = _session_or_404(session_id)
    form = HeldForm(prefix=f"h{appointment.id}")
    key = f"held-{appointment.id}"
    if not form.validate():
        return _again(unit, key, form)
    try:
        hold_session(
            db.session,
            appointment=appointment,
            by=current_staff(),
            now=now(),
            today=today_in_france(),
            duration_minutes=form.duration_minutes.data,
        )
    except (SessionError, UnitError) as error:
        return _refused(unit, key, form, error)
    db.session.commit()
    flash(_("Séance tenue : l'échange est enregistré."), "success")
    return _back_to(unit)


@bp.post("/seances/<id:session_id>/absente")
@staff_required(StaffRole.ADVISOR)
def missed(session_id: int) -> Response:
    appointment, unit = _session_or_404(session_id)
    if ConfirmForm().validate():
        try:
            miss_session(db.session, appointment=appointment, now=now())
        except (SessionError, UnitError) as error:
            db.session.rollback()
            flash(_message(error), "error")
            return _back_to(unit)
        db.session.commit()
        flash(_("Séance notée : la personne était absente."), "success")
    return _back_to(unit)


@bp.post("/seances/<id:session_id>/annuler")
@staff_required(StaffRole.ADVISOR)
def cancel(session_id: int) -> Response:
    appointment, unit = _session_or_404(session_id)
    if ConfirmForm().validate():
        try:
            cancel_session(db.session, appointment=appointment, now=now())
        except SessionError as error:
            db.session.rollback()
            flash(session_error_text(error), "error")
            return _back_to(unit)
        queue_session_mail(db.session, appointment, "cancelled")
        db.session.commit()
        flash(_("Séance annulée. La personne en est prévenue par e-mail."), "success")
    return _back_to(unit)


def _message(error: SessionError | UnitError) -> str:
    if isinstance(error, SessionError):
        return session_error_text(error)
    return error_message(error)


@bp.route("/visio", methods=["GET", "POST"])
@staff_required(StaffRole.MANAGER)
def video_setting() -> Response | tuple[str, int] | str:
    """The operator's video URL template: https, with {code} where the meeting's code goes."""
    staff = current_staff()
    operator = staff.operator
    if operator is None:
        abort(404)
    if request.method == "GET":
        form = VideoTemplateForm(formdata=None, template=operator.video_url_template or "")
        return render_template("advisor/video_setting.html", form=form, operator=operator)
    form = VideoTemplateForm()
    if form.validate():
        try:
            set_video_template(db.session, operator, form.template.data or "")
        except SessionError as error:
            db.session.rollback()
            attach_session_error(form, error)
        else:
            db.session.commit()
            flash(_("Adresse des visios enregistrée."), "success")
            return redirect(url_for("advisor.video_setting"), code=303)
    return render_template("advisor/video_setting.html", form=form, operator=operator), 422

"""/pro/agenda/rendez-vous/<id>/deplacer: move an appointment to another free slot (of its
advisor or of another advisor of the operator) or to a time typed by staff; the person is told
by e-mail with an updated .ics. The rules are `portal.agenda.moves`'."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.agenda import moves
from portal.agenda.forms import MoveForm
from portal.agenda.texts import move_error
from portal.agenda.views import OPERATOR_STAFF, bp, operator_advisors, parse_day, small_int
from portal.auth.policies import current_operator, current_staff, staff_required
from portal.booking import emails
from portal.booking.calendar import monday
from portal.booking.forms import MODALITY_LABELS
from portal.booking.models import Appointment, Slot
from portal.booking.slots import operator_timezone
from portal.booking.tokens import manage_token
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import format_time_short
from portal.network.models import Modality, Site, StaffMember, StaffRole
from portal.urls import public_url


@bp.route("/pro/agenda/rendez-vous/<id:appointment_id>/deplacer", methods=["GET", "POST"])
@staff_required(*OPERATOR_STAFF)
def move(appointment_id: int) -> Response | tuple[str, int] | str:
    appointment = _appointment_or_404(appointment_id)
    target = _target_advisor(appointment)
    form = MoveForm(request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.modality.data = str(appointment.modality)
    context = _context(appointment, target, form)
    if request.method == "GET":
        return render_template("agenda/move.html", **context)
    if not form.validate():
        return render_template("agenda/move.html", **context), 422
    now = utcnow()
    modality = Modality(form.modality.data)
    reasons = {
        "late_reason": form.late_reason.data or "",
        "other_advisor_reason": form.other_advisor_reason.data or "",
    }
    try:
        if form.how.data == "time":
            tz = context["timezone"]
            moved = moves.move_to_time(
                db.session,
                appointment=appointment,
                advisor=target,
                starts_at=datetime.combine(form.day.data, form.start.data, tz),
                minutes=int(form.minutes.data),
                modality=modality,
                site_id=int(form.site.data) if small_int(form.site.data or "") else None,
                created_by=current_staff(),
                now=now,
                **reasons,
            )
        else:
            moved = moves.move_to_slot(
                db.session,
                appointment=appointment,
                slot_id=int(form.slot.data),
                modality=modality,
                now=now,
                **reasons,
            )
    except moves.MoveError as error:
        db.session.rollback()
        appointment = _appointment_or_404(appointment_id)
        context = _context(appointment, _target_advisor(appointment), form)
        context["refusal"] = move_error(error)
        return render_template("agenda/move.html", **context), 422
    emails.queue_moved(db.session, moved, _manage_url(moved))
    db.session.commit()
    flash(_("Le rendez-vous est déplacé ; la personne en est informée par e-mail."), "success")
    local_day = moved.starts_at.astimezone(context["timezone"]).date()
    keep: dict[str, Any] = {"week": monday(local_day).isoformat()}
    if current_staff().role == StaffRole.MANAGER:
        keep["advisor"] = moved.advisor_id
    return redirect(url_for("agenda.week", **keep), code=303)


def _appointment_or_404(appointment_id: int) -> Appointment:
    """The operator's appointment; an advisor moves only their own."""
    staff = current_staff()
    appointment = moves.operator_appointment(
        db.session, operator_id=current_operator().id, appointment_id=appointment_id
    )
    if appointment is None or (
        staff.role == StaffRole.ADVISOR and appointment.advisor_id != staff.id
    ):
        abort(404)
    return appointment


def _target_advisor(appointment: Appointment) -> StaffMember:
    """The advisor whose free slots are offered (`?advisor=`, the appointment's by default)."""
    value = (request.args.get("advisor") or "").strip()
    if not value:
        return appointment.advisor
    chosen = db.session.get(StaffMember, int(value)) if small_int(value) else None
    if (
        chosen is None
        or chosen.operator_id != appointment.operator_id
        or chosen.role != StaffRole.ADVISOR
    ):
        abort(404)
    return chosen


def _context(appointment: Appointment, target: StaffMember, form: MoveForm) -> dict[str, Any]:
    operator = appointment.operator
    tz = operator_timezone(operator)
    now = utcnow()
    today = now.astimezone(tz).date()
    # The appointment's own week first: the closest free slots are usually around it.
    shown = parse_day(request.args.get("week")) or appointment.starts_at.astimezone(tz).date()
    week = max(monday(shown), monday(today))
    start = max(datetime.combine(week, datetime.min.time(), tz), now)
    end = datetime.combine(week + timedelta(days=7), datetime.min.time(), tz)
    slots = moves.free_slots(
        db.session, operator_id=operator.id, advisor_id=target.id, start=start, end=end
    )
    form.slot.choices = [SelectChoice(str(slot.id), _slot_label(slot, tz)) for slot in slots]
    form.site.choices = [SelectChoice("", _("Aucun (téléphone ou visio)"))] + [
        SelectChoice(str(site_id), name)
        for site_id, name in db.session.execute(
            select(Site.id, Site.name).where(Site.operator_id == operator.id).order_by(Site.name)
        )
    ]
    unit = moves.unit_of(db.session, appointment)
    days: dict[Any, list[tuple[SelectChoice, Slot]]] = {}
    for choice, slot in zip(form.slot.choices, slots, strict=True):
        days.setdefault(slot.starts_at.astimezone(tz).date(), []).append((choice, slot))
    query = {"advisor": target.id, "week": week.isoformat()}
    return {
        "form": form,
        "appointment": appointment,
        "unit": unit,
        "target": target,
        "advisors": operator_advisors(operator),
        "days": days,
        "week": week,
        "previous_week": week - timedelta(days=7) if week > monday(today) else None,
        "next_week": week + timedelta(days=7),
        "timezone": tz,
        "query": query,
        "modality_labels": MODALITY_LABELS,
        "refusal": None,
    }


def _slot_label(slot: Slot, tz: Any) -> str:
    starts, ends = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    label = f"{format_time_short(starts.time())} – {format_time_short(ends.time())}"
    modalities = ", ".join(str(MODALITY_LABELS[m]) for m in slot.modalities)
    return f"{label} · {modalities}" + (f" · {slot.site.name}" if slot.site else "")


def _manage_url(moved: Appointment) -> str | None:
    """The person's link to move or cancel a first appointment; a session has none here."""
    if moved.request_id is None:
        return None
    token = manage_token(current_app.config["SECRET_KEY"], moved.request_id)
    return public_url("booking.manage", moved.beneficiary.locale, token=token)

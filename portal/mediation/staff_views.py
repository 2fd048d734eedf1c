"""/pro/reclamations: the operator's complaints, for its manager and its correspondant médiation
(its other advisors read them, see `portal.mediation.policies`). The queue by next clock, a
complaint's page with its clocks, thread and files, the manager's actions, and a complaint
received by letter, e-mail or phone.

Views own the transaction; every refusal of the core is said in words on the page, with what
was typed kept (422).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from portal.advisor.reference import reference_tables
from portal.auth.policies import current_operator, current_staff, staff_required
from portal.clock import now, today_in_france
from portal.extensions import db
from portal.livrables.views.signing import file_response
from portal.mediation import complaints as core
from portal.mediation.attachments import ATTACHMENT_MAX_BYTES, add_attachment
from portal.mediation.errors import ComplaintError
from portal.mediation.models import MOTIVE_LIST, Channel, Complaint
from portal.mediation.policies import attachment_or_404, can_handle_complaint, complaint_or_404
from portal.mediation.queue import operator_queue
from portal.mediation.rules import acknowledge_by, answer_by, next_clock
from portal.mediation.staff_emails import queue_answer, queue_staff_message
from portal.mediation.staff_forms import CHANNEL_LABELS, AnswerForm, MessageForm, RecordForm
from portal.mediation.staff_text import CLOCK_LABELS, refusal
from portal.network.models import StaffRole

bp = Blueprint("mediation_staff", __name__, url_prefix="/pro/reclamations")

OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER)
MANAGER = StaffRole.MANAGER


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _tables() -> Any:
    return reference_tables(db.session, str(get_locale()))


@bp.get("")
@staff_required(*OPERATOR_STAFF)
def queue() -> str:
    operator = current_operator()
    today = today_in_france()
    return render_template(
        "mediation/staff/queue.html",
        items=operator_queue(db.session, operator_id=operator.id, today=today),
        tables=_tables(),
        clock_labels=CLOCK_LABELS,
        today=today,
        can_record=current_staff().role == MANAGER,
    )


@bp.get("/<id:complaint_id>")
@staff_required(*OPERATOR_STAFF)
def complaint(complaint_id: int) -> str:
    return complaint_screen(complaint_or_404(complaint_id))


def complaint_screen(
    complaint: Complaint,
    *,
    error: str | None = None,
    answer_form: AnswerForm | None = None,
    message_form: MessageForm | None = None,
) -> str:
    return render_template(
        "mediation/staff/complaint.html",
        complaint=complaint,
        clock=next_clock(complaint, today_in_france()),
        acknowledge_by=acknowledge_by(complaint.received_on),
        answer_by=answer_by(complaint.received_on),
        can_handle=can_handle_complaint(current_staff(), complaint),
        answer_form=answer_form or AnswerForm(formdata=None),
        message_form=message_form or MessageForm(formdata=None),
        error=error,
        tables=_tables(),
        channel_labels=CHANNEL_LABELS,
        clock_labels=CLOCK_LABELS,
    )


def _refused(complaint: Complaint, error: ComplaintError, **forms: Any) -> tuple[str, int]:
    db.session.rollback()
    complaint = complaint_or_404(complaint.id)
    return complaint_screen(complaint, error=refusal(error), **forms), 422


def _back(complaint: Complaint, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("mediation_staff.complaint", complaint_id=complaint.id), code=303)


@bp.get("/<id:complaint_id>/pieces/<id:attachment_id>")
@staff_required(*OPERATOR_STAFF)
def attachment(complaint_id: int, attachment_id: int) -> Response:
    found = attachment_or_404(complaint_id, attachment_id)
    return file_response(found.data, found.content_type, found.filename, inline=False)


@bp.post("/<id:complaint_id>/accuse-reception")
@staff_required(*OPERATOR_STAFF)  # complaint_or_404(handle=True) decides
def acknowledge(complaint_id: int) -> Response | tuple[str, int]:
    complaint = complaint_or_404(complaint_id, handle=True)
    try:
        core.acknowledge_complaint(db.session, complaint, by=current_staff(), now=now())
    except ComplaintError as error:
        return _refused(complaint, error)
    db.session.commit()
    return _back(complaint, _("Réception accusée."))


@bp.post("/<id:complaint_id>/reponse")
@staff_required(*OPERATOR_STAFF)  # complaint_or_404(handle=True) decides
def answer(complaint_id: int) -> Response | tuple[str, int]:
    complaint = complaint_or_404(complaint_id, handle=True)
    form = AnswerForm()
    if not form.validate():
        return complaint_screen(complaint, answer_form=form), 422
    try:
        core.answer_complaint(
            db.session, complaint, by=current_staff(), answer=form.answer.data or "", now=now()
        )
        queue_answer(db.session, complaint)
    except ComplaintError as error:
        return _refused(complaint, error, answer_form=form)
    db.session.commit()
    if complaint.email:
        return _back(complaint, _("Réponse enregistrée et envoyée par e-mail à la personne."))
    return _back(
        complaint, _("Réponse enregistrée. La personne n'a pas d'e-mail : envoyez-la par courrier.")
    )


@bp.post("/<id:complaint_id>/message")
@staff_required(*OPERATOR_STAFF)  # complaint_or_404(handle=True) decides
def message(complaint_id: int) -> Response | tuple[str, int]:
    complaint = complaint_or_404(complaint_id, handle=True)
    form = MessageForm()
    if not form.validate():
        return complaint_screen(complaint, message_form=form), 422
    text = form.text.data or ""
    try:
        core.add_message(db.session, complaint, text=text, now=now(), by=current_staff())
        queue_staff_message(db.session, complaint, text)
    except ComplaintError as error:
        return _refused(complaint, error, message_form=form)
    db.session.commit()
    return _back(complaint, _("Message enregistré."))


@bp.post("/<id:complaint_id>/cloture")
@staff_required(*OPERATOR_STAFF)  # complaint_or_404(handle=True) decides
def close(complaint_id: int) -> Response | tuple[str, int]:
    complaint = complaint_or_404(complaint_id, handle=True)
    try:
        core.close_complaint(db.session, complaint, by=current_staff(), now=now())
    except ComplaintError as error:
        return _refused(complaint, error)
    db.session.commit()
    return _back(complaint, _("Réclamation close."))


@bp.route("/nouvelle", methods=["GET", "POST"])
@staff_required(MANAGER)
def record() -> Response | str | tuple[str, int]:
    current_operator()
    tables = _tables()
    form = RecordForm()
    form.motive.choices = [("", _("Choisissez…"))] + [
        (item.code, item.label(str(get_locale()))) for item in tables.choices(MOTIVE_LIST)
    ]
    if not form.is_submitted():
        return render_template("mediation/staff/record.html", form=form, error=None)
    if form.validate():
        try:
            complaint = _record(form)
        except ComplaintError as error:
            db.session.rollback()
            for name in error.fields:
                field = getattr(form, "scan" if name == "attachments" else name, None)
                if field is not None:
                    field.errors = [*field.errors, refusal(error)]
            return render_template(
                "mediation/staff/record.html", form=form, error=refusal(error)
            ), 422
        db.session.commit()
        return _back(complaint, _("Réclamation enregistrée."))
    return render_template("mediation/staff/record.html", form=form, error=None), 422


def _record(form: RecordForm) -> Complaint:
    moment = now()
    complaint = core.record_complaint(
        db.session,
        by=current_staff(),
        channel=Channel(form.channel.data),
        received_on=form.received_on.data,
        complainant=core.Complainant(
            last_name=form.last_name.data or "",
            first_name=form.first_name.data or "",
            email=form.email.data,
            phone=form.phone.data,
            postal_address=form.postal_address.data,
        ),
        motive=form.motive.data or "",
        text=form.text.data or "",
        now=moment,
        today=today_in_france(),
    )
    scan = form.scan.data
    if isinstance(scan, FileStorage) and scan.filename:
        add_attachment(
            db.session,
            complaint,
            filename=scan.filename,
            data=scan.read(),
            now=moment,
            by=current_staff(),
            max_bytes=_max_bytes(),
        )
    return complaint


def _max_bytes() -> int:
    return int(current_app.config.get("COMPLAINT_ATTACHMENT_MAX_BYTES", ATTACHMENT_MAX_BYTES))

"""The dossier's référent and messages (issue 14 §4): the advisor answers the person; a
manager hands the dossier to another advisor. What the dossier page and the advisor's home
show of it comes from the template globals `dossier_contact` and `advisor_notices`, so that
the shared templates need one include line each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.advisor import abandon, handover, messages, queries
from portal.advisor.contact_emails import queue_answer_to_person, queue_referent_changed
from portal.advisor.contact_forms import AnswerForm, HandoverForm
from portal.advisor.contact_models import DossierHandover, DossierMessage
from portal.advisor.models import Dossier, Unit
from portal.advisor.policies import can_view_dossier, can_work_on_dossier, dossier_or_404
from portal.advisor.views import bp
from portal.advisor.views.page import render_dossier
from portal.auth.policies import current_staff, staff_required
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import StaffMember, StaffRole


@dataclass(slots=True)
class DossierContact:
    messages: list[DossierMessage]
    handovers: list[DossierHandover]
    warned: Unit | None
    answer: AnswerForm | None = None
    hand_over: HandoverForm | None = None


@bp.app_template_global("dossier_contact")
def dossier_contact(dossier: Dossier) -> DossierContact:
    """What the dossier page shows of the messages, handovers and abandon warning."""
    staff = current_staff()
    given: dict[str, FlaskForm] = g.get("contact_forms", {})
    today = today_in_france()
    open_unit = dossier.open_unit
    contact = DossierContact(
        messages=messages.thread(db.session, dossier.id),
        handovers=handover.handovers_of(db.session, dossier.id),
        warned=open_unit if open_unit and abandon.in_warning(open_unit, today) else None,
    )
    if can_work_on_dossier(staff, dossier):
        answer = given.get("answer")
        contact.answer = answer if isinstance(answer, AnswerForm) else _answer_form(fresh=True)
    if staff.role == StaffRole.MANAGER and can_view_dossier(staff, dossier):
        form = given.get("handover")
        contact.hand_over = (
            form if isinstance(form, HandoverForm) else _handover_form(dossier, fresh=True)
        )
    return contact


@dataclass(frozen=True, slots=True)
class HomeNotices:
    messages: list[DossierMessage]
    handovers: list[DossierHandover]
    abandons: list[Unit]


@bp.app_template_global("advisor_notices")
def advisor_notices(staff: StaffMember, today: date) -> HomeNotices:
    """The advisor's home: messages to answer, dossiers handed to them, abandons ahead."""
    return HomeNotices(
        messages=messages.unanswered(db.session, advisor_id=staff.id),
        handovers=handover.recent_handovers_to(db.session, advisor_id=staff.id, now=utcnow()),
        abandons=abandon.warned_units(db.session, advisor_id=staff.id, today=today),
    )


@bp.post("/dossiers/<id:dossier_id>/messages")
@staff_required(StaffRole.ADVISOR)
def answer(dossier_id: int) -> Response:
    dossier = dossier_or_404(dossier_id, work=True)
    form = _answer_form()
    if form.validate():
        staff = current_staff()
        try:
            message = messages.answer_person(
                db.session, dossier, text=form.text.data or "", by=staff, now=utcnow()
            )
        except messages.MessageError as error:
            db.session.rollback()
            form.text.errors = [_message_error(error.code)]
        else:
            queue_answer_to_person(db.session, dossier, message, staff)
            db.session.commit()
            flash(_("Réponse envoyée par e-mail à la personne."), "success")
            return redirect(
                url_for("advisor.dossier", dossier_id=dossier_id, _anchor="messages"), code=303
            )
    g.contact_forms = {"answer": form}
    return render_dossier(dossier_id, status=422)


@bp.post("/dossiers/<id:dossier_id>/referent")
@staff_required(StaffRole.MANAGER)
def hand_over(dossier_id: int) -> Response:
    dossier = dossier_or_404(dossier_id)
    form = _handover_form(dossier)
    advisors = {str(a.id): a for a in queries.active_advisors(db.session, dossier.operator_id)}
    chosen = advisors.get(form.advisor.data or "")
    valid = form.validate()
    if valid and chosen is None:
        form.advisor.errors = [_("Choisissez un conseiller de la liste.")]
    elif valid and chosen is not None:
        try:
            done = handover.hand_over(
                db.session,
                dossier,
                to=chosen,
                by=current_staff(),
                reason=form.reason.data or "",
                now=utcnow(),
            )
        except handover.HandoverError as error:
            db.session.rollback()
            form.advisor.errors = [_handover_message(error.code)]
        else:
            queue_referent_changed(db.session, dossier, done)
            name = chosen.full_name
            db.session.commit()
            flash(
                _("Dossier confié à %(name)s ; la personne est prévenue par e-mail.", name=name),
                "success",
            )
            return redirect(
                url_for("advisor.dossier", dossier_id=dossier_id, _anchor="referent"), code=303
            )
    g.contact_forms = {"handover": form}
    return render_dossier(dossier_id, status=422)


def _answer_form(*, fresh: bool = False) -> AnswerForm:
    return AnswerForm(formdata=None, prefix="answer") if fresh else AnswerForm(prefix="answer")


def _handover_form(dossier: Dossier, *, fresh: bool = False) -> HandoverForm:
    form = (
        HandoverForm(formdata=None, prefix="handover") if fresh else HandoverForm(prefix="handover")
    )
    form.advisor.choices = [SelectChoice("", _("Choisir un conseiller"))] + [
        SelectChoice(str(a.id), a.full_name)
        for a in queries.active_advisors(db.session, dossier.operator_id)
        if a.id != dossier.advisor_id
    ]
    return form


def _message_error(code: messages.MessageErrorCode) -> str:
    if code == messages.MessageErrorCode.TOO_LONG:
        return str(_("4 000 caractères au plus : raccourcissez votre message."))
    return str(_("Écrivez votre réponse."))


def _handover_message(code: handover.HandoverErrorCode) -> str:
    if code == handover.HandoverErrorCode.SAME_ADVISOR:
        return str(_("Ce conseiller suit déjà ce dossier : choisissez-en un autre."))
    if code == handover.HandoverErrorCode.REASON_TOO_LONG:
        return str(_("500 caractères au plus."))
    return str(_("Choisissez un conseiller de la liste."))

"""/pro/mediateur: the workspace of the mediator of France compétences (CCTP 3.7). The
referral queue of every lot, a referral received by letter or France compétences' form, the
whole case of a referral, the admissibility decision (the operator's correspondants médiation
informed by e-mail when admissible, the person told either way) and the outcome.

Every view is for the mediator only (`mediator_policies`); views own the transaction and say
each refusal of the core in words, with what was typed kept (422).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from portal.advisor.reference import reference_tables
from portal.auth.policies import current_staff, staff_required
from portal.clock import PARIS, now, today_in_france
from portal.extensions import db
from portal.mediation import referrals as core
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.mediator_emails import queue_decision, queue_operator_informed
from portal.mediation.mediator_forms import DecisionForm, OutcomeForm, RecordReferralForm
from portal.mediation.mediator_policies import MEDIATOR, referral_or_404
from portal.mediation.mediator_queue import QueueState, queue_page
from portal.mediation.mediator_text import (
    ADMISSIBLE_LABELS,
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    refusal,
)
from portal.mediation.models import Complaint, Outcome, Referral, ReferralChannel
from portal.mediation.rules import acknowledge_by, answer_by
from portal.mediation.staff_forms import CHANNEL_LABELS as COMPLAINT_CHANNEL_LABELS
from portal.network.models import Operator
from portal.routing import bounded_id

bp = Blueprint("mediator", __name__, url_prefix="/pro/mediateur")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


LABELS = {
    "channel_labels": CHANNEL_LABELS,
    "admissible_labels": ADMISSIBLE_LABELS,
    "outcome_labels": OUTCOME_LABELS,
}


@bp.get("/saisines")
@staff_required(MEDIATOR)
def queue() -> tuple[str, int] | str:
    # The queue opens on the referrals in progress (decisions to take first); closed ones are
    # one click away. A hand-typed filter or page shows the open ones, with a word on why.
    raw, notice = request.args.get("etat", QueueState.OPEN.value), None
    try:
        state = QueueState(raw)
    except ValueError:
        state, notice = QueueState.OPEN, _("Ce filtre n'existe pas : voici les saisines en cours.")
    number = request.args.get("page", "1")
    if not number.isdigit() or not 0 < int(number) < 10_000:
        number, notice = "1", notice or _("Cette page n'existe pas : voici la première.")
    page = queue_page(db.session, today=today_in_france(), state=state, number=int(number))
    return render_template(
        "mediation/mediator/queue.html",
        rows=page.rows,
        page=page,
        state=state,
        states=QueueState,
        notice=notice,
        **LABELS,
    )


@bp.route("/saisines/nouvelle", methods=["GET", "POST"])
@staff_required(MEDIATOR)
def record() -> Response | str | tuple[str, int]:
    form = RecordReferralForm()
    operators = db.session.scalars(select(Operator).order_by(Operator.lot_number)).all()
    form.operator.choices = [("", _("Choisissez…"))] + [
        (str(op.id), _("Lot %(lot)s — %(name)s", lot=op.lot_number, name=op.name))
        for op in operators
    ]
    if not form.is_submitted():
        return render_template("mediation/mediator/record.html", form=form, error=None)
    valid = form.validate()
    complaint = None if form.complaint_number.errors else _complaint(form)
    if not valid or form.complaint_number.errors:
        return render_template("mediation/mediator/record.html", form=form, error=None), 422
    try:
        referral = _record(form, complaint)
    except ComplaintError as error:
        db.session.rollback()
        fields = {"referred_at": "referred_on", "operator": "complaint_number"}
        names = error.fields or (("complaint_number",) if error.code in _ON_NUMBER else ())
        for name in names:
            field = getattr(form, fields.get(name, name), None)
            if field is not None:
                field.errors = [*field.errors, refusal(error)]
        page = render_template("mediation/mediator/record.html", form=form, error=refusal(error))
        return page, 422
    db.session.commit()
    flash(_("Saisine enregistrée : décidez de sa recevabilité."), "success")
    return redirect(url_for("mediator.referral", referral_id=referral.id), code=303)


_ON_NUMBER = {ComplaintErrorCode.ALREADY_REFERRED, ComplaintErrorCode.WRONG_OPERATOR}


def _complaint(form: RecordReferralForm) -> Complaint | None:
    """The complaint the number names; a field error when it names none."""
    if not form.complaint_number.data:
        return None
    complaint = db.session.get(Complaint, bounded_id(form.complaint_number.data) or 0)
    if complaint is None:
        form.complaint_number.errors = [
            _("Aucune réclamation ne porte ce numéro : vérifiez-le, ou laissez le champ vide.")
        ]
    return complaint


def _record(form: RecordReferralForm, complaint: Complaint | None) -> Referral:
    moment = now()
    day = form.referred_on.data
    # The day it came; today's is now (noon of a past day: the same day in France).
    referred_at = moment if day == today_in_france() else datetime.combine(day, time(12), PARIS)
    operator_id = bounded_id(form.operator.data)
    if operator_id is None:
        raise ComplaintError(ComplaintErrorCode.MISSING_FIELDS, fields=("operator",))
    return core.record_referral(
        db.session,
        by=current_staff(),
        channel=ReferralChannel(form.channel.data),
        operator_id=operator_id,
        last_name=form.last_name.data or "",
        first_name=form.first_name.data or "",
        email=form.email.data,
        text=form.text.data,
        referred_at=referred_at,
        now=moment,
        complaint=complaint,
    )


@bp.get("/saisines/<id:referral_id>")
@staff_required(MEDIATOR)
def referral(referral_id: int) -> str:
    return _page(referral_or_404(referral_id))


def _page(
    referral: Referral,
    *,
    error: str | None = None,
    decision_form: DecisionForm | None = None,
    outcome_form: OutcomeForm | None = None,
) -> str:
    complaint = referral.complaint
    return render_template(
        "mediation/mediator/referral.html",
        referral=referral,
        complaint=complaint,
        acknowledge_by=complaint and acknowledge_by(complaint.received_on),
        answer_by=complaint and answer_by(complaint.received_on),
        tables=reference_tables(db.session, str(get_locale())),
        complaint_channel_labels=COMPLAINT_CHANNEL_LABELS,
        decision_form=decision_form or DecisionForm(formdata=None),
        outcome_form=outcome_form or OutcomeForm(formdata=None),
        error=error,
        **LABELS,
    )


def _refused(referral_id: int, error: ComplaintError, **forms: Any) -> tuple[str, int]:
    db.session.rollback()
    return _page(referral_or_404(referral_id), error=refusal(error), **forms), 422


def _back(referral: Referral, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("mediator.referral", referral_id=referral.id), code=303)


@bp.post("/saisines/<id:referral_id>/recevabilite")
@staff_required(MEDIATOR)
def decide(referral_id: int) -> Response | tuple[str, int]:
    referral = referral_or_404(referral_id)
    form = DecisionForm()
    if not form.validate():
        return _page(referral, decision_form=form), 422
    admissible, moment, by = form.admissible.data == "1", now(), current_staff()
    try:
        core.decide_admissibility(
            db.session, referral, by=by, admissible=admissible, reason=form.reason.data, now=moment
        )
        informed = []
        if admissible:
            # CCTP 3.7: an admissible referral, the operator informed at once.
            core.inform_operator(db.session, referral, by=by, now=moment)
            informed = queue_operator_informed(db.session, referral)
        told = queue_decision(db.session, referral)
    except ComplaintError as error:
        return _refused(referral_id, error, decision_form=form)
    db.session.commit()
    return _back(referral, _decided(admissible, len(informed), told is not None))


def _decided(admissible: bool, informed: int, told: bool) -> str:
    said = [
        _("Saisine déclarée recevable.")
        if admissible
        else _("Saisine déclarée non recevable et close.")
    ]
    if admissible:
        said.append(
            _("L'opérateur est informé par e-mail.")
            if informed
            else _(
                "L'opérateur n'a pas de correspondant médiation actif : prévenez-le par courrier."
            )
        )
    said.append(
        _("La personne est prévenue par e-mail.")
        if told
        else _("La personne n'a pas d'e-mail : prévenez-la par courrier.")
    )
    return " ".join(said)


@bp.post("/saisines/<id:referral_id>/issue")
@staff_required(MEDIATOR)
def outcome(referral_id: int) -> Response | tuple[str, int]:
    referral = referral_or_404(referral_id)
    form = OutcomeForm()
    if not form.validate():
        return _page(referral, outcome_form=form), 422
    chosen = Outcome(form.outcome.data)
    accepted = None if chosen == Outcome.NONE else form.accepted.data == "1"
    try:
        core.record_outcome(
            db.session, referral, by=current_staff(), outcome=chosen, accepted=accepted, now=now()
        )
    except ComplaintError as error:
        return _refused(referral_id, error, outcome_form=form)
    db.session.commit()
    return _back(referral, _("Issue enregistrée : la saisine est close."))


__all__ = ["bp", "init_app"]

"""The person's side of a complaint (CCTP 3.7): the form at `/reclamation`, reachable from
every page's footer and from the space (pre-filled there, tied to the dossier), and the
complaint's page in the space: its clocks, its thread, the answer, the person's word on it,
and the one click to the mediator once `referral_admissibility` allows it.

A complaint filed online is acknowledged at once by e-mail. Its page belongs to the address
it was filed with (`mediation.person`): anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as cookie
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.advisor.models import Dossier
from portal.advisor.reference import items
from portal.beneficiary import services as space
from portal.beneficiary.space_session import signed_in_email
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import long_date
from portal.locator.resolve import resolve_field
from portal.mediation import (
    attachments,
    complaints,
    dialogue_emails,
    person,
    person_emails,
    referrals,
)
from portal.mediation import person_texts as texts
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import MOTIVE_LIST, Complaint
from portal.mediation.person_forms import OTHER_OPERATOR, ComplaintForm, MessageForm, ReferralForm
from portal.mediation.person_uploads import max_bytes, size_text, uploads_of
from portal.mediation.rules import acknowledge_by, answer_by
from portal.network.models import Operator

bp = Blueprint("mediation", __name__)

FILED_KEY = "complaint_filed"  # the cookie remembers which complaint the thank-you page shows


@bp.route("/reclamation", methods=["GET", "POST"])
def file() -> Response | str | tuple[str, int]:
    email = signed_in_email()
    dossiers = _dossiers(email)
    form = ComplaintForm() if request.method == "POST" else _prefilled(email)
    _set_choices(form, dossiers)
    if request.method == "GET":
        return _form_page(form, dossiers)
    valid = form.validate()
    dossier, operator_id = _operator(form, dossiers)
    uploads = uploads_of(form)
    if not valid or operator_id is None or uploads is None:
        chosen = any(f.filename for f in request.files.getlist("attachments"))
        if chosen and not form.attachments.errors:
            form.attachments.errors = [str(texts.CHOOSE_AGAIN)]
        return _form_page(form, dossiers), 422
    complainant = complaints.Complainant(
        last_name=form.last_name.data or "",
        first_name=form.first_name.data or "",
        email=space.normalise_email(form.email.data or ""),
        phone=form.phone.data,
    )
    now = utcnow()
    try:
        complaint = complaints.file_complaint(
            db.session,
            operator_id=operator_id,
            complainant=complainant,
            motive=form.motive.data or "",
            text=form.text.data or "",
            now=now,
            dossier=dossier,
        )
    except ComplaintError as error:  # white space only, or a dossier not theirs
        db.session.rollback()
        for name in error.fields:
            getattr(form, name).errors = [str(texts.FIELD_ERRORS.get(name, texts.ACTION_ERROR))]
        return _form_page(form, dossiers), 422
    for name, data in uploads:
        attachments.add_attachment(
            db.session, complaint, filename=name, data=data, now=now, max_bytes=max_bytes()
        )
    person_emails.queue_acknowledgement(db.session, complaint, str(get_locale()))
    db.session.commit()
    cookie[FILED_KEY] = complaint.id
    return redirect(url_for("mediation.filed"), code=303)


@bp.get("/reclamation/envoyee")
def filed() -> str | Response:
    complaint_id = cookie.get(FILED_KEY)
    complaint = db.session.get(Complaint, complaint_id) if isinstance(complaint_id, int) else None
    if complaint is None:
        return redirect(url_for("mediation.file"), code=303)
    return render_template(
        "mediation/filed.html", complaint=complaint, answer_by=answer_by(complaint.received_on)
    )


@bp.get("/mon-espace/reclamations/<id:complaint_id>")
def complaint_page(complaint_id: int) -> Response | str:
    if signed_in_email() is None:  # the e-mailed link, before signing in
        flash(_("Connectez-vous à votre espace pour suivre votre réclamation."), "info")
        return redirect(url_for("space.home"), code=303)
    return _complaint_page(_owned(complaint_id) or abort(404))


@bp.post("/mon-espace/reclamations/<id:complaint_id>/message")
def add_message(complaint_id: int) -> Response | str | tuple[str, int]:
    complaint = _owned(complaint_id) or abort(404)
    form = MessageForm()
    if not form.validate():
        return _complaint_page(complaint, message_form=form), 422
    try:
        complaints.add_message(db.session, complaint, text=form.text.data or "", now=utcnow())
        dialogue_emails.queue_person_message_to_operator(db.session, complaint)
    except ComplaintError:  # white space only
        db.session.rollback()
        form.text.errors = [str(texts.ACTION_ERRORS[ComplaintErrorCode.EMPTY_TEXT])]
        return _complaint_page(complaint, message_form=form), 422
    db.session.commit()
    flash(_("Votre message est envoyé à votre opérateur."), "success")
    return redirect(url_for("mediation.complaint_page", complaint_id=complaint.id), code=303)


@bp.post("/mon-espace/reclamations/<id:complaint_id>/satisfaction")
def satisfaction(complaint_id: int) -> Response:
    complaint = _owned(complaint_id) or abort(404)
    answer = request.form.get("satisfied", "")
    if answer not in {"yes", "no"}:
        flash(_("Choisissez si la réponse vous satisfait ou non."), "error")
    else:
        _act(
            lambda: complaints.state_satisfaction(
                db.session, complaint, satisfied=answer == "yes", now=utcnow()
            ),
            _("Votre avis sur la réponse est enregistré."),
        )
    return redirect(url_for("mediation.complaint_page", complaint_id=complaint.id), code=303)


@bp.post("/mon-espace/reclamations/<id:complaint_id>/mediateur")
def refer(complaint_id: int) -> Response | str | tuple[str, int]:
    complaint = _owned(complaint_id) or abort(404)
    form = ReferralForm()
    if not form.validate():
        return _complaint_page(complaint, referral_form=form), 422
    _act(
        lambda: dialogue_emails.queue_referral_to_operator(
            db.session,
            referrals.refer_to_mediator(
                db.session, complaint, text=form.text.data, now=utcnow(), today=today_in_france()
            ),
        ),
        _("Le médiateur de France compétences est saisi : il vous écrira."),
    )
    return redirect(url_for("mediation.complaint_page", complaint_id=complaint.id), code=303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# --- Helpers ----------------------------------------------------------------------------------


def _act(action: Any, done: str) -> None:
    try:
        action()
    except ComplaintError as error:
        db.session.rollback()
        flash(str(texts.ACTION_ERRORS.get(error.code, texts.ACTION_ERROR)), "error")
        return
    db.session.commit()
    flash(done, "success")


def _owned(complaint_id: int) -> Complaint | None:
    email = signed_in_email()
    if email is None:
        return None
    return person.owned_complaint(db.session, email=email, complaint_id=complaint_id)


def _dossiers(email: str | None) -> list[Dossier]:
    if email is None:
        return []
    return space.load_space(db.session, email=email, now=utcnow()).dossiers


def _prefilled(email: str | None) -> ComplaintForm:
    data: dict[str, Any] = {}
    if email is not None:
        found = space.load_space(db.session, email=email, now=utcnow()).beneficiaries
        who = found[0] if found else None
        data = {"email": email}
        if who is not None:
            data |= {"last_name": who.last_name, "first_name": who.first_name, "phone": who.phone}
    return ComplaintForm(formdata=None, data=data)


def _set_choices(form: ComplaintForm, dossiers: list[Dossier]) -> None:
    locale = str(get_locale())
    form.motive.choices = [
        SelectChoice(item.code, item.label(locale)) for item in items(db.session, MOTIVE_LIST)
    ]
    if dossiers:
        form.dossier.choices = [
            *(SelectChoice(str(d.id), _dossier_label(d)) for d in dossiers),
            SelectChoice(OTHER_OPERATOR, _("Un autre opérateur : je donne ma commune")),
        ]
        if form.dossier.data is None:
            form.dossier.data = str(dossiers[0].id)


def _dossier_label(dossier: Dossier) -> str:
    return str(
        _(
            "%(operator)s — mon accompagnement commencé le %(date)s",
            operator=dossier.operator.name,
            date=long_date(dossier.opened_on),
        )
    )


def _operator(form: ComplaintForm, dossiers: list[Dossier]) -> tuple[Dossier | None, int | None]:
    """The dossier chosen (its operator), or the operator of the commune typed."""
    chosen = next((d for d in dossiers if str(d.id) == form.dossier.data), None)
    if chosen is not None:
        return chosen, chosen.operator_id
    if dossiers and form.dossier.data != OTHER_OPERATOR:
        form.dossier.errors = [_("Choisissez l'opérateur de votre réclamation.")]
        return None, None
    place = resolve_field(form.home, form.home_choice).place
    if place is None:
        return None, None
    operator: Operator | None = person.operator_for(db.session, place)
    if operator is None:
        form.home.errors = [str(texts.NO_OPERATOR)]
        return None, None
    return None, operator.id


def _form_page(form: ComplaintForm, dossiers: list[Dossier]) -> str:
    return render_template(
        "mediation/file.html",
        form=form,
        dossiers=dossiers,
        max_size=size_text(max_bytes()),
        max_files=attachments.ATTACHMENTS_PER_COMPLAINT,
    )


def _complaint_page(
    complaint: Complaint,
    message_form: MessageForm | None = None,
    referral_form: ReferralForm | None = None,
) -> str:
    today = today_in_france()
    return render_template(
        "mediation/complaint.html",
        complaint=complaint,
        motive=next(
            (
                i.label(str(get_locale()))
                for i in items(db.session, MOTIVE_LIST, with_inactive=True)
                if i.code == complaint.motive
            ),
            complaint.motive,
        ),
        status=texts.STATUS_LABELS[complaint.status],
        acknowledge_by=acknowledge_by(complaint.received_on),
        answer_by=answer_by(complaint.received_on),
        verdict=referrals.admissibility(complaint, today),
        referral=referrals.open_referral(db.session, complaint),
        message_form=message_form or MessageForm(formdata=None),
        referral_form=referral_form or ReferralForm(formdata=None),
    )

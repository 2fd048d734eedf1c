"""The beneficiary space (`/mon-espace`): no password, a single-use link sent by e-mail.

The page asking for the link always answers the same, so that it never tells who is a
beneficiary. Once signed in, the space shows what every record made with that address
holds: appointments, dossiers and units, signed livrables, surveys to answer, and the form
to close a UO2.2 in writing. A document of someone else answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from portal.advisor import reference_data as ref
from portal.advisor.errors import UnitError
from portal.advisor.reference import items
from portal.advisor.views.texts import KIND_TITLES
from portal.auth.models import SessionKind
from portal.auth.sessions import open_session, revoke_beneficiary_sessions
from portal.beneficiary import copy_views, emails, referent_views, services
from portal.beneficiary.forms import ClosureRequestForm, LinkRequestForm
from portal.beneficiary.space_session import (
    SPACE_SESSION_KEY,
    check_space_session,
    sign_out_here,
    signed_in_email,
    space_policy,
)
from portal.booking.forms import MODALITY_LABELS
from portal.booking.tokens import manage_token
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.livrables.emails import TITLES, copy_pdf, pdf_filename, scan_filename
from portal.livrables.views.signing import file_response
from portal.mediation.person import complaints_of
from portal.satisfaction.services import survey_token
from portal.urls import public_url

bp = Blueprint("space", __name__)


@bp.get("/mon-espace")
def home() -> str:
    email = signed_in_email()
    if email is None:
        return render_template("space/sign_in.html", form=LinkRequestForm(formdata=None))
    return _space_page(email)


@bp.post("/mon-espace/lien")
def request_link() -> Response | tuple[str, int]:
    form = LinkRequestForm()
    if not form.validate():
        return render_template("space/sign_in.html", form=form), 422
    config = current_app.config
    email = services.normalise_email(form.email.data or "")
    minutes = config["BENEFICIARY_LINK_MINUTES"]
    locale = str(get_locale())

    def send(token: str) -> None:
        link = public_url("space.sign_in", locale, token=token)
        emails.queue_sign_in_link(db.session, email=email, link=link, minutes=minutes)

    # The same work for a known and an unknown address (`request_sign_in_link`).
    services.request_sign_in_link(
        db.session,
        email=email,
        now=utcnow(),
        minutes=minutes,
        max_per_hour=config["BENEFICIARY_LINKS_PER_HOUR"],
        send=send,
    )
    db.session.commit()
    return redirect(url_for("space.link_sent"), code=303)


@bp.get("/mon-espace/lien-envoye")
def link_sent() -> str:
    minutes = current_app.config["BENEFICIARY_LINK_MINUTES"]
    return render_template("space/link_sent.html", minutes=minutes)


def _invalid_link() -> tuple[str, int]:
    db.session.rollback()
    return render_template("space/invalid_link.html", form=LinkRequestForm(formdata=None)), 404


@bp.get("/mon-espace/connexion/<token>")
def sign_in(token: str) -> Response | str | tuple[str, int]:
    """The e-mailed link opens a page with a button; only the button (a POST) uses the link
    up, so a mail scanner that opens every link spends nothing."""
    if not services.sign_in_link_is_usable(db.session, token=token, now=utcnow()):
        return _invalid_link()
    response = make_response(render_template("space/confirm_sign_in.html", token=token))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/mon-espace/connexion")
def confirm_sign_in() -> Response | tuple[str, int]:
    token = request.form.get("token", "")[:200]
    now = utcnow()
    try:
        email = services.use_sign_in_link(db.session, token=token, now=now)
    except services.SpaceError:
        return _invalid_link()
    # A new session for a new person: nothing of the previous visit is kept but the language.
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session[SPACE_SESSION_KEY] = open_session(
        db.session, kind=SessionKind.BENEFICIARY, email=email, now=now, policy=space_policy()
    )
    session.permanent = True
    db.session.commit()
    return redirect(url_for("space.home"), code=303)


@bp.post("/mon-espace/deconnexion")
def sign_out() -> Response:
    sign_out_here()
    flash(_("Vous êtes déconnecté de votre espace."), "success")
    return redirect(url_for("space.home"), code=303)


@bp.post("/mon-espace/deconnexion-partout")
def sign_out_everywhere() -> Response:
    """Every open space of this address ends: this browser and any other (a shared computer)."""
    email = signed_in_email()
    if email is not None:
        revoke_beneficiary_sessions(db.session, email=email, now=utcnow())
        db.session.commit()
    sign_out_here()
    flash(_("Vous êtes déconnecté de votre espace sur tous vos appareils."), "success")
    return redirect(url_for("space.home"), code=303)


@bp.get("/mon-espace/documents/<id:version_id>.pdf")
def document(version_id: int) -> Response:
    livrable, version = _owned_version(version_id)
    pdf = copy_pdf(db.session, version)  # the sealed copy once signed
    return file_response(pdf, "application/pdf", pdf_filename(livrable, version), True)


@bp.get("/mon-espace/documents/<id:version_id>/copie-signee")
def signed_copy(version_id: int) -> Response:
    livrable, version = _owned_version(version_id)
    scan = version.scan or abort(404)
    return file_response(scan.data, scan.content_type, scan_filename(livrable, version), False)


@bp.post("/mon-espace/unites/<id:unit_id>/cloture")
def request_closure(unit_id: int) -> Response | str | tuple[str, int]:
    email = signed_in_email()
    if email is None:
        return redirect(url_for("space.home"), code=303)
    unit = services.owned_open_uo22(db.session, email=email, unit_id=unit_id) or abort(404)
    form = _closure_form(unit.id)
    if not form.validate():
        return _space_page(email, forms={unit.id: form}), 422
    try:
        services.request_closure(
            db.session,
            unit,
            email=email,
            text=form.text.data or "",
            reason=form.reason.data or "",
            today=today_in_france(),
        )
    except UnitError:
        db.session.rollback()
        form.reason.errors = [
            _("Cette demande ne peut pas être enregistrée : appelez votre conseiller.")
        ]
        return _space_page(email, forms={unit.id: form}), 422
    emails.queue_closure_confirmed(db.session, unit, (form.text.data or "").strip())
    db.session.commit()
    flash(
        _(
            "Votre demande est enregistrée : votre accompagnement est clôturé. Un e-mail vous "
            "le confirme."
        ),
        "success",
    )
    return redirect(url_for("space.home"), code=303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    copy_views.init_app(app)
    referent_views.init_app(app)
    app.before_request(check_space_session)


# --- Helpers ----------------------------------------------------------------------------------


def _owned_version(version_id: int) -> Any:
    email = signed_in_email()
    if email is None:
        abort(404)
    found = services.owned_signed_version(db.session, email=email, version_id=version_id)
    return found or abort(404)


def _closure_form(unit_id: int, *, fresh: bool = False) -> ClosureRequestForm:
    prefix = f"cloture-{unit_id}"
    form = (
        ClosureRequestForm(formdata=None, prefix=prefix)
        if fresh
        else ClosureRequestForm(prefix=prefix)
    )
    locale = str(get_locale())
    form.reason.choices = [
        SelectChoice(item.code, item.label(locale))
        for item in items(db.session, ref.MOTIF_CLOTURE)
        if item.code != ref.ABANDON
    ]
    return form


def _space_page(email: str, forms: dict[int, ClosureRequestForm] | None = None) -> str:
    space = services.load_space(db.session, email=email, now=utcnow())
    given = forms or {}
    secret = current_app.config["SECRET_KEY"]
    manage_links = {
        a.id: url_for("booking.manage", token=manage_token(secret, a.request_id))
        for a in space.upcoming
        if a.request_id is not None
    }
    survey_links = {
        s.id: url_for("satisfaction.survey", token=survey_token(secret, s.id))
        for s in space.surveys
    }
    return render_template(
        "space/space.html",
        email=email,
        space=space,
        manage_links=manage_links,
        survey_links=survey_links,
        closure_forms={
            u.id: given.get(u.id) or _closure_form(u.id, fresh=True) for u in space.closable
        },
        modality_labels=MODALITY_LABELS,
        kind_titles=KIND_TITLES,
        livrable_titles=TITLES,
        copies=copy_views.copy_requests([v for _livrable, v in space.signed + space.waiting]),
        complaints=complaints_of(db.session, email=email),
    )

"""The advisor's side of online signing, under the livrable's « Signature » panel: choose
the method, sign with their password, ask the beneficiary to sign (link by e-mail, or the
in-session page with its QR code), take a request back.

Plain POST forms that come back to the editor (303); a refusal shows the panel on its own
page with the reason and what was typed (422). Advisors of the dossier act; anyone else 404.
"""

from __future__ import annotations

import segno
from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from portal.advisor.models import Unit
from portal.auth.policies import current_staff, staff_required
from portal.auth.services import AuthError, TooManyAttempts, authenticate
from portal.auth.views import throttle
from portal.clock import now, today_in_france
from portal.esign import notices, online
from portal.esign.codes import masked_email
from portal.esign.forms import AdvisorSignForm, MethodForm, RequestForm
from portal.esign.models import SigningPlace
from portal.esign.online import OnlineSigningError
from portal.esign.panel import online_panel
from portal.esign.signing_texts import message
from portal.esign.web import request_origin
from portal.extensions import db
from portal.livrables.models import Livrable, LivrableStatus, LivrableVersion, SignatureMethod
from portal.livrables.signing import SigningError, SigningErrorCode
from portal.livrables.views.signing import livrable_of_unit, refused
from portal.livrables.views.signing_forms import reason_choices
from portal.livrables.views.signing_text import MESSAGES as SIGNING_MESSAGES
from portal.network.models import StaffRole

bp = Blueprint("esign_staff", __name__, url_prefix="/pro")


@bp.post("/unites/<id:unit_id>/livrable/methode")
@staff_required(StaffRole.ADVISOR)
def choose_method(unit_id: int) -> Response | tuple[Response, int]:
    unit, livrable, version = _frozen(unit_id)
    form = MethodForm(prefix="online")
    if not form.validate():
        return refused(unit, livrable, None, online=online_panel(version, method_form=form))
    try:
        online.choose_method(
            db.session,
            version,
            SignatureMethod(form.method.data),
            by=current_staff(),
            now=now(),
            origin=request_origin(),
        )
    except OnlineSigningError as error:
        db.session.rollback()
        return refused(unit, livrable, message(error.code))
    db.session.commit()
    flash(_("La méthode de signature est enregistrée."), "success")
    return _back(unit_id)


@bp.post("/unites/<id:unit_id>/livrable/signature-en-ligne")
@staff_required(StaffRole.ADVISOR)
def sign_advisor(unit_id: int) -> Response | tuple[Response, int]:
    unit, livrable, version = _frozen(unit_id)
    form = AdvisorSignForm(prefix="advisor_online")
    staff = current_staff()
    if form.validate():
        try:
            authenticate(
                db.session,
                email=staff.email,
                password=form.password.data or "",
                address=request_origin().ip or "",
                now=now(),
                throttle=throttle(),
            )
        except TooManyAttempts:
            form.password.errors = [_("Trop d'essais : réessayez dans quelques minutes.")]
        except AuthError:
            form.password.errors = [_("Ce mot de passe n'est pas le vôtre.")]
        db.session.commit()  # the attempt counts, right or wrong
    if form.errors:
        panel = online_panel(version, advisor_sign_form=form)
        return refused(unit, livrable, None, online=panel)
    try:
        online.sign_as_advisor(
            db.session, version, by=staff, today=today_in_france(), origin=request_origin()
        )
    except OnlineSigningError as error:
        db.session.rollback()
        return refused(unit, livrable, message(error.code))
    except SigningError as error:
        db.session.rollback()
        return refused(unit, livrable, SIGNING_MESSAGES[error.code])
    db.session.commit()
    flash(
        _("Votre signature est enregistrée. Demandez maintenant celle du bénéficiaire."), "success"
    )
    return _back(unit_id)


@bp.post("/unites/<id:unit_id>/livrable/demande-signature")
@staff_required(StaffRole.ADVISOR)
def request_signature(unit_id: int) -> Response | tuple[Response, int]:
    unit, livrable, version = _frozen(unit_id)
    form = RequestForm(prefix="request")
    reason_choices(form)
    if not form.validate():
        return refused(unit, livrable, None, online=online_panel(version, request_form=form))
    place = SigningPlace(form.place.data)
    try:
        request = online.request_signature(
            db.session,
            version,
            by=current_staff(),
            place=place,
            reason=form.motif_cloture.data or "",
            now=now(),
            origin=request_origin(),
        )
    except OnlineSigningError as error:
        db.session.rollback()
        return refused(unit, livrable, message(error.code))
    except SigningError as error:
        db.session.rollback()
        form.motif_cloture.errors = [str(SIGNING_MESSAGES[error.code])]
        return refused(unit, livrable, None, online=online_panel(version, request_form=form))
    if place == SigningPlace.IN_SESSION:
        db.session.commit()
        return redirect(url_for("esign_staff.in_session", unit_id=unit_id), code=303)
    sent = notices.queue_link(db.session, request)
    online.link_sent(db.session, request, outbox_id=sent.id, now=now())
    db.session.commit()
    flash(
        _("Le lien de signature est envoyé à %(to)s.", to=masked_email(request.beneficiary.email)),
        "success",
    )
    return _back(unit_id)


@bp.post("/unites/<id:unit_id>/livrable/demande-signature/retirer")
@staff_required(StaffRole.ADVISOR)
def withdraw(unit_id: int) -> Response | tuple[Response, int]:
    version = _frozen(unit_id)[2]
    withdrawn = online.withdraw_pending(
        db.session, version, why="advisor", now=now(), by=current_staff(), origin=request_origin()
    )
    for request in withdrawn:
        notices.queue_withdrawn(db.session, request, "advisor")
    db.session.commit()
    if withdrawn:
        flash(_("La demande est retirée : le lien ne fonctionne plus."), "success")
    return _back(unit_id)


@bp.get("/unites/<id:unit_id>/livrable/signature-sur-place")
@staff_required(StaffRole.ADVISOR)
def in_session(unit_id: int) -> str:
    unit, livrable = livrable_of_unit(unit_id)
    version = livrable.current_version or (livrable.versions[-1] if livrable.versions else None)
    panel = online_panel(version)
    request = panel.latest
    link = notices.signing_link(request) if request is not None and request.is_pending else None
    qr = None
    if link:
        title = _("Code QR du lien de signature")
        svg = segno.make(link, error="m").svg_inline(scale=5, title=title)
        labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
        qr = Markup(labelled)  # noqa: S704 (segno's own SVG; the label is escaped)
    return render_template(
        "esign/in_session.html",
        unit=unit,
        livrable=livrable,
        version=version,
        signature_request=request,
        link=link,
        qr=qr,
        person=unit.dossier.beneficiary,
    )


class NotFrozen(Exception):
    """The livrable is not (or no longer) printed for signature: a stale tab."""

    def __init__(self, unit: Unit, livrable: Livrable) -> None:
        super().__init__(unit.id)
        self.unit, self.livrable = unit, livrable


def _frozen(unit_id: int) -> tuple[Unit, Livrable, LivrableVersion]:
    unit, livrable = livrable_of_unit(unit_id)
    version = livrable.current_version
    if version is None or livrable.status != LivrableStatus.FROZEN:
        raise NotFrozen(unit, livrable)
    return unit, livrable, version


@bp.errorhandler(NotFrozen)
def not_frozen(error: NotFrozen) -> tuple[Response, int]:
    return refused(error.unit, error.livrable, SIGNING_MESSAGES[SigningErrorCode.NOT_FROZEN])


def _back(unit_id: int) -> Response:
    return redirect(url_for("livrables.editor", unit_id=unit_id, _anchor="signature"), code=303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["online_panel"] = online_panel


__all__ = ["bp", "init_app"]

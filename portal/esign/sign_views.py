"""The beneficiary's signing page, `/signer/<token>`: public, reached by the link of the
e-mail or the QR code shown during the session. No account: the link and the code sent to the
person's phone identify them. Plain forms; works without JavaScript.

GET first shows a « Continuer » button only (no state change, `no-store`); its POST records
the opening and shows the document (readable text and its PDF) and, while the request is
pending, the two steps: receive a code, then sign. Later GETs show that page directly.
A refusal comes back with what was typed (not the code), its reason, and status 422.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.clock import PARIS, now, today_in_france
from portal.esign import notices, online
from portal.esign.codes import CODE_MINUTES, request_token
from portal.esign.forms import BeneficiarySignForm
from portal.esign.models import RequestStatus, SignatureRequest
from portal.esign.online import OnlineErrorCode as Code
from portal.esign.online import OnlineSigningError
from portal.esign.signing_texts import CHANNELS, HEADLINES, message
from portal.esign.views import bp
from portal.esign.web import request_origin
from portal.extensions import db
from portal.i18n import format_time_short, long_date
from portal.livrables.emails import TITLES, pdf_filename
from portal.livrables.models import LivrableVersion
from portal.livrables.views.context import content_context
from portal.livrables.views.signing import file_response

PAGE = "esign/sign.html"
CONTINUE_PAGE = "esign/sign_continue.html"
# Refusals shown next to a field of the form rather than above it.
FIELD_OF = {Code.MENTION: "mention", Code.NAME: "name", Code.CONSENT: "consent"}


@bp.get("/signer/<token>")
def sign_page(token: str) -> Response | str | tuple[str, int]:
    """Until the person has pressed « Continuer », the link only shows that button: a mail
    scanner or a preview that opens every link records nothing and changes nothing."""
    request = _request(token)
    if request.is_pending and not online.was_opened(db.session, request):
        response = make_response(render_template(CONTINUE_PAGE, request_token=token))
        response.headers["Cache-Control"] = "no-store"
        return response
    return _page(token, request, BeneficiarySignForm(formdata=None), error=None)


@bp.post("/signer/<token>/ouvrir")
def open_page(token: str) -> str | tuple[str, int]:
    """« Continuer »: the opening is recorded (evidence), then the document is shown."""
    request = _request(token)
    error = None
    if request.is_pending:
        try:
            online.open_request(db.session, request, now=now(), origin=request_origin())
        except OnlineSigningError as refused:
            error = message(refused.code)
        db.session.commit()
    return _page(token, request, BeneficiarySignForm(formdata=None), error=error)


@bp.get("/signer/<token>/document.pdf")
def sign_pdf(token: str) -> Response:
    request = _request(token)
    version = request.version
    return file_response(
        version.pdf, "application/pdf", pdf_filename(version.livrable, version), True
    )


@bp.post("/signer/<token>/code")
def send_code(token: str) -> Response | str | tuple[str, int]:
    request = _request(token)
    secret_key = current_app.config["SECRET_KEY"]
    try:
        sent = online.send_code(
            db.session, request, secret_key=secret_key, now=now(), origin=request_origin()
        )
    except OnlineSigningError as refused:
        _settle(refused)
        at = refused.retry_at
        retry = format_time_short(at.astimezone(PARIS).time()) if at else ""
        return _page(
            token, request, BeneficiarySignForm(formdata=None), message(refused.code, time=retry)
        )
    notices.queue_code(db.session, request, sent)
    db.session.commit()
    flash(
        _(
            "Code envoyé %(channel)s au %(to)s. Il vaut %(minutes)d minutes.",
            channel=CHANNELS[sent.channel],
            to=sent.masked,
            minutes=CODE_MINUTES,
        ),
        "success",
    )
    return redirect(url_for("esign.sign_page", token=token, _anchor="signer"), code=303)


@bp.post("/signer/<token>")
def sign(token: str) -> Response | str | tuple[str, int]:
    request = _request(token)
    form = BeneficiarySignForm()
    if not form.validate():
        return _page(token, request, form, None)
    try:
        online.sign_as_beneficiary(
            db.session,
            request,
            code=form.code.data or "",
            mention=form.mention.data or "",
            name=form.name.data or "",
            consent=bool(form.consent.data),
            secret_key=current_app.config["SECRET_KEY"],
            now=now(),
            today=today_in_france(),
            origin=request_origin(),
        )
    except OnlineSigningError as refused:
        _settle(refused)
        text = message(refused.code, left=refused.tries_left)
        field = FIELD_OF.get(refused.code)
        form.code.data = ""
        if field:
            form[field].errors = [text]
            return _page(token, request, form, None)
        form.code.errors = [text]
        return _page(token, request, form, text)
    db.session.commit()
    return redirect(url_for("esign.sign_page", token=token), code=303)


@bp.app_template_global("pending_signing_link")
def pending_signing_link(version: LivrableVersion) -> str | None:
    """The signing page of the version's pending online request, for the person's own space
    (which lists only their livrables): the same link as the e-mail, one click away."""
    request = online.pending_request(db.session, version)
    if request is None:
        return None
    token = request_token(current_app.config["SECRET_KEY"], request.id, request.nonce)
    return url_for("esign.sign_page", token=token)


def _request(token: str) -> SignatureRequest:
    request = online.find_request(db.session, current_app.config["SECRET_KEY"], token)
    if request is None:
        abort(404)
    return request


def _settle(refused: OnlineSigningError) -> None:
    """Keep what the refusal recorded (a failed code, an expiry); drop the rest."""
    if refused.keep:
        db.session.commit()
    else:
        db.session.rollback()


def _page(
    token: str, request: SignatureRequest, form: BeneficiarySignForm, error: str | None
) -> str | tuple[str, int]:
    db.session.refresh(request)
    version = request.version
    livrable = version.livrable
    unit = livrable.unit
    context: dict[str, Any] = {
        "signature_request": request,
        "request_token": token,
        "version": version,
        "unit": unit,
        "person": request.beneficiary,
        "title": TITLES[livrable.kind],
        "form": form,
        "error": error,
        "code_sent": request.code_hmac is not None,
        "code_minutes": CODE_MINUTES,
        "code_channel": CHANNELS.get(request.code_channel or "", ""),
        "deadline": long_date(unit.deadline),
        "ended": HEADLINES.get(str(request.status)),
        "Status": RequestStatus,
        "content": version.content,
        "kind": livrable.kind,
        **content_context(livrable.kind),
    }
    page = render_template(PAGE, **context)
    failed = error is not None or any(field.errors for field in form)
    return (page, 422) if failed else page


__all__ = ["open_page", "send_code", "sign", "sign_page", "sign_pdf"]

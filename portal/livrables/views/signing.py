"""Printing a livrable for signature, the paper signatures and the signed scan: the routes
of the « Signature » panel under the editor, and the downloads. Its forms and state are in
`signing_forms`, its French texts in `signing_text`.

Every form is a plain POST that comes back to the editor (303); a refusal shows the panel on
its own page with the French reason, what was typed, and status 422. Advisors of the
operator act; managers read and download; anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from portal.advisor.models import Unit
from portal.advisor.policies import can_work_on_dossier, unit_or_404
from portal.auth.policies import current_staff, staff_required
from portal.clock import today_in_france
from portal.db import utcnow
from portal.esign.web import request_origin
from portal.extensions import db
from portal.htmx import render
from portal.livrables import signing
from portal.livrables.emails import TITLES, pdf_filename, scan_filename
from portal.livrables.models import Livrable, LivrableVersion, SignatureParty
from portal.livrables.signing import SigningError
from portal.livrables.signing import SigningErrorCode as Code
from portal.livrables.views import bp
from portal.livrables.views.signing_forms import (
    BeneficiarySignatureForm,
    ScanForm,
    SignatureForm,
    field_error,
    reason_choices,
    signing_panel,
)
from portal.livrables.views.signing_text import MESSAGES, flash_recorded, missing_item
from portal.network.models import StaffRole

PAGE = "livrables/signing.html"
PANEL = "livrables/_partials/_signing.html"


@bp.post("/unites/<id:unit_id>/livrable/imprimer")
@staff_required(StaffRole.ADVISOR)
def freeze(unit_id: int) -> Response | tuple[Response, int]:
    unit, livrable = livrable_of_unit(unit_id)
    try:
        signing.freeze_for_signature(
            db.session,
            livrable,
            by=current_staff(),
            now=utcnow(),
            origin=request_origin(),
        )
    except SigningError as error:
        db.session.rollback()
        missing = [missing_item(unit, livrable, key) for key in error.missing]
        return refused(unit, livrable, MESSAGES[error.code], missing=missing)
    db.session.commit()
    flash(_("Le livrable est prêt à imprimer : téléchargez le PDF et faites-le signer."), "success")
    return _back(unit)


@bp.post("/unites/<id:unit_id>/livrable/reprendre")
@staff_required(StaffRole.ADVISOR)
def reopen(unit_id: int) -> Response | tuple[Response, int]:
    unit, livrable = livrable_of_unit(unit_id)
    try:
        signing.reopen_draft(
            db.session, livrable, by=current_staff(), now=utcnow(), origin=request_origin()
        )
    except SigningError as error:
        db.session.rollback()
        return refused(unit, livrable, MESSAGES[error.code])
    db.session.commit()
    flash(_("La rédaction est reprise : le document imprimé n'est plus valable."), "success")
    return _back(unit)


@bp.post("/unites/<id:unit_id>/livrable/signature-conseiller")
@staff_required(StaffRole.ADVISOR)
def sign_advisor(unit_id: int) -> Response | tuple[Response, int]:
    return _sign(unit_id, SignatureParty.ADVISOR)


@bp.post("/unites/<id:unit_id>/livrable/signature-beneficiaire")
@staff_required(StaffRole.ADVISOR)
def sign_beneficiary(unit_id: int) -> Response | tuple[Response, int]:
    return _sign(unit_id, SignatureParty.BENEFICIARY)


def _sign(unit_id: int, who: SignatureParty) -> Response | tuple[Response, int]:
    unit, livrable = livrable_of_unit(unit_id)
    beneficiary = who == SignatureParty.BENEFICIARY
    form: SignatureForm = (
        BeneficiarySignatureForm(prefix="beneficiary")
        if beneficiary
        else SignatureForm(prefix="advisor")
    )
    if isinstance(form, BeneficiarySignatureForm):
        reason_choices(form)
    forms = {"beneficiary_form" if beneficiary else "advisor_form": form}
    version = livrable.current_version
    if version is None:
        return refused(unit, livrable, MESSAGES[Code.NOT_FROZEN], **forms)
    if not form.validate():
        return refused(unit, livrable, None, **forms)
    try:
        signing.record_signature(
            db.session,
            version,
            party=who,
            signed_on=form.signed_on.data,
            signer_name=form.signer_name.data or "",
            by=current_staff(),
            today=today_in_france(),
            reason=form.motif_cloture.data if isinstance(form, BeneficiarySignatureForm) else None,
            origin=request_origin(),
        )
        completed = signing.complete_if_signed(
            db.session, livrable, by=current_staff(), today=today_in_france()
        )
    except SigningError as error:
        db.session.rollback()
        field_error(form, error.code)
        return refused(unit, livrable, MESSAGES[error.code], **forms)
    db.session.commit()
    flash_recorded(unit, completed, _("La signature est enregistrée."))
    return _back(unit)


@bp.post("/unites/<id:unit_id>/livrable/scan")
@staff_required(StaffRole.ADVISOR)
def upload_scan(unit_id: int) -> Response | tuple[Response, int]:
    unit, livrable = livrable_of_unit(unit_id)
    form = ScanForm(prefix="scan")
    version = livrable.current_version
    if version is None:
        return refused(unit, livrable, MESSAGES[Code.NOT_FROZEN], scan_form=form)
    if not form.validate():
        return refused(unit, livrable, None, scan_form=form)
    limit = int(current_app.config["SCAN_MAX_BYTES"])
    upload = form.scan.data
    try:
        signing.attach_scan(
            db.session,
            version,
            filename=upload.filename or "",
            data=upload.read(limit + 1),
            by=current_staff(),
            max_bytes=limit,
            origin=request_origin(),
        )
        completed = signing.complete_if_signed(
            db.session, livrable, by=current_staff(), today=today_in_france()
        )
    except SigningError as error:
        db.session.rollback()
        form.scan.errors = [str(MESSAGES[error.code])]
        return refused(unit, livrable, MESSAGES[error.code], scan_form=form)
    db.session.commit()
    flash_recorded(unit, completed, _("La copie signée est enregistrée."))
    return _back(unit)


@bp.get("/livrables/versions/<id:version_id>.pdf")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def version_pdf(version_id: int) -> Response:
    version = _version(version_id)
    return _file(version.pdf, "application/pdf", pdf_filename(version.livrable, version), True)


@bp.get("/livrables/versions/<id:version_id>/copie-signee")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def version_scan(version_id: int) -> Response:
    version = _version(version_id)
    scan = version.scan or abort(404)
    return _file(scan.data, scan.content_type, scan_filename(version.livrable, version), False)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    """A request over MAX_CONTENT_LENGTH is refused before the view reads it."""
    unit_id = (request.view_args or {}).get("unit_id")
    back = url_for("livrables.editor", unit_id=unit_id, _anchor="signature") if unit_id else None
    limit = int(current_app.config["SCAN_MAX_BYTES"]) // (1024 * 1024)
    return render_template("livrables/signing_too_large.html", back=back, limit=limit), 413


# --- Helpers ----------------------------------------------------------------------------------


def file_response(data: bytes, mimetype: str, filename: str, inline: bool) -> Response:
    """A personal document: never cached by a shared cache, never sniffed as another type."""
    response = make_response(data)
    response.mimetype = mimetype
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not inline:
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


_file = file_response


def livrable_of_unit(unit_id: int) -> tuple[Unit, Livrable]:
    unit = unit_or_404(unit_id, work=True)
    livrable = db.session.scalar(select(Livrable).where(Livrable.unit_id == unit.id))
    if livrable is None:
        abort(404)
    return unit, livrable


def _version(version_id: int) -> LivrableVersion:
    version = db.session.get(LivrableVersion, version_id)
    if version is None:
        abort(404)
    unit_or_404(version.livrable.unit_id, work=False)
    return version


def _back(unit: Unit) -> Response:
    return redirect(url_for("livrables.editor", unit_id=unit.id, _anchor="signature"), code=303)


def refused(
    unit: Unit, livrable: Livrable, message: Any, online: Any = None, **given: Any
) -> tuple[Response, int]:
    """The panel on its own page, with the reason, what was typed and status 422 (`online`:
    the online part of the panel, `portal.esign.panel.OnlinePanel`, with its forms)."""
    db.session.refresh(livrable)
    can_work = can_work_on_dossier(current_staff(), unit.dossier)
    panel = signing_panel(
        livrable, unit, can_work, error=str(message) if message else None, **given
    )
    page = render(
        PAGE,
        PANEL,
        panel=panel,
        livrable=livrable,
        unit=unit,
        can_work=can_work,
        kind_title=TITLES[livrable.kind],
        person=unit.dossier.beneficiary,
        online=online,
    )
    return page, 422

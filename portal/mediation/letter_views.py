"""Downloads of a complaint: the answer letter (PDF, with the mediator's contact, CCTP 3.7) for
the operator's staff who may read the complaint and for the person, and the person's own
attachments from their space.

The person's routes use the guard of their complaint page (`mediation.person.owned_complaint`:
the complaint belongs to the signed-in address); anyone else gets 404, as on the staff side
(`mediation.policies.complaint_or_404`). Every file is served as a download, never sniffed.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Blueprint, Flask, abort, flash, make_response, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.policies import staff_required
from portal.beneficiary.space_session import signed_in_email
from portal.extensions import db
from portal.mediation import person
from portal.mediation.letters import NotAnswered, answer_letter, letter_filename
from portal.mediation.models import Complaint, ComplaintAttachment
from portal.mediation.policies import complaint_or_404
from portal.mediation.staff_emails import letter_mediator
from portal.network.models import StaffRole

bp = Blueprint("mediation_letters", __name__)

OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.get("/pro/reclamations/<id:complaint_id>/reponse.pdf")
@staff_required(*OPERATOR_STAFF)
def staff_letter(complaint_id: int) -> Response:
    return _letter(complaint_or_404(complaint_id), "mediation_staff.complaint")


@bp.get("/mon-espace/reclamations/<id:complaint_id>/reponse.pdf")
def person_letter(complaint_id: int) -> Response:
    return _letter(_owned(complaint_id), "mediation.complaint_page")


@bp.get("/mon-espace/reclamations/<id:complaint_id>/pieces/<id:attachment_id>")
def person_attachment(complaint_id: int, attachment_id: int) -> Response:
    complaint = _owned(complaint_id)
    found = db.session.get(ComplaintAttachment, attachment_id)
    if found is None or found.complaint_id != complaint.id:
        abort(404)
    return download(found.data, found.content_type, found.filename)


def _owned(complaint_id: int) -> Complaint:
    email = signed_in_email()
    found = (
        person.owned_complaint(db.session, email=email, complaint_id=complaint_id)
        if email is not None
        else None
    )
    if found is None:
        abort(404)
    return found


def _letter(complaint: Complaint, page: str) -> Response:
    """The letter; before the answer, back to the complaint's page, which says so."""
    try:
        data = answer_letter(
            db.session, complaint, mediator=letter_mediator(complaint, locale="fr")
        )
    except NotAnswered:
        flash(_("La réclamation n'a pas encore de réponse, ni donc de lettre."), "info")
        return redirect(url_for(page, complaint_id=complaint.id), code=303)
    return download(data, "application/pdf", letter_filename(complaint))


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """A personal file as a download: an ASCII name for every browser and the exact one in
    RFC 6266's `filename*`; never cached by a shared cache, never sniffed, never run."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(c if c.isalnum() or c in " .()-_" else "_" for c in ascii_name)
    ascii_name = ascii_name.strip(" .") or "piece-jointe"
    response = make_response(data)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


__all__ = ["bp", "download", "init_app"]

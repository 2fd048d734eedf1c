"""A paper copy by post, asked for from the space (CCTP 2.1.2): for a livrable signed, or
printed and waiting for its signatures. The person gives their postal address; the request
is evidence (`esign.copies`), the advisor is told by e-mail and posts the copy. One request
at a time per version. Someone else's livrable answers 404.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.beneficiary import services
from portal.beneficiary.forms import PaperCopyForm
from portal.beneficiary.space_session import signed_in_email
from portal.clock import PARIS
from portal.db import utcnow
from portal.esign.copies import (
    CopyError,
    CopyErrorCode,
    PostalAddress,
    copy_requests_of,
    last_address,
    pending_request,
    request_paper_copy,
)
from portal.esign.emails import queue_copy_requested
from portal.esign.models import PaperCopyRequest
from portal.esign.web import request_origin
from portal.extensions import db
from portal.i18n import long_date
from portal.livrables.emails import TITLES
from portal.livrables.models import Livrable, LivrableVersion

bp = Blueprint("paper_copy", __name__)
PAGE = "space/paper_copy.html"
PATH = "/mon-espace/documents/<id:version_id>/copie-papier"


@bp.get(PATH)
def form(version_id: int) -> Response | str:
    email = signed_in_email()
    if email is None:
        return redirect(url_for("space.home"), code=303)
    livrable, version = _owned(email, version_id)
    address = last_address(db.session, livrable.unit.dossier.beneficiary_id)
    data = {}
    if address is not None:
        lines = [*address.lines, ""]
        data = {
            "street": lines[0],
            "complement": " ".join(lines[1:]).strip(),
            "postcode": address.postcode,
            "town": address.town,
        }
    return _page(livrable, version, PaperCopyForm(formdata=None, data=data))


@bp.post(PATH)
def ask(version_id: int) -> Response | tuple[str, int]:
    email = signed_in_email()
    if email is None:
        return redirect(url_for("space.home"), code=303)
    livrable, version = _owned(email, version_id)
    form = PaperCopyForm()
    if pending_request(db.session, version.id) is not None:
        return _page(livrable, version, form), 409
    if not form.validate():
        return _page(livrable, version, form), 422
    address = PostalAddress.of(
        [form.street.data or "", form.complement.data or ""],
        form.postcode.data or "",
        form.town.data or "",
    )
    try:
        request = request_paper_copy(
            db.session,
            version=version,
            beneficiary=livrable.unit.dossier.beneficiary,
            address=address,
            now=utcnow(),
            origin=request_origin(),
        )
    except CopyError as error:
        db.session.rollback()
        if error.code == CopyErrorCode.NOT_AVAILABLE:
            abort(404)
        return _page(livrable, version, form), 409 if error.code == CopyErrorCode.PENDING else 422
    queue_copy_requested(db.session, request)
    db.session.commit()
    flash(
        _(
            "Votre demande est enregistrée : votre conseiller vous envoie une copie papier à "
            "l'adresse indiquée."
        ),
        "success",
    )
    return redirect(url_for("space.home", _anchor="documents-title"), code=303)


def copy_requests(versions: list[LivrableVersion]) -> dict[int, PaperCopyRequest]:
    """The latest paper-copy request of each version, for the space's list of documents."""
    latest: dict[int, PaperCopyRequest] = {}
    for request in copy_requests_of(db.session, [v.id for v in versions]):
        latest[request.version_id] = request
    return latest


@bp.app_template_filter("paris_day")
def paris_day(moment: datetime) -> str:
    """The day of a moment in France, written out: « 7 décembre 2026 »."""
    return long_date(moment.astimezone(PARIS).date())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# --- Helpers ----------------------------------------------------------------------------------


def _owned(email: str, version_id: int) -> tuple[Livrable, LivrableVersion]:
    found = services.owned_copy_version(db.session, email=email, version_id=version_id)
    return found or abort(404)


def _page(livrable: Livrable, version: LivrableVersion, form: PaperCopyForm) -> str:
    pending = pending_request(db.session, version.id)
    return render_template(
        PAGE,
        form=form,
        livrable=livrable,
        version=version,
        title=TITLES[livrable.kind],
        pending=pending,
        pending_on=paris_day(pending.requested_at) if pending else "",
    )


__all__ = ["bp", "copy_requests", "init_app"]

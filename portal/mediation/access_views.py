"""/pro/mediateur/saisines/<id>/acces and …/dossier: the mediator's access to the dossier of
a referred complaint (CCTP 3.7, Annex 2 §3 « demande d'accès au dossier par le médiateur »).

The mediator asks, dated; the operator's managers are e-mailed and grant it from the
complaint's page (`access_staff_views`). Until then the dossier answers 403 with the reason
and the request button; once granted, and while the referral is open, every page and PDF of
the dossier served is logged in `portal.audit` (`FileRead`) and told to the person. Only the
mediator reaches these routes (`mediator_policies`): anyone else gets 404.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor.models import Dossier
from portal.audit.models import ReadWhat
from portal.audit.reads import record_read
from portal.auth.policies import current_staff, staff_required
from portal.clock import now
from portal.extensions import db
from portal.livrables.emails import TITLES, pdf_filename
from portal.livrables.views.signing import file_response
from portal.mediation import access_queries as queries
from portal.mediation import access_staff_views
from portal.mediation import access_text as text
from portal.mediation import referrals as core
from portal.mediation.access_emails import queue_access_request
from portal.mediation.errors import ComplaintError
from portal.mediation.mediator_policies import referral_or_404
from portal.mediation.models import Referral
from portal.network.models import StaffRole

bp = Blueprint("mediator_access", __name__, url_prefix="/pro/mediateur/saisines")

MEDIATOR = StaffRole.MEDIATOR
# The mediator's referral page (another part of the workspace); the dossier page otherwise.
REFERRAL_PAGE = "mediator.referral"


def _back(referral: Referral) -> str:
    endpoint = REFERRAL_PAGE if REFERRAL_PAGE in current_app.view_functions else None
    if endpoint is None:
        return url_for("mediator_access.dossier", referral_id=referral.id)
    return url_for(endpoint, referral_id=referral.id, _anchor="acces-dossier")


def _access_page(referral: Referral, *, error: str | None = None) -> str:
    """The dossier is not open to the mediator (yet): why, and the panel to ask for it."""
    return render_template(
        "mediation/mediator/no_access.html", referral=referral, error=error, back=_back(referral)
    )


@bp.post("/<id:referral_id>/acces", endpoint="request")
@staff_required(MEDIATOR)
def request_access(referral_id: int) -> Response | tuple[str, int]:
    """Annex 2 §3 « demande d'accès au dossier », dated; the operator's managers are told."""
    referral = referral_or_404(referral_id)
    if queries.referral_dossier_id(referral) is None:
        return _access_page(referral, error=str(text.NO_DOSSIER)), 422
    try:
        core.request_access(db.session, referral, by=current_staff(), now=now())
        queue_access_request(db.session, referral)
    except ComplaintError as error:
        db.session.rollback()
        return _access_page(referral_or_404(referral_id), error=text.refusal(error)), 422
    db.session.commit()
    flash(_("Accès au dossier demandé : l'opérateur est prévenu par e-mail."), "success")
    return redirect(_back(referral), code=303)


def _dossier(referral_id: int) -> tuple[Referral, Dossier, bool]:
    """The referral, its dossier (404 when it has none), and whether the mediator may read
    it: access granted and the referral still open."""
    referral = referral_or_404(referral_id)
    dossier = queries.dossier_of_referral(db.session, referral)
    if dossier is None:
        abort(404)
    readable = referral.access_granted_at is not None and referral.closed_at is None
    return referral, dossier, readable


def _log(referral: Referral, dossier: Dossier, what: ReadWhat) -> None:
    record_read(
        db.session,
        by_id=current_staff().id,
        referral_id=referral.id,
        dossier_id=dossier.id,
        beneficiary_id=dossier.beneficiary_id,
        what=what,
        path=request.path,
        now=now(),
    )


@bp.get("/<id:referral_id>/dossier")
@staff_required(MEDIATOR)
def dossier(referral_id: int) -> str | tuple[str, int]:
    referral, found, readable = _dossier(referral_id)
    if not readable:
        return _access_page(referral), 403
    _log(referral, found, ReadWhat.DOSSIER)
    page = render_template(
        "mediation/mediator/dossier.html",
        referral=referral,
        dossier=found,
        appointments=queries.dossier_appointments(db.session, found),
        livrables=queries.dossier_livrables(db.session, found),
        livrable_titles=TITLES,
        texts=text,
        back=_back(referral),
    )
    db.session.commit()
    return page


@bp.get("/<id:referral_id>/dossier/versions/<id:version_id>.pdf")
@staff_required(MEDIATOR)
def version_pdf(referral_id: int, version_id: int) -> Response | tuple[str, int]:
    referral, found, readable = _dossier(referral_id)
    if not readable:
        return _access_page(referral), 403
    version = queries.version_of_dossier(db.session, found.id, version_id)
    if version is None:
        abort(404)
    _log(referral, found, ReadWhat.LIVRABLE_PDF)
    name = pdf_filename(version.livrable, version)
    db.session.commit()
    return file_response(version.pdf, "application/pdf", name, inline=True)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    access_staff_views.init_app(app)


__all__ = ["bp", "init_app"]

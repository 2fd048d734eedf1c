"""The operator's side of the mediator's access to a dossier, and the template globals that
show the access on the existing pages without touching their views.

POST /pro/reclamations/<id>/acces-mediateur: the operator's manager grants the pending
request of the open referral of one of its complaints (another operator's staff, advisors,
the mediator and France compétences get 404). The globals give the operator's panel, the
mediator's panel and the person's notice (« the mediator consulted your dossier, on… »).
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.audit.models import ReadWhat
from portal.auth.policies import current_staff, staff_required
from portal.booking.views import long_moment
from portal.clock import PARIS, now
from portal.extensions import db
from portal.mediation import access_queries as queries
from portal.mediation import access_text as text
from portal.mediation import referrals as core
from portal.mediation.errors import ComplaintError
from portal.mediation.models import Complaint, Referral
from portal.mediation.policies import complaint_or_404
from portal.mediation.staff_views import complaint_screen as complaint_page
from portal.network.models import StaffRole

bp = Blueprint("mediation_access_staff", __name__, url_prefix="/pro/reclamations")


@bp.post("/<id:complaint_id>/acces-mediateur", endpoint="grant")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)  # the manager or the correspondant
def grant_access(complaint_id: int) -> Response | tuple[str, int]:
    complaint = complaint_or_404(complaint_id, handle=True)
    referral = core.open_referral(db.session, complaint)
    if referral is None:
        return complaint_page(complaint, error=str(text.NO_REFERRAL)), 422
    try:
        core.grant_access(db.session, referral, by=current_staff(), now=now())
    except ComplaintError as error:
        db.session.rollback()
        return complaint_page(complaint_or_404(complaint_id), error=text.refusal(error)), 422
    db.session.commit()
    flash(_("Accès au dossier accordé au médiateur de France compétences."), "success")
    url = url_for("mediation_staff.complaint", complaint_id=complaint.id, _anchor="acces-mediateur")
    return redirect(url, code=303)


# --- What the pages show ------------------------------------------------------------------


@bp.app_template_global("referral_of_complaint")
def referral_of_complaint(complaint: Complaint) -> Referral | None:
    """The complaint's open referral to the mediator (None: none, or closed)."""
    return core.open_referral(db.session, complaint)


@bp.app_template_global("mediator_access_panel")
def mediator_access_panel(referral: Referral) -> queries.AccessState:
    return queries.access_state(db.session, referral)


@bp.app_template_global("mediator_notice_of_complaint")
def mediator_notice_of_complaint(complaint: Complaint) -> queries.PersonNotice:
    return queries.notice_for_complaint(db.session, complaint)


@bp.app_template_global("mediator_notice_of_space")
def mediator_notice_of_space(email: str) -> queries.PersonNotice:
    return queries.notice_for_space(db.session, email)


@bp.app_template_global("read_words")
def read_words(what: str, *, for_person: bool = False) -> str:
    labels = text.READ_LABELS_FOR_PERSON if for_person else text.READ_LABELS
    return str(labels[ReadWhat(what)])


@bp.app_template_filter("paris_moment")
def paris_moment(moment: datetime) -> str:
    """« lundi 7 décembre 2026 à 10 h 30 », in France's time."""
    return long_moment(moment.astimezone(PARIS))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]

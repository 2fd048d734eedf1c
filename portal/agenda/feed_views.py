"""/pro/agenda/flux: an advisor makes (shown once) or revokes their feed's secret URL; and the
feed itself, public, at /calendrier/<token>.ics (text/calendar). Only the advisor reaches their
own feed page: a manager has none, and nobody sees another's secret (only its hash is kept)."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.agenda import feed as core
from portal.agenda.texts import kind_label
from portal.agenda.views import bp
from portal.agenda.week import AgendaAppointment
from portal.auth.policies import current_staff, staff_required
from portal.booking.forms import MODALITY_LABELS
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import StaffMember, StaffRole
from portal.urls import public_url


@bp.get("/pro/agenda/flux")
@staff_required(StaffRole.ADVISOR)
def feed_page() -> str:
    feed = core.live_feed(db.session, current_staff().id)
    return render_template("agenda/feed.html", feed=feed, url=None)


@bp.post("/pro/agenda/flux")
@staff_required(StaffRole.ADVISOR)
def make_feed() -> str:
    """The new URL is shown on this answer only (not after a redirect: it is nowhere else)."""
    token = core.new_feed(db.session, staff_member_id=current_staff().id, now=utcnow())
    db.session.commit()
    url = public_url("agenda.feed", token=token)
    feed = core.live_feed(db.session, current_staff().id)
    response = make_response(render_template("agenda/feed.html", feed=feed, url=url))
    response.headers["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]


@bp.post("/pro/agenda/flux/revoquer")
@staff_required(StaffRole.ADVISOR)
def revoke_feed() -> Response:
    if core.revoke_feed(db.session, staff_member_id=current_staff().id, now=utcnow()):
        flash(_("Le lien de votre agenda est révoqué : il ne répond plus."), "success")
    db.session.commit()
    return redirect(url_for("agenda.feed_page"), code=303)


@bp.get("/calendrier/<token>.ics")
def feed(token: str) -> Response:
    now = utcnow()
    found = core.feed_for_token(db.session, token, now=now)
    advisor = db.session.get(StaffMember, found.staff_member_id) if found else None
    if found is None or advisor is None or advisor.operator is None:
        abort(404)
    # No browser says a language here: the portal's first one (French).
    with force_locale(current_app.config["LANGUAGES"][0]):
        body = core.feed_calendar(
            db.session,
            advisor=advisor,
            now=now,
            name=_("Agenda CEP"),
            describe=describe,
        )
    db.session.commit()  # last_read_at, at most once an hour
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def describe(item: AgendaAppointment) -> tuple[str, str]:
    """« RDV J. D. — Séance UO1 0125… » and where: no name, e-mail, phone or video link."""
    summary = _("RDV %(initials)s — %(kind)s", initials=item.initials, kind=kind_label(item))
    where = [str(MODALITY_LABELS[item.modality])]
    if item.site_name:
        where.append(item.site_name)
    return str(summary), ", ".join(where)

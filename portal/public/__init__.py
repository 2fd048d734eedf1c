"""The public front door: the questionnaire, the answer, and the information pages."""

from __future__ import annotations

import uuid

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal.clock import today_in_france
from portal.csrf import refill_on_lost_token
from portal.extensions import db
from portal.locator.forms import OrientationForm
from portal.locator.places import Place, PlaceError
from portal.locator.resolve import resolve_places
from portal.locator.services import locate
from portal.locator.views import place_from_ref
from portal.orientation.rules import Answers, Orientation, Reason, Route, Situation, orient
from portal.orientation.services import record_contact
from portal.public.answer import as_told, uncovered_territory
from portal.public.sealed import SESSION_KEY, save_answer, saved_answer
from portal.reference import Motif, motif_from

bp = Blueprint("public", __name__)

__all__ = ["SESSION_KEY", "bp"]


@bp.get("/")
def home() -> str:
    form = OrientationForm()
    form.key.data = uuid.uuid4().hex
    given = motif_from(request.args.get("motif"))  # a partner's link may name the motive
    form.motif.data = given.value if given else None
    return render_template("public/home.html", form=form)


@bp.post("/")
@refill_on_lost_token
def submit() -> Response | tuple[str, int]:
    form = OrientationForm()
    resolved = resolve_places(form)
    if resolved is None:
        return render_template("public/home.html", form=form), 422
    home, work = resolved
    answers = Answers(
        situation=Situation(form.situation.data),
        cadre=form.cadre.data == "1",
        age=int(form.age.data or 0),
        rqth=form.rqth.data == "1",
        suivi_autre_operateur=form.suivi.data == "1",
    )
    orientation = orient(answers)
    location = locate(db.session, home, work, sites_shown=0)
    primary = location.primary
    record_contact(
        db.session,
        key=form.key.data,
        on=today_in_france(),
        situation=answers.situation,
        orientation=orientation,
        motif=Motif(form.motif.data) if form.motif.data else None,
        lot_number=location.home_competence.lot.number if location.home_competence else None,
        work_lot_number=(location.work_competence.lot.number if location.work_competence else None),
        operator_id=primary.operator.id if primary and primary.operator else None,
        locale=str(get_locale()),
    )
    db.session.commit()
    # The answer lives in the person's own session, not in the URL: it may say they have
    # a disability, and URLs end up in logs and browser history. It is sealed (encrypted),
    # as the session cookie itself is only signed.
    answer = {
        "contact": form.key.data,  # the UO0 to number if the person goes on (issue 15 §2)
        "route": orientation.route.value,
        "alternatives": [r.value for r in orientation.alternatives],
        "reasons": [r.value for r in orientation.reasons],
        "motif": form.motif.data or "",
        "home": _place_ref(home),
        "work": _place_ref(work) if work else None,
    }
    save_answer(answer)
    return redirect(url_for("public.result"), code=303)


def _place_ref(place: Place) -> dict[str, str | None]:
    commune = place.commune
    return {"insee": commune.insee if commune else None, "postal_code": place.postal_code}


@bp.get("/resultat")
def result() -> Response | str:
    saved = saved_answer()
    try:
        orientation = Orientation(
            Route(saved["route"]),
            tuple(Route(r) for r in saved["alternatives"]),
            tuple(Reason(r) for r in saved["reasons"]),
        )
        home = place_from_ref(saved["home"])
        work = place_from_ref(saved["work"]) if saved.get("work") else None
    except (TypeError, KeyError, ValueError, PlaceError):
        # No answer yet, or one saved before a release that changed its shape or the
        # gazetteer (a commune merged away): ask again rather than fail.
        session.pop(SESSION_KEY, None)
        return redirect(url_for("public.home"), code=303)
    location = locate(db.session, home, work, sites_shown=current_app.config["LOCATOR_SITES_SHOWN"])
    # Only said where the regional operator would have been promised or offered.
    uncovered = uncovered_territory(location) if orientation.regional_operator_offered else None
    return render_template(
        "public/result.html",
        orientation=as_told(orientation, uncovered),
        uncovered=uncovered,
        location=location,
        motif=getattr(motif_from(saved.get("motif")), "value", ""),
    )


@bp.get("/accessibilite")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/mediateur")
def mediator() -> str:
    return render_template("public/mediator.html")

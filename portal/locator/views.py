"""Locator pages: commune suggestions for the autocomplete, and sites near a place."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.htmx import render
from portal.locator import places
from portal.locator.forms import NearbyForm
from portal.locator.merged import merged_sites
from portal.locator.resolve import resolve_places
from portal.locator.services import locate
from portal.network.hours import ExtendedWindow, week_schedule
from portal.network.models import Modality
from portal.orientation.labels import REASONS, ROUTES
from portal.orientation.rules import Route

bp = Blueprint("locator", __name__)

SUGGESTIONS_SHOWN = 8


def place_from_ref(ref: dict[str, str | None]) -> places.Place:
    gazetteer = get_gazetteer()
    if ref.get("insee"):
        return places.by_insee(gazetteer, str(ref["insee"]))
    found = places.by_postal_code(gazetteer, str(ref["postal_code"]))
    if isinstance(found, places.Ambiguous):  # cannot happen for a stored reference
        return places.from_commune(found.candidates[0], found.query)
    return found


@bp.get("/communes/suggestions")
def suggestions() -> Response:
    """Autocomplete options for a place field (a <datalist> fed by htmx)."""
    field = request.args.get("field", "home")
    if field not in {"home", "work"}:
        field = "home"
    text = request.args.get(field, "")[:120]
    communes = get_gazetteer().search(text, limit=SUGGESTIONS_SHOWN) if len(text) >= 2 else []
    return render(
        "locator/suggestions.html",
        "locator/_partials/_suggestions.html",
        field=field,
        text=text,
        communes=communes,
    )


@bp.get("/lieux")
def nearby() -> tuple[str, int] | str:
    """Sites near a place, with no questionnaire: for people who know they are eligible."""
    form = NearbyForm(request.args)
    if not request.args:
        return render_template("locator/nearby.html", form=form, location=None)
    resolved = resolve_places(form)
    if resolved is None:
        return render_template("locator/nearby.html", form=form, location=None), 422
    home, work = resolved
    location = locate(db.session, home, work, sites_shown=current_app.config["LOCATOR_SITES_SHOWN"])
    return render_template("locator/nearby.html", form=form, location=location)


MODALITY_LABELS = {
    Modality.PRESENTIEL: _l("Sur place"),
    Modality.TELEPHONE: _l("Par téléphone"),
    Modality.VISIO: _l("En visio"),
}
EXTENDED_LABELS = {
    ExtendedWindow.MORNING: _l("tôt le matin"),
    ExtendedWindow.MIDDAY: _l("entre midi et deux"),
    ExtendedWindow.EVENING: _l("en soirée"),
}
NATIONAL_ROUTES = (Route.APEC, Route.FRANCE_TRAVAIL, Route.CAP_EMPLOI, Route.MISSION_LOCALE)


@bp.app_context_processor
def locator_helpers() -> dict[str, object]:
    return {
        "week_schedule": week_schedule,
        "modality_labels": MODALITY_LABELS,
        "route_info": ROUTES,
        "reason_labels": REASONS,
        "national_routes": NATIONAL_ROUTES,
        "merged_sites": merged_sites,
    }


@bp.app_template_filter("extended_label")
def extended_label(window: ExtendedWindow) -> str:
    return str(EXTENDED_LABELS[window])

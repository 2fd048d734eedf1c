"""GET /api/v1/locate — the competent lot, operator and nearest sites for a place."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.api import bp
from portal.api.serialize import candidate_json, competence_json, encode_body
from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.locator import places
from portal.locator.forms import PLACE_ERRORS
from portal.locator.services import Result, locate

MAX_PARAM_LENGTH = 20


def invalid(message: str) -> tuple[Response, int]:
    return jsonify({"result": "invalid", "message": message}), 400


def _place(postal_code: str | None, insee: str | None) -> places.Place | places.Ambiguous:
    gazetteer = get_gazetteer()
    if insee:
        return places.by_insee(gazetteer, insee, postal_code)
    return places.by_postal_code(gazetteer, postal_code or "")


@bp.get("/locate")
def api_locate() -> Response | tuple[Response, int]:
    args = {
        k: request.args.get(k, "").strip() or None
        for k in ("postal_code", "commune", "work_postal_code", "work_commune")
    }
    if any(v and len(v) > MAX_PARAM_LENGTH for v in args.values()):
        return invalid(_("Un paramètre est trop long."))
    if not args["postal_code"] and not args["commune"]:
        return invalid(_("Le paramètre postal_code est requis (5 chiffres, par exemple 35000)."))
    try:
        home = _place(args["postal_code"], args["commune"])
        work = (
            _place(args["work_postal_code"], args["work_commune"])
            if args["work_postal_code"] or args["work_commune"]
            else None
        )
    except places.PlaceError as error:
        return invalid(str(PLACE_ERRORS[error.code] % {"value": error.value}))

    for field, found in (("home", home), ("work", work)):
        if isinstance(found, places.Ambiguous):
            return jsonify(
                {
                    "result": Result.AMBIGUOUS.value,
                    "field": field,
                    "message": _(
                        "Ce code postal couvre des communes de plusieurs régions : "
                        "précisez la commune (paramètre %(param)s).",
                        param="commune" if field == "home" else "work_commune",
                    ),
                    "lot": None,
                    "operator": None,
                    "sites": [],
                    "candidates": [candidate_json(c) for c in found.candidates],
                }
            )
    assert isinstance(home, places.Place)
    assert work is None or isinstance(work, places.Place)
    location = locate(db.session, home, work, sites_shown=current_app.config["LOCATOR_SITES_SHOWN"])
    body: dict[str, Any] = {"result": location.result.value, "candidates": []}
    primary_place = home if location.home_competence is not None or work is None else work
    body.update(competence_json(location.primary, approximate=primary_place.approximate))
    if work is not None:
        body.update(
            competence_json(location.work_competence, prefix="work_", approximate=work.approximate)
        )
    if location.result is Result.NOT_COVERED:
        territory = home.outside_lots or (work.outside_lots if work else None) or ""
        body["territory"] = territory
        body["message"] = _(
            "Aucun opérateur régional du conseil en évolution professionnelle ne couvre "
            "%(territory)s. Les opérateurs nationaux vous accueillent : Apec, France Travail, "
            "Cap emploi, Missions locales.",
            territory=territory,
        )
    # Flask's JSON text, with each site's text encoded once per snapshot spliced in.
    return current_app.response_class(encode_body(body) + "\n", mimetype="application/json")

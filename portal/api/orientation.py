"""GET /api/v1/orientation — the UO0 route for a situation, with its explanation."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.api import bp
from portal.api.locate import invalid
from portal.orientation.labels import explanation
from portal.orientation.rules import MAX_AGE, MIN_AGE, Answers, Situation, orient
from portal.routing import bounded_int

FLAGS = ("cadre", "rqth", "suivi_autre_operateur")


@bp.get("/orientation")
def api_orientation() -> Response | tuple[Response, int]:
    situation = request.args.get("situation", "")
    try:
        parsed_situation = Situation(situation)
    except ValueError:
        return invalid(
            _(
                "Situation inconnue « %(value)s ». Valeurs possibles : %(values)s.",
                value=situation[:40],
                values=", ".join(s.value for s in Situation),
            )
        )
    age = bounded_int(request.args.get("age", ""), minimum=MIN_AGE, maximum=MAX_AGE)
    if age is None:
        return invalid(
            _(
                "Le paramètre age doit être un nombre entier entre %(min)s et %(max)s.",
                min=MIN_AGE,
                max=MAX_AGE,
            )
        )
    flags: dict[str, bool] = {}
    for name in FLAGS:
        value = request.args.get(name, "0")
        if value not in {"0", "1"}:
            return invalid(_("Le paramètre %(name)s doit valoir 0 ou 1.", name=name))
        flags[name] = value == "1"
    result = orient(
        Answers(
            situation=parsed_situation,
            cadre=flags["cadre"],
            age=age,
            rqth=flags["rqth"],
            suivi_autre_operateur=flags["suivi_autre_operateur"],
        )
    )
    return jsonify(
        {
            "route": result.route.value,
            "alternatives": [r.value for r in result.alternatives],
            "reasons": [r.value for r in result.reasons],
            "explanation": explanation(result.reasons),
        }
    )

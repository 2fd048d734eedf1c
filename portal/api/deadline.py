"""GET /api/v1/deadline — the latest date of a first appointment (CCTP 3.3).

`requested_on=YYYY-MM-DD&commune=INSEE` answers the 30th working day after the request, with
the public holidays of the commune's territory.
"""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.api import bp
from portal.api.locate import invalid
from portal.booking.calendar import first_appointment_deadline, territory_for_insee
from portal.booking.rules import FIRST_APPOINTMENT_WORKING_DAYS
from portal.geo.gazetteer import get_gazetteer
from portal.locator.places import INSEE_CODE

# Requests older than this, or dated in the far future, are typos rather than requests.
EARLIEST_REQUEST = date(2019, 1, 1)  # the CEP of the 2019 reform
LATEST_REQUEST = date(2100, 12, 31)


@bp.get("/deadline")
def api_deadline() -> Response | tuple[Response, int]:
    requested = request.args.get("requested_on", "").strip()
    commune = request.args.get("commune", "").strip().upper()
    if not requested:
        return invalid(_("Indiquez la date de la demande : requested_on=AAAA-MM-JJ."))
    try:
        requested_on = date.fromisoformat(requested)
    except ValueError:
        return invalid(
            _("« %(value)s » n'est pas une date au format AAAA-MM-JJ.", value=requested[:20])
        )
    if len(requested) != 10 or not EARLIEST_REQUEST <= requested_on <= LATEST_REQUEST:
        return invalid(
            _(
                "La date de la demande doit être comprise entre %(first)s et %(last)s.",
                first=EARLIEST_REQUEST.isoformat(),
                last=LATEST_REQUEST.isoformat(),
            )
        )
    if not commune:
        return invalid(_("Indiquez le code INSEE de la commune : commune=35238."))
    if not INSEE_CODE.match(commune) or get_gazetteer().by_insee(commune) is None:
        return invalid(
            _("« %(value)s » n'est pas un code de commune INSEE connu.", value=commune[:20])
        )
    territory = territory_for_insee(commune)
    return jsonify(
        {
            "deadline": first_appointment_deadline(requested_on, territory).isoformat(),
            "working_days": FIRST_APPOINTMENT_WORKING_DAYS,
            "territory": territory.code,
            "territory_name": territory.name,
            "requested_on": requested_on.isoformat(),
            "commune": commune,
        }
    )

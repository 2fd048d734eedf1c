"""GET /api/v1/annex2?day=AAAA-MM-JJ[&operator=OO][&format=csv|json] — the daily Annex 2
export for France compétences' systems, behind a bearer token (`flask cep create-api-token`).

The same rows as `flask cep export-annex2`, streamed from a server-side cursor as they are read.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app, jsonify, request, stream_with_context
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.api import bp
from portal.api.locate import invalid
from portal.api.tokens import valid_token
from portal.clock import today_in_france
from portal.extensions import db
from portal.reporting.annex2 import Annex2Error, Period, stream_rows
from portal.reporting.annex2_files import (
    DAY_NOT_OVER,
    FORMATS,
    MEDIA_TYPES,
    data_filename,
    encode,
    parse_day,
    targets,
)


def _unauthorised() -> tuple[Response, int]:
    response = jsonify(
        {
            "result": "unauthorised",
            "message": _("Jeton d'accès absent, inconnu ou révoqué (Authorization: Bearer …)."),
        }
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="annex2"'
    return response, 401


@bp.get("/annex2")
def api_annex2() -> Response | tuple[Response, int]:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or valid_token(db.session, token.strip()) is None:
        return _unauthorised()
    day_text = request.args.get("day", "").strip()
    code = request.args.get("operator", "").strip() or None
    fmt = request.args.get("format", "csv").strip()
    if fmt not in FORMATS:
        return invalid(_("Le format est csv ou json."))
    if not day_text:
        return invalid(_("Indiquez le jour : day=AAAA-MM-JJ."))
    try:
        day = parse_day(day_text[:20], today_in_france())
    except Annex2Error as problem:
        if problem.code == DAY_NOT_OVER:
            return invalid(_("Le jour %(day)s n'est pas encore terminé.", day=day_text))
        return invalid(
            _("« %(value)s » n'est pas une date au format AAAA-MM-JJ.", value=day_text[:20])
        )
    try:
        chosen = targets(db.session, code)
    except Annex2Error:
        return invalid(_("Aucun opérateur n'a le code « %(value)s ».", value=(code or "")[:20]))
    ids = [t.id for t in chosen]
    if db.session.get_bind().dialect.name != "postgresql":  # before the first byte is sent
        unavailable = jsonify(
            {"result": "unavailable", "message": _("L'export Annexe 2 demande PostgreSQL.")}
        )
        return unavailable, 503

    def body() -> Iterator[bytes]:
        try:
            yield from encode(stream_rows(db.session, Period(day, day), ids), fmt)
        finally:
            db.session.rollback()

    name = data_filename(chosen[0].code if code else "all", day, fmt)
    response = current_app.response_class(stream_with_context(body()))
    response.headers["Content-Type"] = MEDIA_TYPES[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response

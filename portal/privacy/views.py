"""The public privacy page (RGPD art. 13) and the beneficiary's export (art. 15 and 20)."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from portal.beneficiary.space_session import signed_in_email
from portal.db import utcnow
from portal.extensions import db
from portal.privacy.export import export_person

bp = Blueprint("privacy", __name__)

# The retention periods the page states, read from the settings the purge uses.
RETENTION_SETTINGS = (
    "RETENTION_CONTACT_YEARS",
    "RETENTION_ACCOMPANIMENT_YEARS",
    "RETENTION_SIGN_IN_LINK_DAYS",
    "RETENTION_SIGN_IN_TRACE_DAYS",
    "MAIL_BODY_RETENTION_DAYS",
)


@bp.get("/donnees-personnelles")
def notice() -> str:
    config = current_app.config
    return render_template(
        "privacy/notice.html",
        controller_name=config["PRIVACY_CONTROLLER_NAME"],
        controller_address=config["PRIVACY_CONTROLLER_ADDRESS"],
        dpo_contact=config["PRIVACY_DPO_CONTACT"],
        retention={name: config[name] for name in RETENTION_SETTINGS},
    )


@bp.get("/mon-espace/mes-donnees.json")
def export() -> Response:
    """Everything held about the signed-in address, as a JSON download."""
    email = signed_in_email()
    if email is None:
        return redirect(url_for("space.home"), code=303)
    data = export_person(db.session, email=email, now=utcnow())
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees-cep.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""The advisor's screens under /pro: home, dossiers and units, purchase orders."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("advisor", __name__, url_prefix="/pro")


def init_app(app: Flask) -> None:
    from portal.advisor.views import (  # noqa: F401  (routes on bp)
        contact,
        dossier,
        home,
        orders,
        profile,
        session_link,
        session_panel,
        sessions,
        units,
    )

    app.register_blueprint(bp)
    app.register_blueprint(session_link.bp)

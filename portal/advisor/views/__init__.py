"""The advisor's screens under /pro: home, dossiers and units, purchase orders."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("advisor", __name__, url_prefix="/pro")


def init_app(app: Flask) -> None:
    from portal.advisor.views import contact, dossier, home, orders, units  # noqa: F401  (routes on bp)

    app.register_blueprint(bp)

"""Livrable screens under /pro: the editor and its history, the paper signature, and the
regional directory of complementary services."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("livrables", __name__, url_prefix="/pro")


def init_app(app: Flask) -> None:
    from portal.livrables.views import directory, editor, history, signing  # noqa: F401

    app.register_blueprint(bp)

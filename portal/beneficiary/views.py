"""Placeholder: the beneficiary space (to be written)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("space", __name__)


@bp.get("/mon-espace")
def home() -> str:
    return "space"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

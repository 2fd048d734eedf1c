"""Public booking: find a slot, book it, and move or cancel it with the signed link."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("booking", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""Staff sign-in and sign-out (stub: the auth work fills it in)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/pro")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

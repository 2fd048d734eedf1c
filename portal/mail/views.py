"""The development mailbox page (stub: the mail work fills it in)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("mail", __name__, url_prefix="/dev")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

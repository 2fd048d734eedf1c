"""Placeholder: the survey and indicator 8.1 (to be written)."""

from __future__ import annotations

from flask import Blueprint, Flask

from portal.auth.policies import staff_required
from portal.network.models import StaffRole

bp = Blueprint("satisfaction", __name__)


@bp.get("/pro/indicateurs/satisfaction")
@staff_required(StaffRole.MANAGER)
def indicator() -> str:
    return "8.1"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

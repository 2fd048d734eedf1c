"""Public JSON API, version 1 (stable: partner sites link to it; documented in the README)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from portal.api import annex2, deadline, locate, orientation, verify  # noqa: E402,F401  (routes)

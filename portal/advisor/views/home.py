"""Placeholder: the advisor's home and the dossier page (to be written)."""

from __future__ import annotations

from portal.advisor.views import bp
from portal.auth.policies import staff_required
from portal.network.models import StaffRole


@bp.get("/conseiller")
@staff_required(StaffRole.ADVISOR)
def home() -> str:
    return "advisor home"


@bp.get("/dossiers/<int:dossier_id>")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def dossier(dossier_id: int) -> str:
    return f"dossier {dossier_id}"

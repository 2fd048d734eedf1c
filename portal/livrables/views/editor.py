"""Placeholder: the livrable editor (to be written)."""

from __future__ import annotations

from portal.auth.policies import staff_required
from portal.livrables.views import bp
from portal.network.models import StaffRole


@bp.get("/unites/<int:unit_id>/livrable")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def editor(unit_id: int) -> str:
    return f"livrable {unit_id}"

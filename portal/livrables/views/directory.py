"""Placeholder: the regional directory of complementary services (to be written)."""

from __future__ import annotations

from portal.auth.policies import staff_required
from portal.livrables.views import bp
from portal.network.models import StaffRole


@bp.get("/annuaire")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def directory() -> str:
    return "directory"

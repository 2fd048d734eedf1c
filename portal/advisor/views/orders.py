"""Placeholder: the manager's purchase orders (to be written)."""

from __future__ import annotations

from portal.advisor.views import bp
from portal.auth.policies import staff_required
from portal.network.models import StaffRole


@bp.get("/bons-de-commande")
@staff_required(StaffRole.MANAGER)
def purchase_orders() -> str:
    return "purchase orders"

"""Demo purchase orders: every demo operator holds one order per UO for last year, this
year and next year, so that engagements get their Annex 2 references."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.models import PurchaseOrder, UnitKind
from portal.network.models import Operator

# Roughly a year of a mid-sized lot (domain-rules "Volumes": ~8,700 entries a lot).
# UO0: every contact that goes on to a request is billed (issue 15 §2).
DEMO_QUANTITIES = {
    UnitKind.UO0: 12000,
    UnitKind.UO1: 9000,
    UnitKind.UO21: 4000,
    UnitKind.UO22: 800,
}


def add_demo_purchase_orders(session: Session, today: date) -> int:
    added = 0
    for operator in session.scalars(select(Operator).order_by(Operator.id)):
        for year in (today.year - 1, today.year, today.year + 1):
            for kind, quantity in DEMO_QUANTITIES.items():
                session.add(
                    PurchaseOrder(
                        operator_id=operator.id,
                        year=year,
                        kind=kind,
                        number=1,
                        quantity=quantity,
                        issued_on=date(year, 1, 2),
                    )
                )
                added += 1
    session.flush()
    return added

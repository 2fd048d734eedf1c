"""Annex 2 numbering: the dossier number and the purchase-order reference of a unit.

Both counters are raised by one atomic UPDATE … RETURNING (or INSERT … ON CONFLICT), so
that engagements at the same moment on several workers never get the same number; the
unique constraints on `unit.number` and `unit.purchase_order_ref` stand behind them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import DossierCounter, PurchaseOrder, UnitKind
from portal.network.models import Operator

# Annex 2, note 38: a six-digit counter, reset at the start of each month.
COUNTER_DIGITS = 6


def next_dossier_number(session: Session, operator: Operator, kind: UnitKind, on: date) -> str:
    """`OO AA MM UU XXXXXX` without the spaces: operator code, year, month, UO, counter."""
    period = on.strftime("%y%m")
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    upsert = insert(DossierCounter).values(operator_id=operator.id, period=period, value=1)
    statement = upsert.on_conflict_do_update(
        index_elements=["operator_id", "period"],
        set_={"value": DossierCounter.value + 1},
    ).returning(DossierCounter.value)
    value = session.execute(statement).scalar_one()
    if value >= 10**COUNTER_DIGITS:
        raise OverflowError(f"more than {10**COUNTER_DIGITS - 1} units in {period}")
    return f"{operator.code}{period}{kind.value}{value:0{COUNTER_DIGITS}d}"


def consume_purchase_order(
    session: Session, operator: Operator, kind: UnitKind, on: date
) -> tuple[PurchaseOrder, str]:
    """Take the next unit of the oldest open order for this UO and year; its reference
    `AAAA-Lotww-UOxx-yy-zzzzz` (Annex 2, e.g. 2020-Lot08-UO2.1-02-00256)."""
    candidates = session.scalars(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.operator_id == operator.id,
            PurchaseOrder.year == on.year,
            PurchaseOrder.kind == kind,
            PurchaseOrder.consumed < PurchaseOrder.quantity,
        )
        .order_by(PurchaseOrder.number)
    ).all()
    for order in candidates:
        consumed = session.execute(
            update(PurchaseOrder)
            .where(PurchaseOrder.id == order.id, PurchaseOrder.consumed < PurchaseOrder.quantity)
            .values(consumed=PurchaseOrder.consumed + 1)
            .returning(PurchaseOrder.consumed)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        if consumed is None:  # another engagement took the last unit of this order
            continue
        # The database's count, without reading the row again.
        set_committed_value(order, "consumed", consumed)
        reference = order_reference(on.year, operator.lot_number, kind, order.number, consumed)
        return order, reference
    raise UnitError(UnitErrorCode.NO_PURCHASE_ORDER, f"{kind.label} {on.year}")


def order_reference(year: int, lot_number: int, kind: UnitKind, number: int, rank: int) -> str:
    """`AAAA-Lotww-UOxx-yy-zzzzz`: year, lot, UO (01, 2.1, 2.2), the order's number in the
    year for that UO, the unit's rank in the order (Annex 2, e.g. 2020-Lot08-UO2.1-02-00256)."""
    return f"{year:04d}-Lot{lot_number:02d}-UO{kind.order_code}-{number:02d}-{rank:05d}"

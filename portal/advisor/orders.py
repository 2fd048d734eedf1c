"""The bons de commande of France compétences an operator engages units on (Annex 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.advisor.models import PurchaseOrder, UnitKind
from portal.advisor.numbering import order_reference
from portal.network.models import Operator

# Warn when less than this share of an order is left (engagements stop at zero).
LOW_SHARE = 0.10
# Annex 2: « zzzzz », the rank of a unit in its order, on five digits.
MAX_QUANTITY = 99_999
FIRST_YEAR = 2019  # the accord-cadre's first orders


class OrderErrorCode(StrEnum):
    DUPLICATE = "duplicate"  # this number is taken for this year and UO


class OrderError(Exception):
    def __init__(self, code: OrderErrorCode) -> None:
        super().__init__(str(code))
        self.code = code


def add_purchase_order(
    session: Session,
    *,
    operator_id: int,
    year: int,
    kind: UnitKind,
    number: int,
    quantity: int,
    issued_on: date,
) -> PurchaseOrder:
    """Record a bon de commande; its number is unique for the operator, year and UO."""
    order = PurchaseOrder(
        operator_id=operator_id,
        year=year,
        kind=kind,
        number=number,
        quantity=quantity,
        consumed=0,
        issued_on=issued_on,
    )
    taken = session.scalar(
        select(PurchaseOrder.id).where(
            PurchaseOrder.operator_id == operator_id,
            PurchaseOrder.year == year,
            PurchaseOrder.kind == kind,
            PurchaseOrder.number == number,
        )
    )
    if taken is not None:
        raise OrderError(OrderErrorCode.DUPLICATE)
    try:
        with session.begin_nested():  # the unique constraint decides between two at once
            session.add(order)
            session.flush()
    except IntegrityError:
        raise OrderError(OrderErrorCode.DUPLICATE) from None
    return order


@dataclass(frozen=True, slots=True)
class OrderLine:
    order: PurchaseOrder
    unit_label: str  # « UO2.1 »
    remaining: int
    low: bool
    next_reference: str | None  # the reference the next engagement on it would get


def order_lines(session: Session, operator: Operator) -> list[tuple[int, list[OrderLine]]]:
    """The operator's orders by year (latest first), then by UO and number."""
    orders = session.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.operator_id == operator.id)
        .order_by(PurchaseOrder.year.desc(), PurchaseOrder.kind, PurchaseOrder.number)
    )
    lines = []
    for order in orders:
        remaining = order.quantity - order.consumed
        kind = UnitKind(order.kind)
        reference = None
        if remaining > 0:
            reference = order_reference(
                order.year, operator.lot_number, kind, order.number, order.consumed + 1
            )
        low = remaining < order.quantity * LOW_SHARE
        lines.append(OrderLine(order, kind.label, remaining, low, reference))
    return [(year, list(group)) for year, group in groupby(lines, key=lambda line: line.order.year)]

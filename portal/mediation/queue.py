"""The operator's complaint queue and the daily reminders: which complaints are open, sorted by
the clock that comes next (`rules.next_clock`), and which of them fall due.

No Flask here: the staff screens and `flask cep complaint-reminders` both read these lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.mediation.models import Complaint, ComplaintStatus
from portal.mediation.rules import Clock, next_clock


@dataclass(frozen=True, slots=True)
class QueueItem:
    complaint: Complaint
    clock: Clock | None  # None: answered, the person's word is awaited

    @property
    def needs_reminder(self) -> bool:
        """Due within the warning window (DUE_SOON_DAYS) or overdue."""
        return self.clock is not None and (self.clock.due_soon or self.clock.overdue)


def operator_queue(session: Session, *, operator_id: int, today: date) -> list[QueueItem]:
    """The operator's open (not closed) complaints: first those with a clock, by the day it is
    due (overdue first), then the answered ones, oldest receipt first."""
    complaints = session.scalars(
        select(Complaint)
        .where(Complaint.operator_id == operator_id, Complaint.status != ComplaintStatus.CLOSED)
        .order_by(Complaint.received_on, Complaint.id)
    ).all()
    items = [QueueItem(complaint, next_clock(complaint, today)) for complaint in complaints]
    return sorted(items, key=_order)


def falling_due(session: Session, *, today: date) -> dict[int, list[QueueItem]]:
    """operator id → its complaints due within the warning window or overdue, by due day.

    Only the complaints that still wait for the operator are read: an answered or closed one
    has no clock."""
    complaints = session.scalars(
        select(Complaint)
        .where(Complaint.status.in_((ComplaintStatus.RECEIVED, ComplaintStatus.ACKNOWLEDGED)))
        .order_by(Complaint.operator_id, Complaint.received_on, Complaint.id)
    ).all()
    due: dict[int, list[QueueItem]] = {}
    for complaint in complaints:
        item = QueueItem(complaint, next_clock(complaint, today))
        if item.needs_reminder:
            due.setdefault(complaint.operator_id, []).append(item)
    return {operator_id: sorted(items, key=_order) for operator_id, items in due.items()}


def _order(item: QueueItem) -> tuple[int, date, date, int]:
    complaint = item.complaint
    if item.clock is None:
        return (1, complaint.received_on, complaint.received_on, complaint.id)
    return (0, item.clock.due_on, complaint.received_on, complaint.id)


__all__ = ["QueueItem", "falling_due", "operator_queue"]

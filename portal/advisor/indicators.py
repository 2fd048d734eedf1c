"""Indicator 6.8, « ré-engagements quasi-immédiats » (CCTP 4.3, monthly): the share of the
people who closed a UO2 (UO2.1 or UO2.2, whatever the closure: signed, on request or
abandon) and engaged again within the three months after that closure.

A person is their e-mail (case aside) and birth date, as Annex 2 identifies them across
requests. The re-engagement is the one `open_dossier` records: a new dossier of the same
operator whose `reengagement_of_unit_id` points to the closed unit (flagged when it opens
within `REENGAGEMENT_MONTHS` of that closure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier, Unit, UnitKind, UnitStatus
from portal.advisor.rules import REENGAGEMENT_MONTHS, add_months
from portal.booking.models import Beneficiary

UO2 = (UnitKind.UO21, UnitKind.UO22)


@dataclass(frozen=True, slots=True)
class Reengagements:
    start: date
    end: date  # exclusive
    closed_uo2: int  # people who closed a UO2 in [start, end)
    reengaged: int  # of them, those who engaged again within three months of that closure

    @property
    def rate(self) -> float | None:
        """Share of re-engagements, from 0 to 1; None when nobody closed a UO2."""
        return self.reengaged / self.closed_uo2 if self.closed_uo2 else None


def reengagements(session: Session, operator_id: int, start: date, end: date) -> Reengagements:
    """Indicator 6.8 for one operator over the closures of [start, end) (two queries)."""
    closed_in_period = (
        Unit.operator_id == operator_id,
        Unit.kind.in_(UO2),
        Unit.status == UnitStatus.CLOSED,
        Unit.closed_on >= start,
        Unit.closed_on < end,
    )
    closures = session.execute(
        select(Unit.id, Unit.closed_on, func.lower(Beneficiary.email), Beneficiary.birth_date)
        .join(Dossier, Unit.dossier_id == Dossier.id)
        .join(Beneficiary, Dossier.beneficiary_id == Beneficiary.id)
        .where(*closed_in_period)
    ).all()
    people: dict[tuple[str, date], set[int]] = {}
    for unit_id, _closed_on, email, birth_date in closures:
        people.setdefault((email, birth_date), set()).add(unit_id)
    again: set[int] = set()
    if closures:
        rows = session.execute(
            select(Unit.id, Unit.closed_on, Dossier.opened_on)
            .join(Dossier, Dossier.reengagement_of_unit_id == Unit.id)
            .where(*closed_in_period, Dossier.operator_id == operator_id)
        ).all()
        again = {
            unit_id
            for unit_id, closed_on, opened_on in rows
            if closed_on is not None and opened_on <= add_months(closed_on, REENGAGEMENT_MONTHS)
        }
    reengaged = sum(1 for units in people.values() if units & again)
    return Reengagements(start, end, len(people), reengaged)

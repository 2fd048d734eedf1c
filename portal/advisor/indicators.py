"""Indicator 6.8, « ré-engagements quasi-immédiats » (CCTP 4.3, monthly): the share of the
people who closed a UO2 (UO2.1 or UO2.2, whatever the closure: signed, on request or
abandon) and engaged again within the three months after that closure.

A person is their e-mail (case aside) and birth date, as Annex 2 identifies them across
requests. The re-engagement is the one `open_dossier` records: a new dossier of the same
operator whose `reengagement_of_unit_id` points to the closed unit (flagged when it opens
within `REENGAGEMENT_MONTHS` of that closure). The counting is `reporting.indicators`'; this
module gives the operator's pages any span of days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from portal.reporting.indicators.journeys import reengagement_counts
from portal.reporting.indicators.periods import Period


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
    """Indicator 6.8 for one operator over the closures of [start, end) (one query: the
    counting is `reporting.indicators.journeys`')."""
    span = Period("month", start, end)  # any span: the counting reads its two bounds only
    counts = reengagement_counts(session, [span], [operator_id])
    closed, reengaged = counts.get((operator_id, None, span.key), (0, 0))
    return Reengagements(start, end, closed, reengaged)

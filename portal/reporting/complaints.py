"""Indicator 8.7, « gestion des réclamations » (CCTP 4.3, every six months): the share of the
complaints an operator received that were followed by a referral to the mediator of France
compétences, per operator and semester.

A complaint belongs to the semester of its receipt (`received_on`). It counts as followed by
a referral once any referral is attached to it, admissible or not (the CCTP counts « une
réclamation auprès du médiateur », not its outcome), whenever it came: a semester's figure
may still rise after the semester ends. Referrals the mediator recorded without a prior
complaint are not an operator's complaint and count in neither number. The counting is
indicator 8.7's (`reporting.indicators.quality.complaint_counts`); this module gives the
mediator's and France compétences' pages their semesters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from portal.reporting.indicators.quality import complaint_counts
from portal.satisfaction.indicators import Semester


@dataclass(frozen=True, slots=True)
class ReferralShare:
    operator_id: int
    semester: Semester
    complaints: int  # received by the operator in the semester
    referred: int  # of them, followed by a referral to the mediator

    @property
    def rate(self) -> float | None:
        """From 0 to 1; None when the operator received no complaint."""
        return self.referred / self.complaints if self.complaints else None


def referral_shares(
    session: Session, semesters: Sequence[Semester], operator_ids: Sequence[int] | None = None
) -> list[ReferralShare]:
    """Indicator 8.7 for each operator (all when `operator_ids` is None: the national view)
    and each semester, in one query; operators × semesters in the order given, an operator
    without complaints included when named."""
    if not semesters:
        return []
    start = min(s.start for s in semesters)
    end = max(s.end for s in semesters) + timedelta(days=1)
    counts = complaint_counts(session, operator_ids, start, end)
    totals: dict[tuple[int, Semester], list[int]] = {}
    for (operator_id,) in counts.rows:
        for semester in semesters:
            first = semester.start.year * 100 + semester.start.month
            last = semester.end.year * 100 + semester.end.month
            received = int(counts.total((operator_id,), first, last, 0))
            if received:
                referred = int(counts.total((operator_id,), first, last, 1))
                totals[(operator_id, semester)] = [received, referred]
    operators = list(operator_ids) if operator_ids is not None else sorted({o for o, _ in totals})
    return [ReferralShare(o, s, *totals.get((o, s), [0, 0])) for o in operators for s in semesters]


def national_totals(
    shares: Sequence[ReferralShare], semesters: Sequence[Semester]
) -> list[ReferralShare]:
    """The national figure of each semester: every operator's complaints and referrals added
    (operator_id 0 stands for « all operators »)."""
    return [
        ReferralShare(
            0,
            semester,
            sum(s.complaints for s in shares if s.semester == semester),
            sum(s.referred for s in shares if s.semester == semester),
        )
        for semester in semesters
    ]


__all__ = ["ReferralShare", "national_totals", "referral_shares"]

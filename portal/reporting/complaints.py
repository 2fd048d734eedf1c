"""Indicator 8.7, « gestion des réclamations » (CCTP 4.3, every six months): the share of the
complaints an operator received that were followed by a referral to the mediator of France
compétences, per operator and semester.

A complaint belongs to the semester of its receipt (`received_on`). It counts as followed by
a referral once any referral is attached to it, admissible or not (the CCTP counts « une
réclamation auprès du médiateur », not its outcome), whenever it came: a semester's figure
may still rise after the semester ends. Referrals the mediator recorded without a prior
complaint are not an operator's complaint and count in neither number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from portal.mediation.models import Complaint, Referral
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
    referred = exists().where(Referral.complaint_id == Complaint.id)
    query = (
        select(
            Complaint.operator_id,
            Complaint.received_on,
            func.count(),
            func.sum(case((referred, 1), else_=0)),
        )
        .where(
            Complaint.received_on >= min(s.start for s in semesters),
            Complaint.received_on <= max(s.end for s in semesters),
        )
        .group_by(Complaint.operator_id, Complaint.received_on)
    )
    if operator_ids is not None:
        query = query.where(Complaint.operator_id.in_(list(operator_ids)))
    totals: dict[tuple[int, Semester], list[int]] = {}
    for operator_id, received_on, count, referrals in session.execute(query):
        semester = Semester.of(received_on)
        if semester in semesters:
            total = totals.setdefault((operator_id, semester), [0, 0])
            total[0] += int(count)
            total[1] += int(referrals or 0)
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

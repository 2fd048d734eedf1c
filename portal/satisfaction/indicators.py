"""Indicator 8.1, « qualité et utilité perçues » (CCTP 4.3): the share of respondents who
found the service both of quality and useful, per operator and semester.

A survey belongs to the semester of its unit's closure (S1 January–June, S2 July–December),
the period of the quality bonus.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from portal.satisfaction.models import Survey

# CCAP 15.3 and 16.2 (quoted by the evaluation, Sauléa L759): the quality bonus is due for
# the semester « dès lors que 80 % des bénéficiaires répondants estiment que le service rendu
# a été utile et de qualité ».
QUALITY_BONUS_THRESHOLD = 0.8
# « Plutôt satisfait » / « plutôt utile » and above (answers go from 1 to 4).
POSITIVE_FROM = 3


@dataclass(frozen=True, slots=True, order=True)
class Semester:
    year: int
    half: int  # 1: January–June, 2: July–December

    @classmethod
    def of(cls, day: date) -> Semester:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def previous(self) -> Semester:
        return Semester(self.year - 1, 2) if self.half == 1 else Semester(self.year, 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def last_semesters(today: date, count: int = 4) -> list[Semester]:
    """The current semester and the ones before it, most recent first."""
    semesters = [Semester.of(today)]
    while len(semesters) < count:
        semesters.append(semesters[-1].previous())
    return semesters


@dataclass(frozen=True, slots=True)
class SatisfactionFigures:
    semester: Semester
    sent: int
    answered: int
    positive: int  # answered both quality and usefulness ≥ POSITIVE_FROM

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None

    @property
    def positive_share(self) -> float | None:
        """Indicator 8.1: among those who answered."""
        return self.positive / self.answered if self.answered else None

    @property
    def reaches_bonus(self) -> bool | None:
        share = self.positive_share
        return None if share is None else share >= QUALITY_BONUS_THRESHOLD


def satisfaction(
    session: Session, operator_id: int, semesters: list[Semester]
) -> list[SatisfactionFigures]:
    """The figures of each semester (one query), in the order given."""
    if not semesters:
        return []
    first = min(s.start for s in semesters)
    last = max(s.end for s in semesters)
    answered = Survey.answered_at.is_not(None)
    positive = and_(answered, Survey.quality >= POSITIVE_FROM, Survey.usefulness >= POSITIVE_FROM)
    rows = session.execute(
        select(
            Survey.closed_on,
            func.count(),
            func.sum(case((answered, 1), else_=0)),
            func.sum(case((positive, 1), else_=0)),
        )
        .where(
            Survey.operator_id == operator_id,
            Survey.closed_on >= first,
            Survey.closed_on <= last,
        )
        .group_by(Survey.closed_on)
    ).all()
    totals: dict[Semester, list[int]] = {s: [0, 0, 0] for s in semesters}
    for closed_on, sent, answers, positives in rows:
        semester = Semester.of(closed_on)
        if semester in totals:
            total = totals[semester]
            total[0] += int(sent)
            total[1] += int(answers or 0)
            total[2] += int(positives or 0)
    return [SatisfactionFigures(s, *totals[s]) for s in semesters]

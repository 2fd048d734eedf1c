"""Indicator 8.1, « qualité et utilité perçues » (CCTP 4.3): the share of respondents who
found the service both of quality and useful, per operator and semester.

A survey belongs to the semester of its unit's closure (S1 January–June, S2 July–December),
the period of the quality bonus. The counting is indicator 8.1's, `reporting.indicators`:
this module gives the operator's pages their semesters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal.reporting.indicators.quality import (
    POSITIVE_FROM,
    QUALITY_BONUS_THRESHOLD,
    survey_counts,
)

# The bonus threshold and the positive answers are indicator 8.1's (`reporting.indicators`).
__all__ = ["POSITIVE_FROM", "QUALITY_BONUS_THRESHOLD", "Semester", "last_semesters", "satisfaction"]


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
    """The figures of each semester (one query: indicator 8.1's counts), in the order given."""
    if not semesters:
        return []
    first = min(s.start for s in semesters)
    end = max(s.end for s in semesters) + timedelta(days=1)
    counts = survey_counts(session, [operator_id], first, end)
    return [
        SatisfactionFigures(
            s,
            *(
                int(counts.total((operator_id,), month_number(s.start), month_number(s.end), i))
                for i in range(3)
            ),
        )
        for s in semesters
    ]


def month_number(day: date) -> int:
    return day.year * 100 + day.month

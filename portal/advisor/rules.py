"""The contract's rules on units: delays, warnings, and which Annex 2 field is due when.

Every figure here is the contract's, cited; views and jobs read them from this one place.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.advisor import reference_data as ref
from portal.advisor.models import UnitKind

# CCTP 1.2.6: UO1 two months from its engagement, UO2.1 six months from its engagement,
# UO2.2 eighteen months from the engagement of the UO2.1.
DELAY_MONTHS = {UnitKind.UO1: 2, UnitKind.UO21: 6, UnitKind.UO22: 18}
# The advisor is warned when this share of the delay has passed.
WARNING_RATIO = 0.8
# Indicator 6.8: a new engagement within three months of a closure is a « ré-engagement
# quasi-immédiat ».
REENGAGEMENT_MONTHS = 3
# A paper livrable signed by the beneficiary on or before the deadline may come back by post
# after it: the automatic closure waits this many days for a livrable already printed for
# signature, before recording the abandon (at the deadline date).
PAPER_RETURN_GRACE_DAYS = 15


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the last day of the month when that day does not exist
    (Code de procédure civile, art. 641: a delay in months ends on the day of the same number)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def unit_deadline(kind: UnitKind, engaged_on: date, uo21_engaged_on: date | None = None) -> date:
    """The last day of a unit (inclusive). UO2.2 counts from the UO2.1's engagement."""
    if kind == UnitKind.UO22:
        if uo21_engaged_on is None:
            raise ValueError("a UO2.2 deadline counts from its UO2.1's engagement")
        return add_months(uo21_engaged_on, DELAY_MONTHS[kind])
    return add_months(engaged_on, DELAY_MONTHS[kind])


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    WARNING = "warning"  # 80 % of the delay has passed
    OVERDUE = "overdue"  # the deadline has passed: the next close-expired run closes it


@dataclass(frozen=True, slots=True)
class DeadlineView:
    deadline: date
    days_left: int
    state: DeadlineState
    elapsed_ratio: float


def deadline_view(engaged_on: date, deadline: date, today: date) -> DeadlineView:
    total = max((deadline - engaged_on).days, 1)
    elapsed = (today - engaged_on).days
    ratio = elapsed / total
    if today > deadline:
        state = DeadlineState.OVERDUE
    elif ratio >= WARNING_RATIO:
        state = DeadlineState.WARNING
    else:
        state = DeadlineState.ON_TRACK
    return DeadlineView(deadline, (deadline - today).days, state, ratio)


class Stage(StrEnum):
    ENGAGEMENT = "engagement"
    CLOSURE = "closure"


@dataclass(frozen=True, slots=True)
class FieldRule:
    """Annex 2: a unit field, its reference table (None for a yes/no or free text), whether
    it holds several values, and the units and stage from which it is required."""

    name: str
    table: str | None
    multiple: bool
    required_for: frozenset[UnitKind]
    stage: Stage


_ALL = frozenset(UnitKind)
_UO2 = frozenset({UnitKind.UO21, UnitKind.UO22})
_UO22 = frozenset({UnitKind.UO22})
_NONE: frozenset[UnitKind] = frozenset()

# Annex 2, section 2: « Obligatoire » per UO block. Entry data (origine, motifs) is due when
# the unit is engaged; what the unit did is due when it closes by the beneficiary's act.
FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("origine", ref.ORIGINE, False, _ALL, Stage.ENGAGEMENT),
    FieldRule("motif", ref.MOTIF, False, _ALL, Stage.ENGAGEMENT),
    FieldRule("motif_detaille", ref.MOTIF_DETAILLE, False, _ALL, Stage.ENGAGEMENT),
    FieldRule("types_service", ref.TYPE_SERVICE, True, _UO2, Stage.CLOSURE),
    FieldRule("prestations", ref.PRESTATION, True, _UO2, Stage.CLOSURE),
    FieldRule("auto_prescription", None, False, _UO2, Stage.CLOSURE),
    FieldRule("financements", ref.FINANCEMENT, True, _UO2, Stage.CLOSURE),
    FieldRule("decouvertes", ref.DECOUVERTE, True, _UO2, Stage.CLOSURE),
    # « Projet de reconversion professionnelle déposé à la CPIR »: Obligatoire « Non ».
    FieldRule("projet_cpir", None, False, _NONE, Stage.CLOSURE),
    FieldRule("description_service", None, False, _UO22, Stage.CLOSURE),
    FieldRule("etat_projet", ref.ETAT_PROJET, False, _UO22, Stage.CLOSURE),
    FieldRule("motif_cloture", ref.MOTIF_CLOTURE, False, _ALL, Stage.CLOSURE),
)
RULES_BY_NAME = {rule.name: rule for rule in FIELD_RULES}

# Fields the advisor edits on the unit's « Données Annexe 2 » form (the closure reason is
# chosen when closing).
EDITABLE_FIELDS = tuple(rule for rule in FIELD_RULES if rule.name != "motif_cloture")


def fields_for(kind: UnitKind) -> tuple[FieldRule, ...]:
    """The fields shown for a unit: UO1 has no UO2 data block (Annex 2)."""
    if kind == UnitKind.UO1:
        return tuple(r for r in EDITABLE_FIELDS if r.stage == Stage.ENGAGEMENT)
    return EDITABLE_FIELDS


def required_fields(kind: UnitKind, stage: Stage) -> tuple[FieldRule, ...]:
    """Required at `stage`: the engagement fields are required at closure too."""
    stages = {Stage.ENGAGEMENT} if stage == Stage.ENGAGEMENT else set(Stage)
    return tuple(r for r in FIELD_RULES if kind in r.required_for and r.stage in stages)

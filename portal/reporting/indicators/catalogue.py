"""Every indicator of CCTP 4.3, in the contract's order, and how to show each figure."""

from __future__ import annotations

from portal.reporting.indicators.catalogue_counts import COUNTS
from portal.reporting.indicators.catalogue_quality import JOURNEYS_AND_QUALITY
from portal.reporting.indicators.definitions import WITHIN_30, Definition, Unit

DEFINITIONS: tuple[Definition, ...] = COUNTS + JOURNEYS_AND_QUALITY
BY_NUMBER: dict[str, Definition] = {d.number: d for d in DEFINITIONS}


def unit_of(number: str, category: str | None) -> Unit:
    """The unit of a figure: its definition's, but a rate for 8.4's « within 30 days »."""
    if number == "8.4" and category == WITHIN_30:
        return "rate"
    return BY_NUMBER[number].unit

"""Recourse by social category and by status (2.3, 2.4): the beneficiaries engaged in UO1 or
UO2 in the period, per category of their profile, over the region's « population CEP »."""

from __future__ import annotations

from collections.abc import Iterator

from portal.reporting.indicators.figures import Figure
from portal.reporting.indicators.sources import Sources

NUMBERS = ("2.3", "2.4")


def figures(sources: Sources) -> Iterator[Figure]:
    return iter(())

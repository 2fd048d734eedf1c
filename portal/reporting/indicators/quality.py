"""Quality (CCTP 4.3, 8.x)."""

from __future__ import annotations

from collections.abc import Iterator

from portal.reporting.indicators.figures import Figure
from portal.reporting.indicators.sources import Sources


def figures(sources: Sources) -> Iterator[Figure]:
    return iter(())

"""The clock: the present moment (UTC) and the calendar day as people in France see it
(Annex 2 dates are days, « AAAA-MM-JJ »).

Every « now » and « today » of the portal is read here, so that tests can freeze time in one
place (`frozen`) instead of racing the wall clock across a second or midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def _wall_clock() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _wall_clock


def now() -> datetime:
    """The present moment, timezone-aware, in UTC."""
    return _source().astimezone(UTC)


def today_in_france() -> date:
    return now().astimezone(PARIS).date()


@contextmanager
def frozen(source: Callable[[], datetime]) -> Iterator[None]:
    """Read the time from `source` (an aware datetime) until the block ends."""
    global _source
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous

"""The calendar day as people in France see it (Annex 2 dates are days, « AAAA-MM-JJ »)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def today_in_france() -> date:
    return datetime.now(PARIS).date()

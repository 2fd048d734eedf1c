"""The answer as the result page tells it: one story, whatever the place.

Where no regional operator covers the person's home nor workplace (Monaco and the collectivités
d'outre-mer: 975, 977, 978, 986, 987, 988), the regional operator is neither promised nor offered
as a choice: the page points to the national operators instead.
"""

from __future__ import annotations

from portal.locator.services import Location, Result
from portal.orientation.rules import Orientation, Reason, Route

# The reasons that promise or offer the regional operator.
_REGIONAL_REASONS = (Reason.ACTIF_OCCUPE, Reason.CHOICE_IS_YOURS)


def uncovered_territory(location: Location) -> str | None:
    """The territory outside every lot when neither home nor workplace has a regional operator."""
    if location.result is Result.FOUND:
        return None
    work = location.work.outside_lots if location.work else None
    return location.home.outside_lots or work or ""


def as_told(orientation: Orientation, uncovered: str | None) -> Orientation:
    """The orientation without the regional operator where none covers the person."""
    if uncovered is None or not orientation.regional_operator_offered:
        return orientation
    return Orientation(
        orientation.route,
        tuple(r for r in orientation.alternatives if r is not Route.OPERATEUR_REGIONAL),
        tuple(r for r in orientation.reasons if r not in _REGIONAL_REASONS),
    )

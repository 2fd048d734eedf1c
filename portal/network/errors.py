"""Why a change to a site, its hours or its closures was refused."""

from __future__ import annotations

from enum import StrEnum


class SiteErrorCode(StrEnum):
    HOURS_EMPTY = "hours_empty"  # a range that closes before it opens
    HOURS_OVERLAP = "hours_overlap"  # a range that overlaps another one of the same day
    BAD_WEEKDAY = "bad_weekday"
    CLOSURE_RANGE = "closure_range"  # ends before it starts
    CLOSURE_PAST = "closure_past"  # ends before today: nothing to close any more
    UNKNOWN_POSTAL_CODE = "unknown_postal_code"
    COMMUNE_NOT_IN_POSTAL_CODE = "commune_not_in_postal_code"
    COMMUNE_OUTSIDE_LOT = "commune_outside_lot"
    NO_MODALITY = "no_modality"
    NOT_FOUND = "not_found"  # an opening range or closure that is not the site's


class SiteError(Exception):
    """A refused change; `params` name what people need to fix it (a range, communes…)."""

    def __init__(self, code: SiteErrorCode, **params: object) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = params

"""Why a booking, a move or a cancellation was refused: codes the views turn into words."""

from __future__ import annotations

from enum import StrEnum


class BookingErrorCode(StrEnum):
    SLOT_TAKEN = "slot_taken"  # someone else booked it first
    SLOT_UNAVAILABLE = "slot_unavailable"  # vanished, withdrawn, or too soon / past
    AFTER_DEADLINE = "after_deadline"  # beyond the 30 jours ouvrés of CCTP 3.3
    MODALITY_NOT_OFFERED = "modality_not_offered"
    WRONG_OPERATOR = "wrong_operator"  # another lot's slot without a traced exception
    NOT_CHANGEABLE = "not_changeable"  # past the cut-off, or no longer booked
    SAME_SLOT = "same_slot"


class BookingError(Exception):
    def __init__(self, code: BookingErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.detail = detail  # which part was refused, e.g. a one-off slot's "absent"

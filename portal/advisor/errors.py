"""Why a unit transition was refused: codes the views turn into words."""

from __future__ import annotations

from enum import StrEnum


class UnitErrorCode(StrEnum):
    APPOINTMENT_NOT_BOOKED = "appointment_not_booked"  # held/missed only from « booked »
    APPOINTMENT_IN_FUTURE = "appointment_in_future"  # it cannot have been held yet
    DOSSIER_HAS_UNITS = "dossier_has_units"  # UO1 opens a dossier, it cannot follow a unit
    OPEN_UNIT = "open_unit"  # one unit at a time: close the current one first
    UO21_NEEDS_SIGNED_UO1 = "uo21_needs_signed_uo1"  # after a UO1, only once it is signed
    UO22_NEEDS_SIGNED_UO21 = "uo22_needs_signed_uo21"  # CCTP 1.2.6: never without a UO2.1
    UO22_PAST_DEADLINE = "uo22_past_deadline"  # 18 months from the UO2.1 are over
    DATE_IN_FUTURE = "date_in_future"
    DATE_BEFORE_START = "date_before_start"  # before the dossier, the unit or the request
    DATE_AFTER_DEADLINE = "date_after_deadline"
    NO_PURCHASE_ORDER = "no_purchase_order"  # no open bon de commande for this UO and year
    MISSING_FIELDS = "missing_fields"  # Annex 2 data due at this stage is missing
    UNKNOWN_CODE = "unknown_code"  # not a value of the reference table
    UNIT_CLOSED = "unit_closed"
    WRONG_UNIT = "wrong_unit"  # e.g. a written closure request on a UO1
    NOT_VOLUNTARY_REASON = "not_voluntary_reason"  # « abandon » is the system's to record
    REFERENT_NOT_ADVISOR = "referent_not_advisor"  # an active advisor of the same operator


class UnitError(Exception):
    def __init__(self, code: UnitErrorCode, detail: str = "", fields: tuple[str, ...] = ()):
        super().__init__(f"{code}: {detail}" if detail else str(code))
        self.code = code
        self.fields = fields

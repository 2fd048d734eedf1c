"""The rules of signing and what it refuses: the error codes, what printing still needs,
when a scan is needed, when the printed text can be reopened, and the checks of a
signature's date, its signer's name, the closure reason and the scan of the signed paper
(type, size, name).

No transition here, nothing written: see `portal.livrables.signing`, which re-exports the
public names of this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import PurePath

from sqlalchemy.orm import Session

from portal.advisor import reference_data as ref
from portal.advisor.models import Unit
from portal.advisor.reference import items
from portal.advisor.rules import Stage
from portal.advisor.unit_work import missing_fields
from portal.clock import PARIS
from portal.livrables.content import missing_for_signature
from portal.livrables.models import (
    Livrable,
    LivrableStatus,
    LivrableVersion,
    SignatureMethod,
    SignatureParty,
)
from portal.livrables.signing_scan import SCAN_TYPES, UnreadableScan, check_readable, sniff
from portal.people.profile_rules import missing_fields as profile_rules_missing


class SigningErrorCode(StrEnum):
    NOT_DRAFT = "not_draft"  # only a draft is printed for signature
    NOT_FROZEN = "not_frozen"  # signatures and scans go to a printed, unsigned livrable
    STALE_DRAFT = "stale_draft"  # the draft changed since the page was shown
    INCOMPLETE = "incomplete"  # Annex 2 data or livrable sections missing (see `missing`)
    UNIT_CLOSED = "unit_closed"
    NOT_CURRENT_VERSION = "not_current_version"  # a voided (reopened) version
    ALREADY_SIGNED = "already_signed"  # reopening is refused once someone signed
    DATE_IN_FUTURE = "date_in_future"
    DATE_BEFORE_ENGAGEMENT = "date_before_engagement"
    DATE_BEFORE_FREEZE = "date_before_freeze"  # signed before it was printed
    DATE_AFTER_DEADLINE = "date_after_deadline"  # the beneficiary, after the unit's deadline
    SIGNER_NAME_MISSING = "signer_name_missing"
    WRONG_METHOD = "wrong_method"  # a paper signature on a version to sign online, or back
    REASON_NOT_VOLUNTARY = "reason_not_voluntary"  # « abandon » is the system's to record
    SCAN_EMPTY = "scan_empty"
    SCAN_TOO_LARGE = "scan_too_large"
    SCAN_TYPE = "scan_type"  # neither PDF, JPEG nor PNG (by its first bytes)
    SCAN_DAMAGED = "scan_damaged"  # looks like one, but does not open (truncated, fake)


class SigningError(Exception):
    def __init__(self, code: SigningErrorCode, missing: tuple[str, ...] = ()) -> None:
        super().__init__(f"{code}: {', '.join(missing)}" if missing else str(code))
        self.code = code
        # INCOMPLETE: Annex 2 field names, then the livrable's keys (`missing_for_signature`).
        self.missing = missing


# The keys of the profile's fields in `SigningError.missing` and `Missing.profile`.
PROFILE_PREFIX = "profile:"

# The default size limit of a scan; the application's is the SCAN_MAX_BYTES setting.
SCAN_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Missing:
    """What stands between a draft and its printing."""

    unit_fields: tuple[str, ...]  # Annex 2 fields (`FIELD_RULES` names)
    livrable: tuple[str, ...]  # section keys, "decision", "steps", "service:<code>"…
    # The person's Annex 2 profile (issue 15 §1), "profile:<field>" (`profile_rules` names).
    profile: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.unit_fields or self.livrable or self.profile)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.unit_fields + self.profile + self.livrable


# --- Rules ------------------------------------------------------------------------------------


def missing_for_printing(livrable: Livrable) -> Missing:
    """The unit's Annex 2 data due at closure, the profile fields due from its unit (Annex 2
    §1: the gate of issue 15 sits at printing), and the livrable's own parts."""
    unit = livrable.unit
    dossier = unit.dossier
    profile = profile_rules_missing(
        dossier.profile, unit.kind, has_structure=dossier.site_id is not None
    )
    return Missing(
        unit_fields=missing_fields(unit, Stage.CLOSURE),
        livrable=tuple(missing_for_signature(livrable.kind, livrable.content)),
        profile=tuple(f"{PROFILE_PREFIX}{name}" for name in profile),
    )


def needs_scan(version: LivrableVersion) -> bool:
    """The one rule that tells paper apart: a paper signature is proven by the scan of the
    signed copy; an online signature carries its own evidence."""
    return version.method == SignatureMethod.PAPER


def can_reopen(livrable: Livrable) -> bool:
    """The printed text goes back to the draft while the beneficiary has not signed it: on
    paper, while nobody signed; online, even after the advisor's own signature (the request
    sent to the person is then withdrawn, and they are told)."""
    version = livrable.current_version
    return (
        livrable.status == LivrableStatus.FROZEN
        and version is not None
        and not any(
            s.party == SignatureParty.BENEFICIARY or s.method == SignatureMethod.PAPER
            for s in version.signatures
        )
        and version.scan is None
    )


def is_complete(version: LivrableVersion) -> bool:
    parties = {s.party for s in version.signatures}
    return set(SignatureParty) <= parties and (not needs_scan(version) or version.scan is not None)


def voluntary_reasons(session: Session) -> list[str]:
    return [i.code for i in items(session, ref.MOTIF_CLOTURE) if i.code != ref.ABANDON]


def freeze_day(version: LivrableVersion) -> date:
    return version.frozen_at.astimezone(PARIS).date()


# --- Checks -----------------------------------------------------------------------------------


def check_date(
    day: date, version: LivrableVersion, unit: Unit, today: date, *, beneficiary: bool
) -> None:
    """A signature's date: neither in the future, nor before the engagement or the printing;
    the beneficiary's not after the unit's deadline either, since the unit closes on it."""
    if day > today:
        raise SigningError(SigningErrorCode.DATE_IN_FUTURE)
    if day < unit.engaged_on:
        raise SigningError(SigningErrorCode.DATE_BEFORE_ENGAGEMENT)
    if day < freeze_day(version):
        raise SigningError(SigningErrorCode.DATE_BEFORE_FREEZE)
    if beneficiary and day > unit.deadline:
        raise SigningError(SigningErrorCode.DATE_AFTER_DEADLINE)


def check_signer_name(signer_name: str) -> str:
    """The name as written, its spaces tidied; refused when blank."""
    name = " ".join(signer_name.split())
    if not name:
        raise SigningError(SigningErrorCode.SIGNER_NAME_MISSING)
    return name[:200]


def check_reason(session: Session, reason: str | None) -> str:
    """The closure reason chosen with the beneficiary's signature: a voluntary one."""
    if reason is None or reason not in voluntary_reasons(session):
        raise SigningError(SigningErrorCode.REASON_NOT_VOLUNTARY)
    return reason


def scan_type(data: bytes, max_bytes: int) -> tuple[str, str]:
    """The content type and file extension of a scan, told by its first bytes and checked by
    opening it (`signing_scan`); refused when empty, over `max_bytes`, neither PDF, JPEG nor
    PNG, or damaged."""
    if not data:
        raise SigningError(SigningErrorCode.SCAN_EMPTY)
    if len(data) > max_bytes:
        raise SigningError(SigningErrorCode.SCAN_TOO_LARGE)
    found = sniff(data)
    if found is None:
        raise SigningError(SigningErrorCode.SCAN_TYPE)
    try:
        check_readable(data, found[0])
    except UnreadableScan as error:
        raise SigningError(SigningErrorCode.SCAN_DAMAGED) from error
    return found


def clean_filename(filename: str, extension: str) -> str:
    """The name as the advisor's computer gave it, without its folders or odd characters."""
    name = PurePath(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w .()-]", "_", name).strip(" .")[:150]
    return name or f"livrable-signe.{extension}"


__all__ = [
    "SCAN_MAX_BYTES",
    "SCAN_TYPES",
    "Missing",
    "SigningError",
    "SigningErrorCode",
    "can_reopen",
    "check_date",
    "check_reason",
    "check_signer_name",
    "clean_filename",
    "freeze_day",
    "is_complete",
    "missing_for_printing",
    "needs_scan",
    "scan_type",
    "voluntary_reasons",
]

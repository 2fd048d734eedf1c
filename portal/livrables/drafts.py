"""The working draft of a livrable: opening it, saving it, its history, and taking over parts
of the UO1 livrable into the UO2.1 one.

- A save names the draft it was based on (`based_on`, the `draft_number` the editor loaded):
  when someone saved since (another tab, a colleague standing in), the save is refused as
  stale, never silently merged or overwritten. The check and the increment are one UPDATE,
  so two saves at the same moment cannot both pass.
- Every save is kept as a `LivrableRevision`; autosaves of the same person less than
  `AUTOSAVE_COALESCE` after their previous autosave update that revision instead, so that
  the history reads as sessions of work rather than keystrokes.
- The content is checked and normalised (`content.normalise`: shape, lengths, dates, service
  codes); the providers of each wished service are snapshotted from the directory at every save,
  so that the signed text proves which list the person was shown (CCTP 2.1.3).
- Nothing is generated or pre-filled: a new livrable starts empty, and text of the UO1
  livrable is copied only when the advisor asks, section by section, appended below what
  is already written (never replacing it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.directory.services import providers_offering, service_codes, snapshot
from portal.livrables.content import TAKEOVER, ContentProblems, empty_content, normalise
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableRevision,
    LivrableStatus,
    RevisionKind,
    SignatureParty,
)
from portal.network.models import StaffMember

KIND_OF_UNIT = {
    UnitKind.UO1: LivrableKind.ETAT_DES_LIEUX,
    UnitKind.UO21: LivrableKind.PROJET_PROFESSIONNEL,
}
# Autosaves of one person closer than this to their previous autosave make one revision.
AUTOSAVE_COALESCE = timedelta(minutes=10)
# Put between what the UO2.1 section already holds and the text taken over from the UO1.
TAKEOVER_SEPARATOR = "\n\n— — —\n\n"


class DraftErrorCode(StrEnum):
    NO_LIVRABLE = "no_livrable"  # a UO2.2 has no livrable
    STALE = "stale"  # saved by someone (or another tab) since this draft was loaded
    NOT_DRAFT = "not_draft"  # printed for signature or signed: read-only
    UNIT_CLOSED = "unit_closed"
    INVALID = "invalid"  # the content does not have the expected shape; see `problems`
    NOT_PROJET = "not_projet"  # a take-over goes into a « Projet professionnel » only
    NO_UO1 = "no_uo1"  # no UO1 livrable in this dossier
    UO1_NOT_SIGNED = "uo1_not_signed"
    UNKNOWN_SECTION = "unknown_section"  # not a section that may be taken over
    NOTHING_CHOSEN = "nothing_chosen"


class DraftError(Exception):
    """A refused save. `problems` lists (path, reason) for INVALID, e.g. ("steps.1.due_on",
    "date") or ("sections.projet", "too_long")."""

    def __init__(
        self, code: DraftErrorCode, problems: tuple[tuple[str, str], ...] = (), detail: str = ""
    ) -> None:
        super().__init__(f"{code}: {detail or problems}" if detail or problems else str(code))
        self.code = code
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Saved:
    revision: LivrableRevision
    # Services whose chosen provider is no longer in the directory's list: choose again.
    cleared_choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TakenOver:
    revision: LivrableRevision
    copied: tuple[str, ...]  # target sections that were empty
    appended: tuple[str, ...]  # target sections that had text: appended below a separator
    unchanged: tuple[str, ...]  # nothing to copy, or the UO1 text is already there


# --- Opening ----------------------------------------------------------------------------------


def find_livrable(session: Session, unit: Unit) -> Livrable | None:
    return session.scalar(select(Livrable).where(Livrable.unit_id == unit.id))


def livrable_for(session: Session, unit: Unit) -> Livrable:
    """The unit's livrable, created empty on first open (UO1: État des lieux partagé, UO2.1:
    Projet professionnel). Two first opens at once end with one livrable."""
    kind = KIND_OF_UNIT.get(unit.kind)
    if kind is None:
        raise DraftError(DraftErrorCode.NO_LIVRABLE, detail=unit.kind.label)
    existing = find_livrable(session, unit)
    if existing is not None:
        return existing
    livrable = Livrable(
        unit_id=unit.id, kind=kind, status=LivrableStatus.DRAFT, content=empty_content(kind)
    )
    try:
        with session.begin_nested():
            session.add(livrable)
            session.flush()
    except IntegrityError:
        found = find_livrable(session, unit)
        assert found is not None
        return found
    return livrable


def uo1_livrable(session: Session, unit: Unit) -> Livrable | None:
    """The État des lieux partagé of the same dossier, when a UO1 preceded this unit."""
    uo1 = next((u for u in unit.dossier.units if u.kind == UnitKind.UO1), None)
    return find_livrable(session, uo1) if uo1 is not None else None


def signed_content(livrable: Livrable) -> dict[str, Any]:
    """What the parties signed: the last version bearing the beneficiary's signature, or the
    draft when no signed version is on record."""
    for version in reversed(livrable.versions):
        if not version.voided_at and version.signature_of(SignatureParty.BENEFICIARY):
            return version.content
    return livrable.content


# --- Saving -----------------------------------------------------------------------------------


def save_draft(
    session: Session,
    livrable: Livrable,
    *,
    content: dict[str, Any],
    based_on: int,
    by: StaffMember,
    autosave: bool,
    now: datetime,
) -> Saved:
    _check_writable(livrable)
    clean, cleared = normalise_content(session, livrable, content)
    _bump(session, livrable, based_on)
    livrable.content = clean
    livrable.updated_at = now
    livrable.updated_by_id = by.id
    kind = RevisionKind.AUTOSAVE if autosave else RevisionKind.SAVE
    revision = _revision(session, livrable, kind, clean, by, now)
    return Saved(revision=revision, cleared_choices=cleared)


def take_over_from_uo1(
    session: Session, livrable: Livrable, *, sections: list[str], by: StaffMember, now: datetime
) -> TakenOver:
    """Copy the chosen sections of the signed UO1 livrable of the same dossier into this
    Projet professionnel, on the advisor's request only (TAKEOVER maps UO1 → UO2.1 keys).
    Text already written in a target section stays: the UO1 text goes below a separator."""
    _check_writable(livrable)
    if livrable.kind != LivrableKind.PROJET_PROFESSIONNEL:
        raise DraftError(DraftErrorCode.NOT_PROJET)
    if not sections:
        raise DraftError(DraftErrorCode.NOTHING_CHOSEN)
    unknown = [key for key in sections if key not in TAKEOVER]
    if unknown:
        raise DraftError(DraftErrorCode.UNKNOWN_SECTION, detail=", ".join(unknown))
    source = uo1_livrable(session, livrable.unit)
    if source is None:
        raise DraftError(DraftErrorCode.NO_UO1)
    if source.status != LivrableStatus.SIGNED and source.unit.closure_kind != ClosureKind.SIGNED:
        raise DraftError(DraftErrorCode.UO1_NOT_SIGNED)
    taken = signed_content(source).get("sections", {})
    content = _copy(livrable.content)
    target_sections = content.setdefault("sections", {})
    copied, appended, unchanged = [], [], []
    for key in dict.fromkeys(sections):  # each once, in the order asked
        target, text = TAKEOVER[key], str(taken.get(key, "")).strip()
        current = str(target_sections.get(target, "")).strip()
        if not text or text in current:
            unchanged.append(target)
        elif not current:
            target_sections[target] = text
            copied.append(target)
        else:
            target_sections[target] = current + TAKEOVER_SEPARATOR + text
            appended.append(target)
    _bump(session, livrable, livrable.draft_number)
    livrable.content = content
    livrable.updated_at = now
    livrable.updated_by_id = by.id
    revision = _revision(session, livrable, RevisionKind.TAKEOVER, content, by, now)
    return TakenOver(revision, tuple(copied), tuple(appended), tuple(unchanged))


def _check_writable(livrable: Livrable) -> None:
    if not livrable.unit.is_open:
        raise DraftError(DraftErrorCode.UNIT_CLOSED)
    if livrable.status != LivrableStatus.DRAFT:
        raise DraftError(DraftErrorCode.NOT_DRAFT)


def _bump(session: Session, livrable: Livrable, based_on: int) -> None:
    """Raise draft_number from `based_on`, in one statement: refused when it moved on."""
    raised = session.execute(
        update(Livrable)
        .where(Livrable.id == livrable.id, Livrable.draft_number == based_on)
        .values(draft_number=based_on + 1)
        .returning(Livrable.draft_number)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if raised is None:
        session.refresh(livrable, ["draft_number"])
        raise DraftError(DraftErrorCode.STALE, detail=f"{based_on} < {livrable.draft_number}")
    set_committed_value(livrable, "draft_number", raised)


def _revision(
    session: Session,
    livrable: Livrable,
    kind: RevisionKind,
    content: dict[str, Any],
    by: StaffMember,
    now: datetime,
) -> LivrableRevision:
    last = session.scalar(
        select(LivrableRevision)
        .where(LivrableRevision.livrable_id == livrable.id)
        .order_by(LivrableRevision.id.desc())
        .limit(1)
    )
    if (
        kind == RevisionKind.AUTOSAVE
        and last is not None
        and last.kind == RevisionKind.AUTOSAVE
        and last.saved_by_id == by.id
        and now - last.saved_at < AUTOSAVE_COALESCE
    ):
        last.content = _copy(content)
        last.saved_at = now
        session.flush()
        return last
    revision = LivrableRevision(
        livrable_id=livrable.id, kind=kind, content=_copy(content), saved_at=now, saved_by_id=by.id
    )
    session.add(revision)
    session.flush()
    return revision


# --- The shape of the content -----------------------------------------------------------------


def normalise_content(
    session: Session, livrable: Livrable, raw: dict[str, Any]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The content in its canonical shape (`content.normalise`), with the providers listed
    for each wished service taken from the operator's directory now."""
    operator_id = livrable.unit.operator_id

    def providers_for(code: str) -> list[dict[str, Any]]:
        return [snapshot(p) for p in providers_offering(session, operator_id, code)]

    try:
        return normalise(
            livrable.kind, raw, services=service_codes(session), providers_for=providers_for
        )
    except ContentProblems as problems:
        raise DraftError(DraftErrorCode.INVALID, problems.problems) from None


def _copy(content: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of plain JSON, so that a revision never shares lists with the draft."""
    copied: dict[str, Any] = json.loads(json.dumps(content))
    return copied

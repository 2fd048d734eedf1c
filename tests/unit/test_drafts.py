"""Livrable drafts: first open, saves and their history, stale saves, the content's shape,
the providers listed for a wished service, and taking over the UO1 livrable on request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.directory.models import Provider, ProviderService
from portal.livrables.content import TAKEOVER
from portal.livrables.drafts import (
    TAKEOVER_SEPARATOR,
    DraftError,
    DraftErrorCode,
    livrable_for,
    save_draft,
    take_over_from_uo1,
)
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableRevision,
    LivrableStatus,
    LivrableVersion,
    RevisionKind,
    Signature,
    SignatureMethod,
    SignatureParty,
)
from portal.network.models import StaffMember
from tests import workspace_data as ws

TODAY = date(2026, 11, 16)
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def edl(**sections: str) -> dict[str, Any]:
    return {"sections": sections, "decision": "uo21"}


def projet(**extra: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "sections": {"projet": "Devenir menuisière."},
        "steps": [],
        "services": [],
        "wants_uo22": None,
    }
    content.update(extra)
    return content


def uo1(session: Session, advisor: StaffMember) -> tuple[Unit, Livrable]:
    unit = ws.engaged(session, advisor, UnitKind.UO1, engaged_on=TODAY, today=TODAY)
    return unit, livrable_for(session, unit)


def save(
    session: Session,
    livrable: Livrable,
    content: dict[str, Any],
    by: StaffMember,
    *,
    at: datetime = NOW,
    autosave: bool = True,
    based_on: int | None = None,
) -> Livrable:
    save_draft(
        session,
        livrable,
        content=content,
        based_on=livrable.draft_number if based_on is None else based_on,
        by=by,
        autosave=autosave,
        now=at,
    )
    return livrable


def revisions(session: Session, livrable: Livrable) -> list[LivrableRevision]:
    return list(
        session.scalars(
            select(LivrableRevision)
            .where(LivrableRevision.livrable_id == livrable.id)
            .order_by(LivrableRevision.id)
        )
    )


# --- Opening ----------------------------------------------------------------------------------


def test_first_open_creates_an_empty_livrable_of_the_unit_kind(session: Session) -> None:
    advisor = ws.staff(session)
    unit, livrable = uo1(session, advisor)
    assert livrable.kind == LivrableKind.ETAT_DES_LIEUX
    assert livrable.status == LivrableStatus.DRAFT
    # Nothing pre-filled: every section is empty, no decision.
    assert livrable.content == {
        "sections": {"situation": "", "informations": "", "next_steps": ""},
        "decision": None,
    }
    assert livrable_for(session, unit) is livrable  # opened again: the same one


def test_a_uo22_has_no_livrable(session: Session) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY)
    unit.kind = UnitKind.UO22  # the editor never opens one
    with pytest.raises(DraftError) as refused:
        livrable_for(session, unit)
    assert refused.value.code == DraftErrorCode.NO_LIVRABLE


# --- Saving and history -----------------------------------------------------------------------


def test_autosaves_of_one_person_within_ten_minutes_make_one_revision(session: Session) -> None:
    advisor = ws.staff(session)
    _unit, livrable = uo1(session, advisor)
    save(session, livrable, edl(situation="Un"), advisor, at=NOW)
    save(session, livrable, edl(situation="Un deux"), advisor, at=NOW + timedelta(minutes=4))
    save(session, livrable, edl(situation="Un deux trois"), advisor, at=NOW + timedelta(minutes=9))
    [only] = revisions(session, livrable)
    assert only.kind == RevisionKind.AUTOSAVE
    assert only.content["sections"]["situation"] == "Un deux trois"
    assert only.saved_at == NOW + timedelta(minutes=9)
    assert livrable.draft_number == 3  # every save counts for the stale check

    # More than ten minutes after the last autosave: a new revision.
    save(session, livrable, edl(situation="Quatre"), advisor, at=NOW + timedelta(minutes=20))
    assert len(revisions(session, livrable)) == 2


def test_a_manual_save_or_another_person_always_adds_a_revision(session: Session) -> None:
    advisor = ws.staff(session)
    colleague = ws.staff(session)
    _unit, livrable = uo1(session, advisor)
    save(session, livrable, edl(situation="a"), advisor, at=NOW)
    save(
        session,
        livrable,
        edl(situation="b"),
        advisor,
        at=NOW + timedelta(minutes=1),
        autosave=False,
    )
    # After a manual save, the next autosave starts a new revision.
    save(session, livrable, edl(situation="c"), advisor, at=NOW + timedelta(minutes=2))
    save(session, livrable, edl(situation="d"), colleague, at=NOW + timedelta(minutes=3))
    kinds = [(r.kind, r.saved_by_id) for r in revisions(session, livrable)]
    assert kinds == [
        (RevisionKind.AUTOSAVE, advisor.id),
        (RevisionKind.SAVE, advisor.id),
        (RevisionKind.AUTOSAVE, advisor.id),
        (RevisionKind.AUTOSAVE, colleague.id),
    ]
    assert livrable.content["sections"]["situation"] == "d"


def test_a_save_based_on_an_older_draft_is_refused_and_changes_nothing(session: Session) -> None:
    advisor = ws.staff(session)
    colleague = ws.staff(session)
    _unit, livrable = uo1(session, advisor)
    opened = livrable.draft_number
    save(session, livrable, edl(situation="Texte du collègue"), colleague, based_on=opened)
    with pytest.raises(DraftError) as refused:
        save(session, livrable, edl(situation="Mon texte"), advisor, based_on=opened)
    assert refused.value.code == DraftErrorCode.STALE
    assert livrable.content["sections"]["situation"] == "Texte du collègue"
    assert len(revisions(session, livrable)) == 1


def test_no_save_once_printed_for_signature_or_the_unit_closed(session: Session) -> None:
    advisor = ws.staff(session)
    unit, livrable = uo1(session, advisor)
    livrable.status = LivrableStatus.FROZEN
    with pytest.raises(DraftError) as refused:
        save(session, livrable, edl(situation="x"), advisor)
    assert refused.value.code == DraftErrorCode.NOT_DRAFT
    livrable.status = LivrableStatus.DRAFT
    close_unit(
        session, unit, kind=ClosureKind.SIGNED, closed_on=TODAY, reason="poursuite", today=TODAY
    )
    with pytest.raises(DraftError) as refused:
        save(session, livrable, edl(situation="x"), advisor)
    assert refused.value.code == DraftErrorCode.UNIT_CLOSED


# --- The shape of the content -----------------------------------------------------------------


def test_content_is_normalised_to_its_kind(session: Session) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY)
    livrable = livrable_for(session, unit)
    blank = dict.fromkeys(("objective", "action", "who", "due_on", "financing"), " ")
    step = {"objective": " CAP ", "action": "S'inscrire", "who": "Camille", "due_on": "2027-03-01"}
    content = projet(
        sections={"projet": "  Menuiserie \r\n d'agencement  ", "invented": "ignored"},
        steps=[blank, step],
        wants_uo22=True,
        decision="uo21",  # not a field of a Projet professionnel
    )
    save(session, livrable, content, advisor)
    assert livrable.content["sections"] == {
        "projet": "Menuiserie \n d'agencement",
        "analyse": "",
        "informations": "",
        "parcours": "",
    }
    # The blank row is not a step; the missing field is there, empty.
    assert livrable.content["steps"] == [
        {
            "objective": "CAP",
            "action": "S'inscrire",
            "who": "Camille",
            "due_on": "2027-03-01",
            "financing": "",
        }
    ]
    assert livrable.content["wants_uo22"] is True
    assert "decision" not in livrable.content


def test_bad_content_is_refused_with_every_problem_named(session: Session) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY)
    livrable = livrable_for(session, unit)
    content = projet(
        sections={"projet": "x" * 20_001},
        steps=[{"objective": "CAP", "due_on": "31/03/2027"}],
        services=[{"code": "aucune"}, {"code": "astrologie"}],
    )
    with pytest.raises(DraftError) as refused:
        save(session, livrable, content, advisor)
    assert refused.value.code == DraftErrorCode.INVALID
    assert set(refused.value.problems) == {
        ("sections.projet", "too_long"),
        ("steps.0.due_on", "date"),
        ("services.aucune", "unknown"),
        ("services.astrologie", "unknown"),
    }
    assert livrable.draft_number == 0


def test_a_wished_service_lists_every_active_provider_of_the_region(session: Session) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY)
    livrable = livrable_for(session, unit)
    operator_id = unit.operator_id
    # A deactivated provider and one of another operator are never listed.
    gone = Provider(operator_id=operator_id, name="Ancien cabinet", active=False)
    gone.service_rows.append(ProviderService(service_code="vae"))
    elsewhere = Provider(operator_id=ws.operator(session, "10").id, name="Cabinet breton")
    elsewhere.service_rows.append(ProviderService(service_code="vae"))
    session.add_all([gone, elsewhere])
    session.flush()
    expected = session.scalars(
        select(Provider)
        .join(ProviderService)
        .where(
            Provider.operator_id == operator_id,
            Provider.active.is_(True),
            ProviderService.service_code == "vae",
        )
    ).all()
    assert len(expected) >= 2
    chosen = expected[-1].id
    save(
        session,
        livrable,
        projet(services=[{"code": "vae", "chosen_provider_id": chosen}]),
        advisor,
    )
    [service] = livrable.content["services"]
    listed = service["providers"]
    assert {p["id"] for p in listed} == {p.id for p in expected}
    names = [p["name"] for p in listed]
    assert names == sorted(names, key=str.casefold)
    assert service["chosen_provider_id"] == chosen and service["undecided"] is False

    # The chosen provider leaves the directory: the choice is cleared, and said so.
    session.get_one(Provider, chosen).active = False
    result = save_draft(
        session,
        livrable,
        content=livrable.content,
        based_on=livrable.draft_number,
        by=advisor,
        autosave=True,
        now=NOW,
    )
    assert result.cleared_choices == ("vae",)
    assert livrable.content["services"][0]["chosen_provider_id"] is None
    assert chosen not in {p["id"] for p in livrable.content["services"][0]["providers"]}


# --- Taking over the UO1 livrable -------------------------------------------------------------


def signed_uo1_then_uo21(session: Session, advisor: StaffMember) -> tuple[Livrable, Livrable]:
    unit, livrable = uo1(session, advisor)
    save(session, livrable, edl(situation="Brouillon jamais signé"), advisor)
    # What was signed is the frozen version, not the draft.
    version = LivrableVersion(
        livrable_id=livrable.id,
        number=1,
        content=edl(situation="Situation signée", informations="Infos signées"),
        content_sha256="0" * 64,
        pdf=b"%PDF-1.4",
        frozen_by_id=advisor.id,
    )
    session.add(version)
    session.flush()
    session.add(
        Signature(
            version_id=version.id,
            party=SignatureParty.BENEFICIARY,
            method=SignatureMethod.PAPER,
            signer_name="Camille Lefèvre",
            signed_on=TODAY,
        )
    )
    livrable.status = LivrableStatus.SIGNED
    close_unit(
        session, unit, kind=ClosureKind.SIGNED, closed_on=TODAY, reason="poursuite", today=TODAY
    )
    session.expire(livrable, ["versions"])
    uo21 = ws.engaged(
        session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY, in_dossier=unit.dossier
    )
    return livrable, livrable_for(session, uo21)


def test_nothing_is_taken_over_until_the_advisor_asks(session: Session) -> None:
    advisor = ws.staff(session)
    _source, target = signed_uo1_then_uo21(session, advisor)
    assert target.content["sections"]["analyse"] == ""
    assert target.content["sections"]["informations"] == ""
    with pytest.raises(DraftError) as refused:
        take_over_from_uo1(session, target, sections=[], by=advisor, now=NOW)
    assert refused.value.code == DraftErrorCode.NOTHING_CHOSEN


def test_take_over_copies_the_signed_text_and_appends_below_existing_text(
    session: Session,
) -> None:
    advisor = ws.staff(session)
    _source, target = signed_uo1_then_uo21(session, advisor)
    written = {"projet": "Devenir menuisière.", "analyse": "Notre analyse"}
    save(session, target, projet(sections=written), advisor)
    before = target.draft_number
    taken = take_over_from_uo1(
        session, target, sections=["situation", "informations"], by=advisor, now=NOW
    )
    assert taken.copied == ("informations",) and taken.appended == ("analyse",)
    sections = target.content["sections"]
    assert sections["informations"] == "Infos signées"
    # Never overwritten: the UO1 text goes below what was written, after a separator.
    assert sections["analyse"] == "Notre analyse" + TAKEOVER_SEPARATOR + "Situation signée"
    assert sections["projet"] == "Devenir menuisière."
    assert target.draft_number == before + 1
    assert revisions(session, target)[-1].kind == RevisionKind.TAKEOVER
    # Asked twice: the text is already there, nothing is doubled.
    again = take_over_from_uo1(session, target, sections=["situation"], by=advisor, now=NOW)
    assert again.unchanged == ("analyse",)
    assert target.content["sections"]["analyse"].count("Situation signée") == 1
    assert set(TAKEOVER) == {"situation", "informations"}


def test_take_over_only_from_the_same_dossier(session: Session) -> None:
    advisor = ws.staff(session)
    source, _target = signed_uo1_then_uo21(session, advisor)
    # The same person, another dossier opened straight in UO2.1: no UO1 to take over.
    person = source.unit.dossier.beneficiary
    other = ws.dossier(session, advisor, opened_on=TODAY, who=person)
    unit = ws.engaged(
        session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY, in_dossier=other
    )
    livrable = livrable_for(session, unit)
    with pytest.raises(DraftError) as refused:
        take_over_from_uo1(session, livrable, sections=["situation"], by=advisor, now=NOW)
    assert refused.value.code == DraftErrorCode.NO_UO1
    assert livrable.content["sections"]["analyse"] == ""


def test_take_over_goes_into_a_projet_professionnel_only(session: Session) -> None:
    advisor = ws.staff(session)
    _unit, livrable = uo1(session, advisor)
    with pytest.raises(DraftError) as refused:
        take_over_from_uo1(session, livrable, sections=["situation"], by=advisor, now=NOW)
    assert refused.value.code == DraftErrorCode.NOT_PROJET

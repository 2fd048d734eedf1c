"""The paper signing of a livrable: every transition, every refusal, and the closure at the
beneficiary's signature date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.models import ClosureKind, Unit, UnitKind, UnitStatus
from portal.advisor.rules import add_months
from portal.clock import PARIS, today_in_france
from portal.esign.models import SealedDocument
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableStatus,
    LivrableVersion,
    SignatureMethod,
    SignatureParty,
)
from portal.livrables.signing import (
    SigningError,
    SigningErrorCode,
    attach_scan,
    complete_if_signed,
    freeze_for_signature,
    needs_scan,
    record_signature,
    reopen_draft,
)
from portal.mail.models import OutboxMessage
from portal.network.models import StaffMember
from portal.satisfaction.models import Survey
from tests.scan_files import FAKE_PDF, FAKE_PNG, real_image, real_pdf, truncated
from tests.workspace_data import engaged, staff

PDF = real_pdf()
PNG = real_image("PNG")
ETAT = {
    "sections": {
        "situation": "Salariée en logistique depuis douze ans, souhaite changer de métier.",
        "informations": "CPF, PTP, Transitions Pro ; les métiers du soin recrutent.",
        "next_steps": "UO2.1 avec le même conseiller, trois entretiens.",
    },
    "decision": "uo21",
}


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), PARIS).astimezone(UTC)


def livrable_of(session: Session, unit: Unit, content: dict[str, Any] | None = None) -> Livrable:
    kind = (
        LivrableKind.ETAT_DES_LIEUX
        if unit.kind == UnitKind.UO1
        else LivrableKind.PROJET_PROFESSIONNEL
    )
    livrable = Livrable(unit=unit, kind=kind, content=dict(content or ETAT), draft_number=1)
    session.add(livrable)
    session.flush()
    return livrable


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16")


@pytest.fixture
def today() -> date:
    return today_in_france()


@pytest.fixture
def frozen(session: Session, advisor: StaffMember, today: date) -> LivrableVersion:
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    livrable = livrable_of(session, unit)
    return freeze_for_signature(session, livrable, by=advisor, now=noon(today))


def sign_both(
    session: Session, version: LivrableVersion, advisor: StaffMember, day: date, today: date
) -> None:
    record_signature(
        session,
        version,
        party=SignatureParty.ADVISOR,
        signed_on=day,
        signer_name=advisor.full_name,
        by=advisor,
        today=today,
    )
    record_signature(
        session,
        version,
        party=SignatureParty.BENEFICIARY,
        signed_on=day,
        signer_name="Camille Lefèvre",
        by=advisor,
        today=today,
        reason="objectif_atteint",
    )


def refused(code: SigningErrorCode) -> Any:
    return pytest.raises(SigningError, match=code.value)


# --- Freezing ---------------------------------------------------------------------------------


def test_freezing_prints_a_version_with_its_hash_and_pdf(
    frozen: LivrableVersion, session: Session
) -> None:
    livrable = frozen.livrable
    assert livrable.status == LivrableStatus.FROZEN
    assert frozen.number == 1
    assert frozen.content == ETAT and frozen.content is not livrable.content
    assert len(frozen.content_sha256) == 64
    assert frozen.pdf.startswith(b"%PDF-")
    assert livrable.current_version is frozen


def test_freezing_is_refused_with_the_list_of_what_is_missing(
    session: Session, advisor: StaffMember, today: date
) -> None:
    unit = engaged(
        session, advisor, UnitKind.UO21, engaged_on=today - timedelta(days=5), today=today
    )
    livrable = livrable_of(session, unit, {"sections": {"projet": "Devenir aide-soignante"}})
    with refused(SigningErrorCode.INCOMPLETE) as caught:
        freeze_for_signature(session, livrable, by=advisor, now=noon(today))
    missing = caught.value.missing
    # Annex 2 data due at the closure of a UO2.1, then the livrable's own parts.
    assert {"types_service", "prestations", "financements", "decouvertes"} <= set(missing)
    assert {"analyse", "informations", "steps", "wants_uo22"} <= set(missing)
    assert livrable.status == LivrableStatus.DRAFT and not livrable.versions


def test_freezing_twice_or_from_a_stale_page_is_refused(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    with refused(SigningErrorCode.NOT_DRAFT):
        freeze_for_signature(session, frozen.livrable, by=advisor, now=noon(today))
    reopen_draft(session, frozen.livrable, by=advisor, now=noon(today))
    with refused(SigningErrorCode.STALE_DRAFT):
        freeze_for_signature(session, frozen.livrable, by=advisor, now=noon(today), draft_number=0)


def test_the_same_content_prints_the_same_pdf(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    from portal.livrables.pdf import livrable_pdf

    again = livrable_pdf(
        session,
        frozen.livrable,
        number=1,
        sha256=frozen.content_sha256,
        at=frozen.frozen_at,
        content=frozen.content,
    )
    assert again == frozen.pdf


# --- Reopening --------------------------------------------------------------------------------


def test_reopening_voids_the_version_and_the_next_printing_is_a_new_one(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    livrable = frozen.livrable
    reopen_draft(session, livrable, by=advisor, now=noon(today))
    assert livrable.status == LivrableStatus.DRAFT
    assert frozen.voided_at is not None and livrable.current_version is None
    second = freeze_for_signature(session, livrable, by=advisor, now=noon(today))
    assert second.number == 2 and second.content_sha256 != frozen.content_sha256
    with refused(SigningErrorCode.NOT_CURRENT_VERSION):
        record_signature(
            session,
            frozen,
            party=SignatureParty.ADVISOR,
            signed_on=today,
            signer_name="X",
            by=advisor,
            today=today,
        )


def test_reopening_is_refused_once_someone_signed_or_the_scan_is_in(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    attach_scan(session, frozen, filename="copie.pdf", data=PDF, by=advisor)
    with refused(SigningErrorCode.ALREADY_SIGNED):
        reopen_draft(session, frozen.livrable, by=advisor, now=noon(today))
    record_signature(
        session,
        frozen,
        party=SignatureParty.ADVISOR,
        signed_on=today,
        signer_name=advisor.full_name,
        by=advisor,
        today=today,
    )
    with refused(SigningErrorCode.ALREADY_SIGNED):
        reopen_draft(session, frozen.livrable, by=advisor, now=noon(today))


def test_a_draft_cannot_be_reopened(session: Session, advisor: StaffMember, today: date) -> None:
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    with refused(SigningErrorCode.NOT_FROZEN):
        reopen_draft(session, livrable_of(session, unit), by=advisor, now=noon(today))


# --- Signature dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "code"),
    [(1, SigningErrorCode.DATE_IN_FUTURE), (-1, SigningErrorCode.DATE_BEFORE_FREEZE)],
)
def test_a_signature_date_is_neither_in_the_future_nor_before_the_printing(
    frozen: LivrableVersion,
    session: Session,
    advisor: StaffMember,
    today: date,
    days: int,
    code: SigningErrorCode,
) -> None:
    with refused(code):
        record_signature(
            session,
            frozen,
            party=SignatureParty.ADVISOR,
            signed_on=today + timedelta(days=days),
            signer_name=advisor.full_name,
            by=advisor,
            today=today,
        )


def test_a_signature_date_is_not_before_the_engagement(
    session: Session, advisor: StaffMember, today: date
) -> None:
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=3), today=today
    )
    # Printed (on paper, with a wrong clock) before the engagement: the engagement still rules.
    version = freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(today - timedelta(days=8))
    )
    with refused(SigningErrorCode.DATE_BEFORE_ENGAGEMENT):
        record_signature(
            session,
            version,
            party=SignatureParty.ADVISOR,
            signed_on=today - timedelta(days=5),
            signer_name=advisor.full_name,
            by=advisor,
            today=today,
        )


def test_the_beneficiary_signs_by_the_deadline_the_advisor_may_countersign_after(
    session: Session, advisor: StaffMember, today: date
) -> None:
    engaged_on = add_months(today, -3)
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=engaged_on, today=today)
    assert unit.deadline < today  # still open: close-expired has not run
    version = freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(engaged_on + timedelta(days=7))
    )
    late = unit.deadline + timedelta(days=1)
    with refused(SigningErrorCode.DATE_AFTER_DEADLINE):
        record_signature(
            session,
            version,
            party=SignatureParty.BENEFICIARY,
            signed_on=late,
            signer_name="Camille Lefèvre",
            by=advisor,
            today=today,
            reason="objectif_atteint",
        )
    record_signature(
        session,
        version,
        party=SignatureParty.ADVISOR,
        signed_on=late,
        signer_name=advisor.full_name,
        by=advisor,
        today=today,
    )
    record_signature(
        session,
        version,
        party=SignatureParty.BENEFICIARY,
        signed_on=unit.deadline,
        signer_name="Camille Lefèvre",
        by=advisor,
        today=today,
        reason="plus_besoin",
    )
    attach_scan(session, version, filename="scan.png", data=PNG, by=advisor)
    assert complete_if_signed(session, version.livrable, by=advisor, today=today)
    assert unit.closed_on == unit.deadline and unit.closure_kind == ClosureKind.SIGNED


def test_the_beneficiary_signature_needs_a_name_and_a_voluntary_reason(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    with refused(SigningErrorCode.SIGNER_NAME_MISSING):
        record_signature(
            session,
            frozen,
            party=SignatureParty.BENEFICIARY,
            signed_on=today,
            signer_name="  ",
            by=advisor,
            today=today,
            reason="objectif_atteint",
        )
    for reason in (None, "abandon", "inconnu"):
        with refused(SigningErrorCode.REASON_NOT_VOLUNTARY):
            record_signature(
                session,
                frozen,
                party=SignatureParty.BENEFICIARY,
                signed_on=today,
                signer_name="Camille Lefèvre",
                by=advisor,
                today=today,
                reason=reason,
            )


def test_recording_a_signature_again_corrects_it(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    for name in ("Camile Lefèvre", "Camille   Lefèvre"):
        record_signature(
            session,
            frozen,
            party=SignatureParty.BENEFICIARY,
            signed_on=today,
            signer_name=name,
            by=advisor,
            today=today,
            reason="poursuite",
        )
    assert [(s.party, s.signer_name) for s in frozen.signatures] == [
        (SignatureParty.BENEFICIARY, "Camille Lefèvre")
    ]


# --- The scan ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", SigningErrorCode.SCAN_EMPTY),
        (b"GIF89a" + b"\x00" * 20, SigningErrorCode.SCAN_TYPE),
        (b"<html><script>alert(1)</script>", SigningErrorCode.SCAN_TYPE),
        (PDF, SigningErrorCode.SCAN_TOO_LARGE),
    ],
)
def test_a_scan_is_a_pdf_jpeg_or_png_within_the_size_limit(
    frozen: LivrableVersion,
    session: Session,
    advisor: StaffMember,
    data: bytes,
    code: SigningErrorCode,
) -> None:
    with refused(code):
        attach_scan(session, frozen, filename="copie.pdf", data=data, by=advisor, max_bytes=64)
    assert frozen.scan is None


@pytest.mark.parametrize(
    "data",
    [
        truncated(real_pdf()),
        truncated(real_image("PNG")),
        truncated(real_image("JPEG")),
        FAKE_PDF,  # a PDF's first bytes and nothing of a PDF behind them
        FAKE_PNG,
    ],
    ids=["truncated-pdf", "truncated-png", "truncated-jpeg", "fake-pdf", "fake-png"],
)
def test_a_truncated_or_fake_scan_is_refused_as_damaged(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, data: bytes
) -> None:
    with refused(SigningErrorCode.SCAN_DAMAGED):
        attach_scan(session, frozen, filename="copie.pdf", data=data, by=advisor)
    assert frozen.scans == []


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (real_pdf(), "application/pdf"),
        (real_image("PNG"), "image/png"),
        (real_image("JPEG"), "image/jpeg"),
    ],
)
def test_a_whole_pdf_png_or_jpeg_is_accepted(
    frozen: LivrableVersion,
    session: Session,
    advisor: StaffMember,
    data: bytes,
    content_type: str,
) -> None:
    scan = attach_scan(session, frozen, filename="copie", data=data, by=advisor)
    assert scan.content_type == content_type


def test_every_uploaded_scan_is_kept_the_latest_counts_until_the_closure(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    first = attach_scan(session, frozen, filename="C:\\Scans\\copie.pdf", data=PDF, by=advisor)
    scan = attach_scan(session, frozen, filename="../../photo<1>.png", data=PNG, by=advisor)
    assert (scan.filename, scan.content_type) == ("photo_1_.png", "image/png")
    assert len(scan.sha256) == 64 and scan.data == PNG
    # The first upload is still there, with its own hash and uploader.
    assert frozen.scans == [first, scan] and frozen.scan is scan
    assert (first.filename, first.data, first.uploaded_by_id) == ("copie.pdf", PDF, advisor.id)
    assert first.sha256 != scan.sha256
    sign_both(session, frozen, advisor, today, today)
    assert complete_if_signed(session, frozen.livrable, by=advisor, today=today)
    with refused(SigningErrorCode.UNIT_CLOSED):
        attach_scan(session, frozen, filename="autre.pdf", data=PDF, by=advisor)
    assert len(frozen.scans) == 2


# --- Completion -------------------------------------------------------------------------------


def test_both_signatures_and_the_scan_close_the_unit_at_the_beneficiary_date(
    session: Session, advisor: StaffMember, today: date
) -> None:
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=20), today=today
    )
    livrable = livrable_of(session, unit)
    version = freeze_for_signature(
        session, livrable, by=advisor, now=noon(today - timedelta(days=6))
    )
    record_signature(
        session,
        version,
        party=SignatureParty.ADVISOR,
        signed_on=today - timedelta(days=5),
        signer_name=advisor.full_name,
        by=advisor,
        today=today,
    )
    assert not complete_if_signed(session, livrable, by=advisor, today=today)
    signature = record_signature(
        session,
        version,
        party=SignatureParty.BENEFICIARY,
        signed_on=today - timedelta(days=4),
        signer_name="Camille Lefèvre",
        by=advisor,
        today=today,
        reason="objectif_atteint",
    )
    # The reason has its own column: `evidence` stays for an online signature's proof.
    assert (signature.closure_reason, signature.evidence) == ("objectif_atteint", None)
    assert not complete_if_signed(session, livrable, by=advisor, today=today)  # no scan yet
    assert unit.status == UnitStatus.OPEN
    attach_scan(session, version, filename="signé.pdf", data=PDF, by=advisor)
    assert complete_if_signed(session, livrable, by=advisor, today=today)

    assert livrable.status == LivrableStatus.SIGNED
    assert unit.status == UnitStatus.CLOSED and unit.closure_kind == ClosureKind.SIGNED
    assert unit.closed_on == today - timedelta(days=4)  # the beneficiary's date
    assert unit.motif_cloture == "objectif_atteint"
    survey = session.scalar(select(Survey).where(Survey.unit_id == unit.id))
    assert survey is not None and survey.closed_on == unit.closed_on
    person = unit.dossier.beneficiary.email
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == person)
    ).all()
    copy = next(m for m in messages if m.topic == f"livrable:{livrable.id}:signed")
    assert [a.mimetype for a in copy.attachments] == ["application/pdf", "application/pdf"]
    sealed = session.get(SealedDocument, version.id)  # the printed PDF, sealed (issue 11)
    assert sealed is not None and copy.attachments[0].content == sealed.pdf
    assert copy.attachments[1].content == PDF
    assert "médiateur" in copy.body_text and "/mon-espace" in copy.body_text
    assert any(m.topic == f"survey:{survey.id}" for m in messages)
    # Nothing more to do once signed.
    assert not complete_if_signed(session, livrable, by=advisor, today=today)


def test_an_online_signature_needs_no_scan(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    """Online, the same transitions without a scan; paper recordings are refused then."""
    assert needs_scan(frozen)  # paper is the default method
    frozen.method = SignatureMethod.ELECTRONIC
    assert not needs_scan(frozen)
    for party, reason in (
        (SignatureParty.ADVISOR, None),
        (SignatureParty.BENEFICIARY, "poursuite"),
    ):
        record_signature(
            session,
            frozen,
            party=party,
            signed_on=today,
            signer_name="Signataire",
            by=advisor,
            today=today,
            method=SignatureMethod.ELECTRONIC,
            reason=reason,
        )
    assert not needs_scan(frozen)
    assert complete_if_signed(session, frozen.livrable, by=advisor, today=today)
    assert frozen.livrable.unit.closure_kind == ClosureKind.SIGNED


def test_nothing_is_signed_on_a_closed_unit(
    frozen: LivrableVersion, session: Session, advisor: StaffMember, today: date
) -> None:
    sign_both(session, frozen, advisor, today, today)
    attach_scan(session, frozen, filename="copie.pdf", data=PDF, by=advisor)
    complete_if_signed(session, frozen.livrable, by=advisor, today=today)
    with refused(SigningErrorCode.UNIT_CLOSED):
        record_signature(
            session,
            frozen,
            party=SignatureParty.ADVISOR,
            signed_on=today,
            signer_name="X",
            by=advisor,
            today=today,
        )

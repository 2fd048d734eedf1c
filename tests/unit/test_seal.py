"""The sealed livrable: its certificate page, its PAdES seal checked by an independent
validator (poppler's pdfsig, trusting the demo CA through an NSS database), and what the
verification says of an intact, altered, unknown or non-PDF copy."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.clock import today_in_france
from portal.esign.certificates import DEMO_CA
from portal.esign.evidence import events_of, verify_chain
from portal.esign.models import EventKind, SealedDocument
from portal.esign.verify import Reason, Result, initials, verify_copy
from portal.livrables.models import LivrableKind, LivrableVersion, SignatureParty
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.network.models import StaffMember
from tests.esign_data import signed_version
from tests.workspace_data import staff


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16", name="Dominique Martin")


@pytest.fixture
def today(clock: object) -> date:
    return today_in_france()


@pytest.fixture
def version(session: Session, advisor: StaffMember, today: date) -> LivrableVersion:
    return signed_version(session, advisor, today)


@pytest.fixture
def sealed(session: Session, version: LivrableVersion) -> SealedDocument:
    row = session.get(SealedDocument, version.id)
    assert row is not None
    return row


def text_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def changed_byte(pdf: bytes) -> bytes:
    """One byte of the signed content changed: a letter of the document's producer."""
    data = bytearray(pdf)
    at = data.index(b"/Producer (") + len(b"/Producer (")
    data[at] ^= 0x01
    return bytes(data)


def test_signing_seals_the_livrable_with_its_certificate_page(
    session: Session, version: LivrableVersion, sealed: SealedDocument, advisor: StaffMember
) -> None:
    livrable_pages = len(PdfReader(io.BytesIO(version.pdf)).pages)
    pages = text_of(sealed.pdf)
    assert len(pages) == livrable_pages + 1
    assert pages[0] == text_of(version.pdf)[0]  # the livrable as printed, untouched
    certificate = pages[-1]
    assert certificate.startswith("Certificat de preuve État des lieux partagé, version 1")
    assert "Le conseiller : Dominique Martin" in certificate
    assert "Le bénéficiaire : Camille Lefèvre" in certificate
    assert "mention « Lu et approuvé »" in certificate
    for label in ("Imprimé pour signature", "Signature manuscrite enregistrée"):
        assert label in certificate
    assert "Exemplaire signé numérisé versé au dossier" in certificate
    assert certificate.count(f"document {version.content_sha256}") == 4
    assert "Aucun service d'horodatage RFC 3161 n'est configuré" in certificate
    assert "https://www.francecompetences.fr/mediateur/" in certificate
    assert "11 rue Scribe, 75009 Paris" in certificate
    assert "/verifier" in certificate
    # The chain as printed, then the seal and the delivery of the copy after it.
    kinds = [e.kind for e in events_of(session, version.id)]
    assert kinds[-2:] == [EventKind.SEALED, EventKind.COPY_DELIVERED]
    assert sealed.chain_length == 4 and f"dernier maillon : {sealed.chain_head}" in certificate
    assert sealed.timestamp == "server" and sealed.tsa_url is None
    assert verify_chain(session, version.id).intact


def test_the_person_is_sent_the_sealed_copy(
    session: Session, version: LivrableVersion, sealed: SealedDocument
) -> None:
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == f"livrable:{version.livrable_id}:signed")
    ).one()
    attachments = session.scalars(
        select(OutboxAttachment).where(OutboxAttachment.message_id == message.id)
    ).all()
    pdfs = [a.content for a in attachments if a.mimetype == "application/pdf"]
    assert sealed.pdf in pdfs and version.pdf not in pdfs


@pytest.fixture
def nss_trusting_the_demo_ca(app: Flask, tmp_path: Path) -> Path:
    """An NSS database for pdfsig that trusts the demo CA, as a relying party would."""
    if not shutil.which("pdfsig") or not shutil.which("certutil"):
        pytest.fail("pdfsig and certutil are missing: run scripts/install-test-deps")
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    ca = Path(app.config["ESIGN_DEMO_DIR"]) / DEMO_CA
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{nss}", "-n", "cep-demo", "-t", "CT,C,C", "-i", str(ca)],
        check=True,
    )
    return nss


def pdfsig(nss: Path, pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True, check=True
    )
    return [line.strip() for line in result.stdout.splitlines()]


def test_pdfsig_finds_the_seal_valid_trusted_and_covering_the_whole_document(
    sealed: SealedDocument, nss_trusting_the_demo_ca: Path, tmp_path: Path
) -> None:
    lines = pdfsig(nss_trusting_the_demo_ca, sealed.pdf, tmp_path)
    assert "Signature #1:" in lines and "Signature #2:" not in lines
    assert "- Signature Field Name: CachetPortailCEP" in lines
    assert "- Signature Type: ETSI.CAdES.detached" in lines  # PAdES
    assert "- Signing Hash Algorithm: SHA-256" in lines
    assert "- Total document signed" in lines
    assert "- Signature Validation: Signature is Valid." in lines
    assert "- Certificate Validation: Certificate is Trusted." in lines


def test_pdfsig_finds_a_copy_with_one_byte_changed_invalid(
    sealed: SealedDocument, nss_trusting_the_demo_ca: Path, tmp_path: Path
) -> None:
    lines = pdfsig(nss_trusting_the_demo_ca, changed_byte(sealed.pdf), tmp_path)
    assert "- Signature Validation: Digest Mismatch." in lines
    assert "- Signature Validation: Signature is Valid." not in lines


# --- What the verification says ---------------------------------------------------------------


def test_an_intact_copy_is_named_with_initials_only(
    session: Session, version: LivrableVersion, sealed: SealedDocument, today: date
) -> None:
    verdict = verify_copy(session, sealed.pdf)
    assert (verdict.result, verdict.reason) == (Result.INTACT, Reason.SEALED)
    facts = verdict.facts
    assert facts is not None
    assert (facts.kind, facts.version) == (LivrableKind.ETAT_DES_LIEUX, 1)
    assert facts.initials == {SignatureParty.ADVISOR: "D. M.", SignatureParty.BENEFICIARY: "C. L."}
    assert facts.signed_on == {SignatureParty.ADVISOR: today, SignatureParty.BENEFICIARY: today}
    assert facts.chain_intact and facts.timestamp == "server"


def test_a_copy_with_one_byte_changed_is_altered(session: Session, sealed: SealedDocument) -> None:
    verdict = verify_copy(session, changed_byte(sealed.pdf))
    assert (verdict.result, verdict.reason, verdict.facts) == (
        Result.ALTERED,
        Reason.CONTENT_CHANGED,
        None,
    )


def test_a_copy_saved_again_after_the_seal_is_altered(
    session: Session, sealed: SealedDocument
) -> None:
    """Someone opens the sealed copy and saves it again, incrementally, with a change."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed.pdf))
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = verify_copy(session, out.getvalue())
    assert (verdict.result, verdict.reason) == (Result.ALTERED, Reason.CHANGED_AFTER_SEAL)


def test_a_pdf_we_did_not_seal_is_unknown(session: Session, version: LivrableVersion) -> None:
    assert verify_copy(session, version.pdf).reason == Reason.NO_SEAL  # printed, not sealed
    assert verify_copy(session, version.pdf).result == Result.UNKNOWN


def test_a_pdf_sealed_with_another_certificate_is_unknown(
    session: Session, version: LivrableVersion, sealed: SealedDocument, tmp_path: Path
) -> None:
    """The same livrable, sealed by someone else's (demo) certificate."""
    from portal.esign.certificates import SealSettings, load_signer
    from portal.esign.seal import _sign

    other = SealSettings("", "", "", tmp_path / "other", allow_demo=True)
    forged = _sign(version.pdf, load_signer(other), "")
    verdict = verify_copy(session, forged)
    assert (verdict.result, verdict.reason) == (Result.UNKNOWN, Reason.NOT_OURS)


def test_a_file_that_is_not_a_pdf_is_invalid(session: Session) -> None:
    assert verify_copy(session, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64).result == Result.INVALID
    broken = verify_copy(session, b"%PDF-1.7\n garbage with no objects at all")
    assert (broken.result, broken.reason) == (Result.INVALID, Reason.UNREADABLE)


def test_initials_keep_compound_names() -> None:
    assert initials("Camille Lefèvre-Martin") == "C. L.-M."
    assert initials("thị lan  Nguyễn") == "T. L. N."

"""The seal's time attested by an RFC 3161 server (`ESIGN_TSA_URL`), against a real local
TSA (tests/tsa_server.py): the token is in the seal's CMS, pdfsig still finds the seal valid,
the verification says « RFC 3161 », and only while the copy carries that very token. A server
that fails leaves the server's time, said so on
the certificate page, and the unit closes all the same."""

from __future__ import annotations

import hashlib
import io
import logging
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from flask import Flask
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock as portal_clock
from portal.advisor.models import ClosureKind, UnitStatus
from portal.clock import today_in_france
from portal.esign.asyncio_bridge import run
from portal.esign.evidence import events_of, verify_chain
from portal.esign.models import EventKind, SealedDocument
from portal.esign.verify import Reason, Result, verify_copy
from portal.livrables.models import LivrableStatus, LivrableVersion
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.network.models import StaffMember
from tests.esign_data import signed_version
from tests.tsa_server import (
    TSA_NAME,
    LocalTsa,
    TsaIdentity,
    make_identity,
    running_tsa,
    seal_signature_value,
    token_over,
    with_tokens,
)
from tests.unit.test_seal import nss_trusting_the_demo_ca, pdfsig, text_of  # noqa: F401
from tests.workspace_data import staff

TOKEN_ATTRIBUTE = "signature_time_stamp_token"  # id-aa-signatureTimeStampToken, RFC 3161 annex A


@pytest.fixture(scope="module")
def identity() -> TsaIdentity:
    return make_identity()


@pytest.fixture
def tsa(app: Flask, identity: TsaIdentity, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalTsa]:
    with running_tsa(identity) as server:
        monkeypatch.setitem(app.config, "ESIGN_TSA_URL", server.url)
        yield server


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16", name="Dominique Martin")


@pytest.fixture
def today(clock: object) -> date:
    return today_in_france()


def seal_of(session: Session, version: LivrableVersion) -> SealedDocument:
    row = session.get(SealedDocument, version.id)
    assert row is not None, "the signed livrable was left unsealed"
    return row


def sealed_event_detail(session: Session, version: LivrableVersion) -> dict[str, object]:
    sealed = [e for e in events_of(session, version.id) if e.kind == EventKind.SEALED]
    assert len(sealed) == 1
    return dict(sealed[0].detail or {})


# --- A TSA that answers -----------------------------------------------------------------------


def test_the_seal_is_timestamped_by_the_configured_server(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    version = signed_version(session, advisor, today)
    sealed = seal_of(session, version)
    assert (sealed.timestamp, sealed.tsa_url) == ("rfc3161", tsa.url)
    assert tsa.tokens_sent >= 1  # the server was really asked, not only configured
    certificate = text_of(sealed.pdf)[-1]
    assert f"Heure attestée par un jeton d'horodatage RFC 3161 de {tsa.url}" in certificate
    assert "Aucun service d'horodatage" not in certificate
    detail = sealed_event_detail(session, version)
    assert (detail["timestamp"], detail["tsa_url"]) == ("rfc3161", tsa.url)
    assert "tsa_failed" not in detail
    assert verify_chain(session, version.id).intact


def test_the_seal_carries_the_servers_token_over_its_signature(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    """What a relying party reads in the CMS: an unsigned signature-time-stamp-token
    attribute, signed by the TSA, whose imprint is the SHA-256 of the seal's signature."""
    sealed = seal_of(session, signed_version(session, advisor, today))
    signature = PdfFileReader(io.BytesIO(sealed.pdf), strict=False).embedded_signatures[-1]
    unsigned = signature.signer_info["unsigned_attrs"]
    tokens = [a for a in unsigned if a["type"].native == TOKEN_ATTRIBUTE]
    assert len(tokens) == 1
    token: cms.ContentInfo = tokens[0]["values"][0]
    signed_data = token["content"]
    tst_info = signed_data["encap_content_info"]["content"].parsed
    imprint = tst_info["message_imprint"]
    assert imprint["hash_algorithm"]["algorithm"].native == "sha256"
    seal_signature = signature.signer_info["signature"].native
    assert imprint["hashed_message"].native == hashlib.sha256(seal_signature).digest()
    subjects = [c.chosen.subject.native["common_name"] for c in signed_data["certificates"]]
    assert TSA_NAME in subjects
    assert abs(tst_info["gen_time"].native - portal_clock.now()) < timedelta(minutes=5)

    # pyHanko checks the token, trusting our TSA's CA as a relying party would trust a real one.
    tsa_ca = ValidationContext(trust_roots=[_asn1(tsa.identity.ca)], allow_fetching=False)
    seal = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
    status = run(
        async_validate_pdf_signature(
            signature, signer_validation_context=seal, ts_validation_context=tsa_ca
        )
    )
    assert status.intact and status.valid
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
    assert status.timestamp_validity.trusted
    assert status.timestamp_validity.signing_cert.subject.native["common_name"] == TSA_NAME


def test_pdfsig_still_finds_the_timestamped_seal_valid(
    session: Session,
    tsa: LocalTsa,
    advisor: StaffMember,
    today: date,
    nss_trusting_the_demo_ca: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    sealed = seal_of(session, signed_version(session, advisor, today))
    lines = pdfsig(nss_trusting_the_demo_ca, sealed.pdf, tmp_path)
    assert "Signature #1:" in lines and "Signature #2:" not in lines
    assert "- Signature Type: ETSI.CAdES.detached" in lines
    assert "- Total document signed" in lines
    assert "- Signature Validation: Signature is Valid." in lines
    assert "- Certificate Validation: Certificate is Trusted." in lines


def test_the_verification_finds_the_copy_intact_with_an_rfc3161_time(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    sealed = seal_of(session, signed_version(session, advisor, today))
    verdict = verify_copy(session, sealed.pdf)
    assert (verdict.result, verdict.reason) == (Result.INTACT, Reason.SEALED)
    assert verdict.facts is not None
    assert verdict.facts.timestamp == "rfc3161" and verdict.facts.chain_intact


def test_the_tsa_certificate_is_recorded_when_sealing(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    version = signed_version(session, advisor, today)
    sealed = seal_of(session, version)
    expected = hashlib.sha256(tsa.identity.certificate.public_bytes(Encoding.DER)).hexdigest()
    assert sealed.tsa_certificate_sha256 == expected
    assert sealed_event_detail(session, version)["tsa_certificate_sha256"] == expected


def test_checking_the_token_leaves_no_traceback_in_the_logs(
    session: Session,
    tsa: LocalTsa,
    advisor: StaffMember,
    today: date,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sealed = seal_of(session, signed_version(session, advisor, today))
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        assert verify_copy(session, sealed.pdf).result == Result.INTACT
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert loud == [], [r.getMessage() for r in loud]


# --- A copy whose token was tampered with ------------------------------------------------------


def test_a_copy_whose_token_was_stripped_is_altered_timestamp_removed(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    sealed = seal_of(session, signed_version(session, advisor, today))
    stripped = with_tokens(sealed.pdf, [])
    assert len(stripped) == len(sealed.pdf) and stripped != sealed.pdf
    signature = PdfFileReader(io.BytesIO(stripped), strict=False).embedded_signatures[-1]
    assert signature.signer_info["unsigned_attrs"].native is None  # the seal itself still holds
    verdict = verify_copy(session, stripped)
    assert (verdict.result, verdict.reason) == (Result.ALTERED, Reason.TIMESTAMP_REMOVED)
    assert verdict.facts is None


def test_a_copy_with_a_token_from_another_tsa_is_altered_timestamp_replaced(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    """A genuine token, over the seal's very signature, from a TSA that did not stamp it."""
    sealed = seal_of(session, signed_version(session, advisor, today))
    other = token_over(make_identity(), seal_signature_value(sealed.pdf))
    verdict = verify_copy(session, with_tokens(sealed.pdf, [other]))
    assert (verdict.result, verdict.reason) == (Result.ALTERED, Reason.TIMESTAMP_REPLACED)


def test_a_token_of_the_same_tsa_over_another_signature_is_replaced(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    """Our TSA's certificate, but an imprint that is not the seal's signature (a token lifted
    from another document)."""
    sealed = seal_of(session, signed_version(session, advisor, today))
    lifted = token_over(tsa.identity, b"the signature of another document")
    verdict = verify_copy(session, with_tokens(sealed.pdf, [lifted]))
    assert (verdict.result, verdict.reason) == (Result.ALTERED, Reason.TIMESTAMP_REPLACED)


def test_a_row_sealed_before_the_certificate_was_recorded_reads_it_from_its_pdf(
    session: Session, tsa: LocalTsa, advisor: StaffMember, today: date
) -> None:
    sealed = seal_of(session, signed_version(session, advisor, today))
    sealed.tsa_certificate_sha256 = None  # as migration 0011 leaves the rows sealed before it
    session.flush()
    assert verify_copy(session, sealed.pdf).result == Result.INTACT
    other = token_over(make_identity(), seal_signature_value(sealed.pdf))
    verdict = verify_copy(session, with_tokens(sealed.pdf, [other]))
    assert (verdict.result, verdict.reason) == (Result.ALTERED, Reason.TIMESTAMP_REPLACED)


# --- A TSA that fails -------------------------------------------------------------------------


def refused_url() -> str:
    """A port on 127.0.0.1 nobody listens on: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


@pytest.mark.parametrize("failure", ["error_500", "garbage", "refused"])
def test_a_failing_server_leaves_the_servers_time_said_so_and_the_unit_closes(
    session: Session,
    app: Flask,
    tsa: LocalTsa,
    advisor: StaffMember,
    today: date,
    monkeypatch: pytest.MonkeyPatch,
    failure: str,
) -> None:
    url = tsa.url
    if failure == "refused":
        url = refused_url()
        monkeypatch.setitem(app.config, "ESIGN_TSA_URL", url)
    else:
        tsa.answer = failure
    version = signed_version(session, advisor, today)  # asserts the livrable completed
    unit = version.livrable.unit
    assert unit.status == UnitStatus.CLOSED and unit.closure_kind == ClosureKind.SIGNED
    assert version.livrable.status == LivrableStatus.SIGNED
    if failure != "refused":
        assert tsa.requests and not tsa.tokens_sent  # asked, and it failed

    sealed = seal_of(session, version)
    assert (sealed.timestamp, sealed.tsa_url) == ("server", None)
    certificate = text_of(sealed.pdf)[-1]
    assert f"Le service d'horodatage RFC 3161 {url} n'a pas répondu" in certificate
    assert "l'heure n'est pas attestée par un tiers" in certificate
    assert "Heure attestée par un jeton" not in certificate
    detail = sealed_event_detail(session, version)
    assert (detail["timestamp"], detail["tsa_url"], detail["tsa_failed"]) == ("server", None, url)
    signature = PdfFileReader(io.BytesIO(sealed.pdf), strict=False).embedded_signatures[-1]
    assert signature.signer_info["unsigned_attrs"].native is None  # no token at all

    verdict = verify_copy(session, sealed.pdf)
    assert verdict.result == Result.INTACT
    assert verdict.facts is not None and verdict.facts.timestamp == "server"
    # The person still gets the sealed copy.
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == f"livrable:{version.livrable_id}:signed")
    ).one()
    attachments = session.scalars(
        select(OutboxAttachment.content).where(OutboxAttachment.message_id == message.id)
    ).all()
    assert sealed.pdf in attachments


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))

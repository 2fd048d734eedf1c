"""`/verifier` and `POST /api/v1/verify`: anyone checks a copy, without an account; four
answers (intact, altered, unknown, not a PDF), initials only, FR and EN. A copy sealed with an
RFC 3161 time (a real local TSA) whose token was stripped or swapped is « altered »."""

from __future__ import annotations

import html as htmllib
import io
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.clock import today_in_france
from portal.esign.models import SealedDocument
from portal.extensions import db
from tests.esign_data import signed_version
from tests.tsa_server import (
    make_identity,
    running_tsa,
    seal_signature_value,
    token_over,
    with_tokens,
)
from tests.workspace_data import staff


def text_of(body: bytes) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass(frozen=True)
class Copies:
    sealed: bytes
    printed: bytes  # the livrable as printed, never sealed
    advisor_name: str
    person_name: str


@pytest.fixture(scope="module")
def copies(app: Flask) -> Copies:
    with app.app_context():
        advisor = staff(db.session, "16", name="Dominique Martin")
        version = signed_version(db.session, advisor, today_in_france())
        sealed = db.session.get(SealedDocument, version.id)
        assert sealed is not None
        db.session.commit()
        person = version.livrable.unit.dossier.beneficiary.full_name
        return Copies(sealed.pdf, version.pdf, advisor.full_name, person)


def altered(pdf: bytes) -> bytes:
    data = bytearray(pdf)
    at = data.index(b"/Producer (") + len(b"/Producer (")
    data[at] ^= 0x01  # one byte of the signed content
    return bytes(data)


@dataclass(frozen=True)
class Stamped:
    sealed: bytes  # sealed with a token of the local TSA
    stripped: bytes  # the same, its token removed
    swapped: bytes  # the same, with another TSA's token over the seal's signature


@pytest.fixture(scope="module")
def stamped(app: Flask) -> Stamped:
    with app.app_context(), running_tsa(make_identity()) as tsa:
        before = app.config["ESIGN_TSA_URL"]
        app.config["ESIGN_TSA_URL"] = tsa.url
        try:
            advisor = staff(db.session, "16", name="Dominique Martin")
            version = signed_version(db.session, advisor, today_in_france())
        finally:
            app.config["ESIGN_TSA_URL"] = before
        sealed = db.session.get(SealedDocument, version.id)
        assert sealed is not None and sealed.timestamp == "rfc3161"
        db.session.commit()
        other = token_over(make_identity(), seal_signature_value(sealed.pdf))
        return Stamped(sealed.pdf, with_tokens(sealed.pdf, []), with_tokens(sealed.pdf, [other]))


NOT_A_PDF = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def post_page(client: FlaskClient, data: bytes | None, *, lang: str = "", name: str = "copie.pdf"):  # type: ignore[no-untyped-def]
    form = {} if data is None else {"file": (io.BytesIO(data), name)}
    url = "/verifier" + (f"?lang={lang}" if lang else "")
    return client.post(url, data=form, content_type="multipart/form-data")


def post_api(client: FlaskClient, data: bytes | None, *, lang: str = ""):  # type: ignore[no-untyped-def]
    form = {} if data is None else {"file": (io.BytesIO(data), "copie.pdf")}
    url = "/api/v1/verify" + (f"?lang={lang}" if lang else "")
    return client.post(url, data=form, content_type="multipart/form-data")


# --- The page ---------------------------------------------------------------------------------


def test_the_page_is_a_plain_form_in_french_and_english(client: FlaskClient) -> None:
    page = client.get("/verifier")
    assert page.status_code == 200
    body = page.data.decode()
    assert "<h1>Vérifier un document signé</h1>" in body
    assert 'enctype="multipart/form-data"' in body
    assert '<label for="file">Le document à vérifier (PDF)</label>' in body
    assert 'type="file" id="file" name="file"' in body and 'aria-describedby="file-hint"' in body
    assert "Vérifier un document signé" in text_of(client.get("/").data)  # footer link
    english = client.get("/verifier?lang=en").data.decode()
    assert "<h1>Check a signed document</h1>" in english
    assert '<label for="file">The document to check (PDF)</label>' in english


def test_an_intact_copy_says_what_it_is_with_initials_only(
    client: FlaskClient, copies: Copies
) -> None:
    answer = post_page(client, copies.sealed)
    assert answer.status_code == 200
    page = text_of(answer.data)
    assert "Document authentique et intact" in page
    assert "État des lieux partagé (UO1), version 1" in page
    assert "Le conseiller D. M., signé le" in page
    assert "Le bénéficiaire C. L., signé le" in page
    assert "Journal de preuve intact" in page
    assert "heure du serveur du portail" in page
    assert copies.advisor_name not in page and copies.person_name not in page
    assert "Lefèvre" not in page


def test_an_altered_copy_is_refused_plainly(client: FlaskClient, copies: Copies) -> None:
    answer = post_page(client, altered(copies.sealed))
    assert answer.status_code == 200
    page = text_of(answer.data)
    assert "Document modifié après sa signature" in page
    assert "son contenu a été modifié après le scellement" in page
    assert "D. M." not in page and "version 1" not in page


def test_an_unknown_pdf_is_unknown(client: FlaskClient, copies: Copies) -> None:
    page = text_of(post_page(client, copies.printed).data)
    assert "Document inconnu de ce portail" in page
    assert "Ce PDF ne porte aucun cachet électronique" in page


def test_a_file_that_is_not_a_pdf_is_refused_with_the_form_again(client: FlaskClient) -> None:
    answer = post_page(client, NOT_A_PDF, name="photo.png")
    assert answer.status_code == 422
    page = text_of(answer.data)
    assert page.strip().startswith("Erreur : Vérifier un document signé")  # the <title>
    assert "Ce fichier n'est pas un PDF" in page
    assert "Choisissez le fichier PDF du document signé" in page
    assert 'type="file" id="file"' in answer.data.decode()


def test_no_file_and_a_file_too_large_are_explained(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing = post_page(client, None)
    assert nothing.status_code == 422
    assert "Choisissez le fichier PDF à vérifier." in text_of(nothing.data)
    assert 'aria-invalid="true"' in nothing.data.decode()
    # (small, so that the test client keeps the request in memory)
    monkeypatch.setitem(app.config, "ESIGN_VERIFY_MAX_BYTES", 200 * 1024)
    big = post_page(client, b"%PDF-1.7\n" + b"0" * (200 * 1024 + 1))
    assert big.status_code == 413
    assert "Ce fichier dépasse 0,2 Mo" in text_of(big.data)


def test_the_answers_in_english(client: FlaskClient, copies: Copies) -> None:
    intact = text_of(post_page(client, copies.sealed, lang="en").data)
    assert "Authentic and intact document" in intact
    assert "Shared assessment (UO1), version 1" in intact
    assert "Evidence log intact" in intact
    changed = text_of(post_page(client, altered(copies.sealed), lang="en").data)
    assert "Document changed after it was signed" in changed
    unknown = text_of(post_page(client, copies.printed, lang="en").data)
    assert "Document unknown to this portal" in unknown
    invalid = text_of(post_page(client, NOT_A_PDF, lang="en").data)
    assert "This file is not a PDF" in invalid


def test_a_copy_whose_timestamp_was_removed_or_replaced_is_altered_fr_and_en(
    client: FlaskClient, stamped: Stamped
) -> None:
    intact = text_of(post_page(client, stamped.sealed).data)
    assert "Document authentique et intact" in intact
    assert "jeton d'horodatage d'un tiers (RFC 3161)" in intact
    stripped = text_of(post_page(client, stamped.stripped).data)
    assert "Document modifié après sa signature" in stripped
    assert "le jeton d'horodatage d'un tiers (RFC 3161) joint au cachet" in stripped
    assert "en a été retiré" in stripped
    swapped = text_of(post_page(client, stamped.swapped).data)
    assert "Document modifié après sa signature" in swapped
    assert "n'est pas celui posé lors du scellement" in swapped
    assert "D. M." not in stripped + swapped  # no facts vouched for
    english = text_of(post_page(client, stamped.stripped, lang="en").data)
    assert "Document changed after it was signed" in english
    assert "time-stamp token (RFC 3161) attached to the seal" in english
    assert "has been removed from it" in english
    english = text_of(post_page(client, stamped.swapped, lang="en").data)
    assert "is not the one placed when it was sealed" in english


# --- The API ----------------------------------------------------------------------------------


def test_the_api_answers_intact_with_the_document_and_initials(
    client: FlaskClient, copies: Copies
) -> None:
    answer = post_api(client, copies.sealed)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["result"] == "intact" and body["reason"] == "sealed"
    assert body["sealed_by_this_portal"] is True
    document = body["document"]
    assert document["kind"] == "etat_des_lieux" and document["version"] == 1
    assert document["signers"] == {"advisor": "D. M.", "beneficiary": "C. L."}
    today = today_in_france().isoformat()
    assert document["signed_on"] == {"advisor": today, "beneficiary": today}
    assert document["timestamp"] == "server"
    assert body["evidence"] == {"chain": "intact"}
    assert copies.person_name not in answer.data.decode()


def test_the_api_answers_altered_unknown_and_invalid(client: FlaskClient, copies: Copies) -> None:
    changed = post_api(client, altered(copies.sealed))
    assert changed.status_code == 200
    assert changed.get_json()["result"] == "altered" and "document" not in changed.get_json()
    unknown = post_api(client, copies.printed)
    assert (unknown.status_code, unknown.get_json()["result"]) == (200, "unknown")
    assert unknown.get_json()["sealed_by_this_portal"] is False
    invalid = post_api(client, NOT_A_PDF)
    assert (invalid.status_code, invalid.get_json()["result"]) == (400, "invalid")
    assert invalid.get_json()["reason"] == "not_pdf"
    nothing = post_api(client, None)
    assert nothing.status_code == 400
    assert nothing.get_json() == {
        "result": "invalid",
        "reason": "no_file",
        "message": "Choisissez le fichier PDF à vérifier.",
    }


def test_the_api_speaks_english_when_asked_and_refuses_a_file_too_large(
    app: Flask, client: FlaskClient, copies: Copies, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = post_api(client, altered(copies.sealed), lang="en").get_json()
    assert english["message"].startswith("This file bears the portal's seal")
    monkeypatch.setitem(app.config, "ESIGN_VERIFY_MAX_BYTES", 200 * 1024)
    big = post_api(client, b"%PDF-1.7\n" + b"0" * (200 * 1024 + 1))
    assert big.status_code == 413 and big.get_json()["reason"] == "too_large"


def test_the_api_says_altered_when_the_timestamp_was_removed_or_replaced(
    client: FlaskClient, stamped: Stamped
) -> None:
    intact = post_api(client, stamped.sealed).get_json()
    assert (intact["result"], intact["document"]["timestamp"]) == ("intact", "rfc3161")
    stripped = post_api(client, stamped.stripped)
    assert stripped.status_code == 200
    body = stripped.get_json()
    assert (body["result"], body["reason"]) == ("altered", "timestamp_removed")
    assert body["sealed_by_this_portal"] is True and "document" not in body
    assert "en a été retiré" in body["message"]
    swapped = post_api(client, stamped.swapped, lang="en").get_json()
    assert (swapped["result"], swapped["reason"]) == ("altered", "timestamp_replaced")
    assert "is not the one placed when it was sealed" in swapped["message"]

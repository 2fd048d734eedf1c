"""The paper signing through the staff screens: print, record both signatures and the scan,
the unit closes and the person receives their copy; refusals in French with 422; another
operator's livrable answers 404; managers read and download only."""

from __future__ import annotations

import html as htmllib
import io
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.advisor.models import ClosureKind, Unit, UnitKind, UnitStatus
from portal.clock import today_in_france
from portal.esign.models import SealedDocument
from portal.extensions import db
from portal.livrables.models import Livrable, LivrableKind, LivrableStatus
from portal.mail.models import OutboxMessage
from portal.network.models import StaffRole
from tests.scan_files import FAKE_PDF, real_image, real_pdf, truncated
from tests.workspace_data import PASSWORD, engaged, sign_in, staff

ETAT = {
    "sections": {
        "situation": "Salariée en logistique depuis douze ans, souhaite changer de métier.",
        "informations": "CPF, PTP, Transitions Pro ; les métiers du soin recrutent.",
        "next_steps": "UO2.1 avec le même conseiller, trois entretiens.",
    },
    "decision": "uo21",
}
SCAN = real_pdf("The signed paper, scanned")


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class Case:
    unit_id: int
    livrable_id: int
    advisor: str
    manager: str
    stranger: str  # an advisor of another operator
    person_email: str


def make_case(app: Flask, content: dict[str, object], kind: UnitKind = UnitKind.UO1) -> Case:
    today = today_in_france()
    with app.app_context():
        session = db.session
        advisor = staff(session, "16")
        unit = engaged(session, advisor, kind, engaged_on=today - timedelta(days=10), today=today)
        livrable = Livrable(
            unit=unit,
            kind=LivrableKind.ETAT_DES_LIEUX
            if kind == UnitKind.UO1
            else LivrableKind.PROJET_PROFESSIONNEL,
            content=content,
            draft_number=1,
        )
        session.add(livrable)
        session.flush()
        case = Case(
            unit.id,
            livrable.id,
            advisor.email,
            staff(session, "16", StaffRole.MANAGER).email,
            staff(session, "10").email,
            unit.dossier.beneficiary.email,
        )
        session.commit()
    return case


@pytest.fixture
def case(app: Flask) -> Case:
    return make_case(app, dict(ETAT))


def as_member(app: Flask, email: str) -> FlaskClient:
    return sign_in(app.test_client(), email)


def livrable(app: Flask, case: Case) -> Livrable:
    livrable = db.session.get_one(Livrable, case.livrable_id)
    db.session.refresh(livrable)
    return livrable


def test_printing_is_refused_while_data_is_missing(app: Flask) -> None:
    case = make_case(app, {"sections": {"projet": "Aide-soignante"}}, UnitKind.UO21)
    client = as_member(app, case.advisor)
    response = client.post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    assert response.status_code == 422
    page = text_of(response.data)
    assert "Le livrable ne peut pas encore être imprimé : il manque" in page
    assert "Données Annexe 2 : Prestations complémentaires" in page
    assert "Analyse de la situation au regard du projet" in page
    assert f'href="/pro/unites/{case.unit_id}/livrable#section-analyse"' in response.data.decode()
    with app.app_context():
        assert livrable(app, case).status == LivrableStatus.DRAFT


def test_the_whole_paper_path_closes_the_unit_and_sends_the_copy(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    today = today_in_france()

    response = client.post(f"{base}/imprimer", data={"draft_number": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{base}#signature")
    with app.app_context():
        version = livrable(app, case).current_version
        assert version is not None
        version_id, sha256 = version.id, version.content_sha256
    pdf = client.get(f"/pro/livrables/versions/{version_id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-") and "no-store" in pdf.headers["Cache-Control"]

    response = client.post(
        f"{base}/signature-conseiller",
        data={"advisor-signed_on": today.isoformat(), "advisor-signer_name": "Le conseiller"},
    )
    assert response.status_code == 303
    response = client.post(
        f"{base}/signature-beneficiaire",
        data={
            "beneficiary-signed_on": today.isoformat(),
            "beneficiary-signer_name": "Camille Lefèvre",
            "beneficiary-motif_cloture": "objectif_atteint",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get_one(Unit, case.unit_id).status == UnitStatus.OPEN  # no scan yet

    response = client.post(
        f"{base}/scan",
        data={"scan-scan": (io.BytesIO(SCAN), "copie signée.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.get_one(Unit, case.unit_id)
        assert unit.status == UnitStatus.CLOSED and unit.closure_kind == ClosureKind.SIGNED
        assert unit.closed_on == today and unit.motif_cloture == "objectif_atteint"
        assert livrable(app, case).status == LivrableStatus.SIGNED
        copy = db.session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.to_address == case.person_email,
                OutboxMessage.topic == f"livrable:{case.livrable_id}:signed",
            )
        )
        assert copy is not None
        sealed = db.session.get(SealedDocument, version_id)  # the printed PDF, sealed
        assert sealed is not None
        assert [a.content for a in copy.attachments] == [sealed.pdf, SCAN]
        assert sha256 in copy.body_text
    scan = client.get(f"/pro/livrables/versions/{version_id}/copie-signee")
    assert scan.status_code == 200 and scan.data == SCAN
    assert scan.headers["Content-Disposition"].startswith("attachment")


def test_a_wrong_date_is_refused_in_french_and_what_was_typed_is_kept(
    app: Flask, case: Case
) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    client.post(f"{base}/imprimer")
    tomorrow = today_in_france() + timedelta(days=1)
    response = client.post(
        f"{base}/signature-beneficiaire",
        data={
            "beneficiary-signed_on": tomorrow.isoformat(),
            "beneficiary-signer_name": "Camille Lefèvre-Martin",
            "beneficiary-motif_cloture": "plus_besoin",
        },
    )
    assert response.status_code == 422
    body = response.data.decode()
    assert "Cette date ne peut pas être dans le futur." in text_of(response.data)
    assert 'value="Camille Lefèvre-Martin"' in body
    assert f'value="{tomorrow.isoformat()}"' in body
    assert '<option value="plus_besoin" selected>' in body
    assert 'aria-invalid="true"' in body


def test_a_scan_that_is_not_a_pdf_or_an_image_is_refused(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    client.post(f"{base}/imprimer")
    response = client.post(
        f"{base}/scan",
        data={"scan-scan": (io.BytesIO(b"MZ\x90\x00 not a scan"), "copie.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG." in text_of(response.data)


@pytest.mark.parametrize(
    ("data", "name"),
    [(truncated(real_image("JPEG")), "photo.jpg"), (FAKE_PDF, "copie.pdf")],
    ids=["truncated-jpeg", "header-only-pdf"],
)
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", "Ce fichier est endommagé ou incomplet : il ne s'ouvre pas."),
        ("en", "This file is damaged or incomplete: it does not open."),
    ],
)
def test_a_damaged_or_fake_scan_is_refused_in_the_persons_language(
    app: Flask, case: Case, data: bytes, name: str, lang: str, words: str
) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    client.post(f"{base}/imprimer")
    response = client.post(
        f"{base}/scan?lang={lang}",
        data={"scan-scan": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert words in text_of(response.data)
    with app.app_context():
        version = livrable(app, case).current_version
        assert version is not None and version.scans == []


def test_every_uploaded_scan_is_kept_and_listed_on_the_signing_page(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    client.post(f"{base}/imprimer")
    first, second = real_pdf("First scan, page cut"), real_image("PNG")
    for data, name in ((first, "premier.pdf"), (second, "second.png")):
        response = client.post(
            f"{base}/scan",
            data={"scan-scan": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 303
    with app.app_context():
        version = livrable(app, case).current_version
        assert version is not None
        assert [s.filename for s in version.scans] == ["premier.pdf", "second.png"]
        hashes = [s.sha256 for s in version.scans]
        version_id = version.id
    page = text_of(client.get(f"/pro/unites/{case.unit_id}/livrable").data)
    assert "Copies signées reçues (2)" in page
    assert "second.png, envoyée le" in page and "la copie qui fait foi" in page
    assert "premier.pdf, envoyée le" in page
    assert all(f"Empreinte SHA-256 : {h}" in page for h in hashes)
    # The latest is the one downloaded.
    download = client.get(f"/pro/livrables/versions/{version_id}/copie-signee")
    assert download.data == second


def test_reopening_before_any_signature(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    client.post(f"{base}/imprimer")
    assert client.post(f"{base}/reprendre").status_code == 303
    with app.app_context():
        assert livrable(app, case).status == LivrableStatus.DRAFT
    assert client.post(f"{base}/reprendre").status_code == 422


def test_another_operator_gets_404(app: Flask, case: Case) -> None:
    as_member(app, case.advisor).post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    with app.app_context():
        version = livrable(app, case).current_version
        assert version is not None
        version_id = version.id
    stranger = as_member(app, case.stranger)
    base = f"/pro/unites/{case.unit_id}/livrable"
    for path in ("imprimer", "reprendre", "signature-conseiller", "signature-beneficiaire", "scan"):
        assert stranger.post(f"{base}/{path}").status_code == 404
    assert stranger.get(f"/pro/livrables/versions/{version_id}.pdf").status_code == 404


def test_a_manager_reads_and_downloads_but_does_not_sign(app: Flask, case: Case) -> None:
    as_member(app, case.advisor).post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    with app.app_context():
        version = livrable(app, case).current_version
        assert version is not None
        version_id = version.id
    manager = as_member(app, case.manager)
    assert manager.get(f"/pro/livrables/versions/{version_id}.pdf").status_code == 200
    base = f"/pro/unites/{case.unit_id}/livrable"
    assert manager.post(f"{base}/reprendre").status_code == 404
    assert manager.post(f"{base}/signature-conseiller").status_code == 404
    editor = manager.get(base)
    if editor.status_code == 200:  # the editor page includes the read-only panel
        page = text_of(editor.data)
        assert "Télécharger le PDF (version 1)" in page
        assert "Enregistrer la signature" not in page


def test_the_editor_shows_the_panel_for_each_step(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    page = text_of(client.get(base).data)
    assert "Imprimer pour signature" in page
    client.post(f"{base}/imprimer")
    page = text_of(client.get(base).data)
    assert "Télécharger le PDF (version 1)" in page
    assert "Reprendre la rédaction" in page
    assert "À faire : signature du conseiller" in page
    assert "Camille Lefèvre" in page  # the beneficiary's name, prefilled


def test_a_scan_over_the_size_limit_gets_a_clear_page(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    base = f"/pro/unites/{case.unit_id}/livrable"
    client.post(f"{base}/imprimer")
    before = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        response = client.post(
            f"{base}/scan",
            data={"scan-scan": (io.BytesIO(SCAN + b"\x00" * 5000), "copie.pdf")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = before
    assert response.status_code == 413
    assert "Fichier trop volumineux" in text_of(response.data)
    assert f'href="{base}#signature"' in response.data.decode()


def test_with_csrf_on_the_signing_forms_post_with_the_page_token(
    app: Flask, case: Case, database_url: str, tmp_path: Path
) -> None:
    from tests.conftest import make_app

    strict = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    try:
        client = strict.test_client()
        login = client.get("/pro/connexion").data.decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token
        data = {"email": case.advisor, "password": PASSWORD, "csrf_token": token[1]}
        assert client.post("/pro/connexion", data=data).status_code == 303
        base = f"/pro/unites/{case.unit_id}/livrable"
        assert client.post(f"{base}/imprimer").status_code == 400  # no token
        page = client.get(base).data.decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        assert client.post(f"{base}/imprimer", data={"csrf_token": token[1]}).status_code == 303
        today = today_in_france().isoformat()
        response = client.post(
            f"{base}/signature-conseiller",
            data={
                "csrf_token": token[1],
                "advisor-signed_on": today,
                "advisor-signer_name": "Le conseiller",
            },
        )
        assert response.status_code == 303  # the prefixed form needs no token of its own
    finally:
        with strict.app_context():
            db.engine.dispose()

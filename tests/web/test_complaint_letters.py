"""The answer letter (issue 12): a PDF attached to the answer's e-mail, carrying the answer and
the mediator's contact, downloaded by the operator's staff and by the person (404 for anyone
else); the person's own attachments downloaded from their space with safe headers; the
person's word on the answer kept while the mediator examines their referral."""

from __future__ import annotations

import uuid
from io import BytesIO

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation.complaints import answer_complaint
from portal.mediation.models import Complaint, Satisfaction
from portal.network.models import StaffMember, StaffRole
from tests.conftest import FrozenClock
from tests.unit.test_complaints import pdf_bytes
from tests.web.test_beneficiary_space import signed_in, text_of
from tests.web.test_complaint_pages import file, form, known_person, new_email
from tests.web.test_complaint_staff import Staff, new_letter, operator_16_staff
from tests.workspace_data import sign_in, staff


@pytest.fixture
def people(app: Flask) -> Staff:
    return operator_16_staff(app)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


def answer(app: Flask, complaint_id: int, words: str, clock: FrozenClock) -> None:
    with app.app_context():
        complaint = db.session.get_one(Complaint, complaint_id)
        manager = staff(db.session, "16", StaffRole.MANAGER)
        manager.operator_id = complaint.operator_id
        answer_complaint(db.session, complaint, by=manager, answer=words, now=clock())
        db.session.commit()


def test_the_answer_email_carries_the_letter_with_the_mediator(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    complaint = new_letter(app, people.manager_id, 3, clock)
    client = sign_in(app.test_client(), people.manager)
    words = f"Votre rendez-vous est fixé au mardi {uuid.uuid4().hex[:6]}."
    client.post(f"/pro/reclamations/{complaint.id}/reponse", data={"answer": words})
    with app.app_context():
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"complaint:answer:{complaint.id}")
        ).one()
        assert "La lettre de réponse est jointe" in mail.body_text
        (attached,) = mail.attachments
        assert attached.mimetype == "application/pdf"
        assert attached.filename == f"reponse-reclamation-{complaint.id}.pdf"
        manager_name = db.session.get_one(StaffMember, people.manager_id).full_name
        letter = pdf_text(attached.content)
    assert words in letter
    assert f"réclamation n° {complaint.id}" in letter
    assert "Médiateur de France compétences" in letter and "tiers indépendant" in letter
    assert app.config["MEDIATOR_URL"] in letter
    assert " ".join(app.config["MEDIATOR_POSTAL_ADDRESS"].split()) in letter
    assert f"/mon-espace/reclamations/{complaint.id}" in letter
    assert manager_name in letter and complaint.last_name in letter


def test_staff_download_the_letter_of_their_operator_only(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    complaint = new_letter(app, people.manager_id, 3, clock)
    url = f"/pro/reclamations/{complaint.id}/reponse.pdf"
    manager = sign_in(app.test_client(), people.manager)
    early = manager.get(url, follow_redirects=True)  # no answer yet, no letter
    assert "pas encore de réponse, ni donc de lettre" in text_of(early.data)
    manager.post(f"/pro/reclamations/{complaint.id}/reponse", data={"answer": "Réponse."})
    page = text_of(manager.get(f"/pro/reclamations/{complaint.id}").data)
    assert "La lettre de réponse (PDF" in page
    for email in (people.manager, people.advisor):
        got = sign_in(app.test_client(), email).get(url)
        assert got.status_code == 200 and got.mimetype == "application/pdf"
        assert "Réponse." in pdf_text(got.data)
        assert got.headers["Content-Disposition"].startswith("attachment;")
    assert sign_in(app.test_client(), people.foreign_manager).get(url).status_code == 404
    assert app.test_client().get(url).status_code in (302, 303)  # staff sign in first


def test_the_person_downloads_their_letter_and_files_and_no_one_else(
    app: Flask, clock: FrozenClock
) -> None:
    owner, other = new_email(), new_email()
    known_person(app, owner)
    known_person(app, other)
    client = signed_in(app, owner)
    data = form(owner, attachments=[(BytesIO(pdf_bytes()), 'Relevé « mars » "2026".pdf')])
    complaint_id = file(client, data)
    base = f"/mon-espace/reclamations/{complaint_id}"
    with app.app_context():
        (attachment,) = db.session.get_one(Complaint, complaint_id).attachments
        piece = f"{base}/pieces/{attachment.id}"
    early = client.get(f"{base}/reponse.pdf")  # not answered yet: back to the page
    assert early.status_code == 303 and early.location.endswith(base)
    got = client.get(piece)
    assert got.status_code == 200 and got.data == pdf_bytes()
    assert got.mimetype == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition
    assert disposition.count('"') == 2 and "\n" not in disposition  # a safe name
    assert f"pieces/{attachment.id}" in client.get(base).get_data(as_text=True)

    answer(app, complaint_id, "Un conseiller vous rappelle demain.", clock)
    assert "La lettre de réponse de votre opérateur (PDF)" in text_of(client.get(base).data)
    letter = client.get(f"{base}/reponse.pdf")
    assert letter.status_code == 200
    assert "Un conseiller vous rappelle demain." in pdf_text(letter.data)
    stranger = signed_in(app, other)
    for url in (f"{base}/reponse.pdf", piece, f"{base}/pieces/{attachment.id + 10**6}"):
        assert stranger.get(url).status_code == 404
    assert app.test_client().get(piece).status_code == 404  # signed out
    assert client.get(f"{base}/pieces/{attachment.id + 10**6}").status_code == 404


def test_the_person_does_not_change_their_word_while_the_mediator_works(
    app: Flask, clock: FrozenClock
) -> None:
    email = new_email()
    known_person(app, email)
    client = signed_in(app, email)
    complaint_id = file(client, form(email))
    url = f"/mon-espace/reclamations/{complaint_id}"
    answer(app, complaint_id, "Réponse de l'opérateur.", clock)
    client.post(f"{url}/satisfaction", data={"satisfied": "no"})
    client.post(f"{url}/mediateur", data={"text": "Aidez-moi."})
    refused = client.post(f"{url}/satisfaction", data={"satisfied": "yes"}, follow_redirects=True)
    assert "votre avis sur la réponse ne peut plus changer" in text_of(refused.data)
    page = text_of(client.get(url).data)
    assert "ne peut plus changer pendant son examen" in page  # said, not offered
    assert "Cette réponse me satisfait" not in page
    with app.app_context():
        assert db.session.get_one(Complaint, complaint_id).satisfied == Satisfaction.NO


def test_someone_known_only_by_their_complaint_follows_it_from_their_space(
    app: Flask, clock: FrozenClock
) -> None:
    email = new_email()  # no booking, no dossier: the footer's form
    complaint_id = file(app.test_client(), form(email))
    answer(app, complaint_id, "Nous vous rappelons demain.", clock)
    client = signed_in(app, email)
    page = client.get(f"/mon-espace/reclamations/{complaint_id}")
    assert page.status_code == 200 and "Nous vous rappelons demain." in text_of(page.data)
    letter = client.get(f"/mon-espace/reclamations/{complaint_id}/reponse.pdf")
    assert "Nous vous rappelons demain." in pdf_text(letter.data)
    assert f"/mon-espace/reclamations/{complaint_id}" in client.get("/mon-espace").get_data(
        as_text=True
    )

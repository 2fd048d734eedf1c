"""The person's side of a complaint (issue 12): the form from every page and from the space,
its refusals (what was typed is kept), the attachments checked on their content, the
acknowledgement e-mail, the complaint's page that only its owner opens, and the referral to
the mediator offered only once admissible."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation.complaints import answer_complaint
from portal.mediation.models import Complaint, ComplaintStatus, Referral
from portal.network.models import StaffRole
from tests.conftest import FrozenClock
from tests.mail_data import text_as_sent
from tests.scan_files import real_image
from tests.web.test_beneficiary_space import signed_in, text_of
from tests.workspace_data import dossier, person, staff

RENNES = "35000"


def form(email: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "last_name": "Lefèvre",
        "first_name": "Camille",
        "email": email,
        "phone": "",
        "home": RENNES,
        "motive": "delai_rendez_vous",
        "text": "Trois semaines sans rendez-vous.",
    }
    return {**data, **changes}


def new_email() -> str:
    return f"camille-{uuid.uuid4().hex[:8]}@example.org"


def known_person(app: Flask, email: str) -> None:
    """A beneficiary with this address (the space sends links to known addresses only)."""
    with app.app_context():
        person(db.session, email=email)
        db.session.commit()


def file(client: FlaskClient, data: dict[str, object]) -> int:
    response = client.post("/reclamation", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, text_of(response.data)
    with app_of(client).app_context():
        found = db.session.scalars(
            select(Complaint.id).where(Complaint.email == str(data["email"]))
        ).all()
    return found[-1]


def app_of(client: FlaskClient) -> Flask:
    return client.application


def test_the_footer_of_every_page_leads_to_the_form(client: FlaskClient) -> None:
    home = client.get("/")
    assert 'href="/reclamation"' in home.get_data(as_text=True)
    page = text_of(client.get("/reclamation").data)
    assert "Faire une réclamation à votre opérateur" in page
    assert "Accueil" in page or "accueil" in page  # the motives come from the reference table


def test_bad_input_is_refused_with_what_was_typed(client: FlaskClient) -> None:
    response = client.post(
        "/reclamation",
        data=form("camille@", home="99999", text="Mon conseiller ne rappelle pas.", motive=""),
    )
    assert response.status_code == 422
    page = text_of(response.data)
    assert 'role="alert"' in response.get_data(as_text=True)
    assert "Cette adresse e-mail n'est pas valide" in page
    assert "Choisissez le motif de votre réclamation." in page
    assert "Aucune commune ne porte le code postal 99999" in page
    assert "Mon conseiller ne rappelle pas." in page
    assert 'value="Lefèvre"' in response.get_data(as_text=True)


def test_attachments_are_refused_with_a_clear_message(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from io import BytesIO

    # A small limit for the test (the default is 10 Mo): the same check, a lighter request.
    monkeypatch.setitem(app.config, "COMPLAINT_ATTACHMENT_MAX_BYTES", 100 * 1024)
    renamed = (BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "lettre.pdf")
    response = client.post(
        "/reclamation",
        data={**form(new_email()), "attachments": [renamed]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = text_of(response.data)
    assert "Le fichier « lettre.pdf » n'est ni un PDF ni une image" in page
    heavy = (BytesIO(b"%PDF-1.7\n" + b"0" * (100 * 1024)), "gros.pdf")
    response = client.post(
        "/reclamation",
        data={**form(new_email()), "attachments": [heavy]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Le fichier « gros.pdf » est trop lourd : 100 Ko au plus" in text_of(response.data)


def test_files_are_asked_again_only_when_some_were_chosen(client: FlaskClient) -> None:
    """A correction loses the chosen files (a browser cannot keep them): said only then."""
    from io import BytesIO

    again = "choisissez-les à nouveau"
    empty = (BytesIO(b""), "")  # what a browser sends for an untouched file input
    nothing = client.post(
        "/reclamation",
        data={**form(new_email(), motive=""), "attachments": [empty]},
        content_type="multipart/form-data",
    )
    assert nothing.status_code == 422 and again not in text_of(nothing.data)
    from tests.unit.test_signing import PDF

    letter = (BytesIO(PDF), "lettre.pdf")
    chosen = client.post(
        "/reclamation",
        data={**form(new_email(), motive=""), "attachments": [letter]},
        content_type="multipart/form-data",
    )
    assert chosen.status_code == 422 and again in text_of(chosen.data)


def test_a_complaint_filed_online_is_acknowledged_by_e_mail(app: Flask) -> None:
    from io import BytesIO

    client, email = app.test_client(), new_email()
    data = form(email, attachments=[(BytesIO(real_image()), "capture.png")])
    complaint_id = file(client, data)
    page = text_of(client.get("/reclamation/envoyee").data)
    assert "Reçue le" in page and "réponse au plus tard le" in page and "CCTP 3.7" in page
    with app.app_context():
        complaint = db.session.get_one(Complaint, complaint_id)
        assert complaint.status == ComplaintStatus.ACKNOWLEDGED
        assert [a.content_type for a in complaint.attachments] == ["image/png"]
        message = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.topic == f"complaint:{complaint_id}:acknowledged"
            )
        ).one()
        assert message.to_address == email
        sent = text_as_sent(app, message)
    assert f"/mon-espace/reclamations/{complaint_id}" in sent
    assert "réponse au plus tard le" in sent
    assert "médiateur de France compétences" in sent


def test_only_its_owner_opens_a_complaint(app: Flask) -> None:
    owner, other = new_email(), new_email()
    known_person(app, owner)
    known_person(app, other)
    complaint_id = file(app.test_client(), form(owner))
    signed_out = app.test_client().get(f"/mon-espace/reclamations/{complaint_id}")
    assert signed_out.status_code == 303 and signed_out.location.endswith("/mon-espace")
    assert signed_in(app, other).get(f"/mon-espace/reclamations/{complaint_id}").status_code == 404
    stranger = signed_in(app, other)
    for action in ("message", "satisfaction", "mediateur"):
        url = f"/mon-espace/reclamations/{complaint_id}/{action}"
        assert stranger.post(url, data={"text": "x", "satisfied": "no"}).status_code == 404
    page = signed_in(app, owner).get(f"/mon-espace/reclamations/{complaint_id}")
    assert page.status_code == 200
    assert "Trois semaines sans rendez-vous." in text_of(page.data)


def test_the_space_prefills_the_form_and_ties_the_complaint_to_the_dossier(app: Flask) -> None:
    email = new_email()
    with app.app_context():
        advisor = staff(db.session, "16")
        folder = dossier(
            db.session,
            advisor,
            opened_on=today_in_france() - timedelta(days=10),
            who=person(db.session, email=email),
        )
        folder_id = folder.id
        db.session.commit()
    client = signed_in(app, email)
    assert "Faire une réclamation" in text_of(client.get("/mon-espace").data)
    page = client.get("/reclamation").get_data(as_text=True)
    assert 'value="Lefèvre"' in page and f'value="{email}"' in page
    assert f'value="{folder_id}" checked' in page
    complaint_id = file(client, form(email, home="", dossier=str(folder_id)))
    with app.app_context():
        assert db.session.get_one(Complaint, complaint_id).dossier_id == folder_id
    assert f"/mon-espace/reclamations/{complaint_id}" in client.get("/mon-espace").get_data(
        as_text=True
    )


def test_the_referral_is_offered_only_once_admissible(app: Flask, clock: FrozenClock) -> None:
    email = new_email()
    known_person(app, email)
    client = signed_in(app, email)
    complaint_id = file(client, form(email))
    url = f"/mon-espace/reclamations/{complaint_id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="refer-button"' not in page and 'id="referral-not-yet"' in page
    assert "vous pourrez saisir le médiateur à partir du" in text_of(page.encode())
    refused = client.post(f"{url}/mediateur", data={"text": ""}, follow_redirects=True)
    assert "ne peut pas encore être saisi" in text_of(refused.data)
    # The operator answers; the person says it does not satisfy them.
    with app.app_context():
        manager = staff(db.session, "16", StaffRole.MANAGER)
        complaint = db.session.get_one(Complaint, complaint_id)
        manager.operator_id = complaint.operator_id
        answer_complaint(db.session, complaint, by=manager, answer="Rappel demain.", now=clock())
        db.session.commit()
    page = text_of(client.get(url).data)
    assert "Rappel demain." in page and "dites d'abord si sa réponse vous satisfait" in page
    client.post(f"{url}/satisfaction", data={"satisfied": "no"})
    page = client.get(url).get_data(as_text=True)
    assert 'id="refer-button"' in page
    client.post(f"{url}/mediateur", data={"text": "Je demande votre aide."})
    page = client.get(url).get_data(as_text=True)
    assert 'id="referral-state"' in page and 'id="refer-button"' not in page
    with app.app_context():
        referral = db.session.scalars(
            select(Referral).where(Referral.complaint_id == complaint_id)
        ).one()
        assert referral.text == "Je demande votre aide."


def test_without_an_answer_the_referral_opens_after_45_days(app: Flask, clock: FrozenClock) -> None:
    email = new_email()
    known_person(app, email)
    client = signed_in(app, email)
    url = f"/mon-espace/reclamations/{file(client, form(email))}"
    clock.advance(days=45)  # the space's session is over: the person signs in again
    assert 'id="refer-button"' not in signed_in(app, email).get(url).get_data(as_text=True)
    clock.advance(days=1)
    page = signed_in(app, email).get(url).get_data(as_text=True)
    assert 'id="refer-button"' in page
    assert "ne vous a pas répondu dans les 45 jours" in text_of(page.encode())


@pytest.mark.parametrize(("bad", "choice"), [("", ""), ("   ", "maybe")])
def test_a_message_or_satisfaction_without_content_is_refused(
    app: Flask, bad: str, choice: str
) -> None:
    email = new_email()
    known_person(app, email)
    client = signed_in(app, email)
    url = f"/mon-espace/reclamations/{file(client, form(email))}"
    response = client.post(f"{url}/message", data={"text": bad})
    assert response.status_code == 422
    assert "Écrivez votre message." in text_of(response.data)
    again = client.post(f"{url}/satisfaction", data={"satisfied": choice}, follow_redirects=True)
    assert "Choisissez si la réponse vous satisfait ou non." in text_of(again.data)

"""The operator's complaint screens (/pro/reclamations) and `flask cep complaint-reminders`:
the queue by next clock with its warnings, the manager's actions and their refusals (what was
typed kept), the answer e-mailed with the mediator's contact, another operator's 404, and one
reminder a day however often the job runs."""

from __future__ import annotations

import html as htmllib
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation.cli import send_complaint_reminders
from portal.mediation.complaints import acknowledge_complaint, answer_complaint
from portal.mediation.models import Complaint, ComplaintStatus
from portal.mediation.staff_emails import reminder_topic
from portal.network.models import StaffMember, StaffRole
from tests.conftest import FrozenClock
from tests.mediation_data import letter
from tests.unit.test_complaints import pdf_bytes
from tests.workspace_data import sign_in, staff


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class Staff:
    manager: str
    manager_id: int
    advisor: str
    foreign_manager: str


def operator_16_staff(app: Flask) -> Staff:
    """A manager and an advisor of operator 16, and a manager of operator 10."""
    with app.app_context():
        manager = staff(db.session, "16", StaffRole.MANAGER)
        found = Staff(
            manager=manager.email,
            manager_id=manager.id,
            advisor=staff(db.session, "16").email,
            foreign_manager=staff(db.session, "10", StaffRole.MANAGER).email,
        )
        db.session.commit()
    return found


@pytest.fixture
def people(app: Flask) -> Staff:
    return operator_16_staff(app)


@dataclass
class Made:
    id: int
    last_name: str
    email: str | None


def new_letter(app: Flask, manager_id: int, days_ago: int, clock: FrozenClock) -> Made:
    with app.app_context():
        manager = db.session.get_one(StaffMember, manager_id)
        complaint = letter(
            db.session,
            manager,
            received_on=clock.today - timedelta(days=days_ago),
            recorded_on=clock.today,
        )
        complaint.last_name = f"Nom-{uuid.uuid4().hex[:8]}"
        made = Made(complaint.id, complaint.last_name, complaint.email)
        db.session.commit()
        return made


def test_the_queue_sorts_by_next_clock_with_warnings_and_overdue(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    late = new_letter(app, people.manager_id, 9, clock)  # acknowledgement 2 days late
    soon = new_letter(app, people.manager_id, 5, clock)  # acknowledgement in 2 days
    calm = new_letter(app, people.manager_id, 0, clock)  # acknowledgement in 7 days
    page = sign_in(app.test_client(), people.manager).get("/pro/reclamations")
    assert page.status_code == 200
    text = text_of(page.data)
    positions = [text.index(c.last_name) for c in (late, soon, calm)]
    assert positions == sorted(positions)
    after_late = text[positions[0] :]
    assert "en retard de 2 jours" in after_late.split(soon.last_name)[0]
    after_soon = text[positions[1] : positions[2]]
    assert "2 jours restants" in after_soon and "(échéance proche)" in after_soon
    assert "7 jours restants" in text[positions[2] :]
    assert "échéance proche" not in text[positions[2] :].split("N°")[0]
    assert "Délai de rendez-vous" in text  # the motive's label
    home = sign_in(app.test_client(), people.manager).get("/pro/")
    assert "/pro/reclamations" in home.data.decode()


def test_another_operators_staff_get_404_and_advisors_only_read(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    complaint = new_letter(app, people.manager_id, 1, clock)
    url = f"/pro/reclamations/{complaint.id}"
    foreign = sign_in(app.test_client(), people.foreign_manager)
    assert foreign.get(url).status_code == 404
    assert foreign.post(f"{url}/accuse-reception").status_code == 404
    assert complaint.last_name not in text_of(foreign.get("/pro/reclamations").data)
    advisor = sign_in(app.test_client(), people.advisor)
    page = advisor.get(url)
    assert page.status_code == 200 and complaint.last_name in text_of(page.data)
    assert "Envoyer la réponse" not in text_of(page.data)
    assert advisor.post(f"{url}/accuse-reception").status_code == 404


def test_the_page_shows_the_clocks_with_their_provenance(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    complaint = new_letter(app, people.manager_id, 0, clock)
    text = text_of(
        sign_in(app.test_client(), people.manager).get(f"/pro/reclamations/{complaint.id}").data
    )
    assert ": accusé de réception au plus tard le" in text
    assert ": réponse au plus tard le" in text
    assert "(7 jours, CCTP 3.7)" in text and "(45 jours, CCTP 3.7)" in text


def test_the_manager_acknowledges_answers_and_closes_and_the_answer_is_emailed(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    complaint = new_letter(app, people.manager_id, 2, clock)
    url = f"/pro/reclamations/{complaint.id}"
    client = sign_in(app.test_client(), people.manager)
    done = client.post(f"{url}/accuse-reception", follow_redirects=True)
    assert "Réception accusée." in text_of(done.data)
    again = client.post(f"{url}/accuse-reception")
    assert again.status_code == 422
    assert "La réception de cette réclamation est déjà accusée." in text_of(again.data)

    empty = client.post(f"{url}/reponse", data={"answer": "   "})
    assert empty.status_code == 422
    assert "Écrivez la réponse à la réclamation." in text_of(empty.data)
    closing = client.post(f"{url}/cloture")
    assert closing.status_code == 422
    assert "Une réclamation se clôt une fois qu'elle a reçu sa réponse." in text_of(closing.data)

    words = f"Nous avons fixé votre rendez-vous {uuid.uuid4().hex[:6]}."
    answered = client.post(f"{url}/reponse", data={"answer": words}, follow_redirects=True)
    assert "Réponse enregistrée et envoyée par e-mail à la personne." in text_of(answered.data)
    with app.app_context():
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"complaint:answer:{complaint.id}")
        ).one()
        assert mail.to_address == complaint.email
        assert words in mail.body_text
        assert "médiateur de France compétences" in mail.body_text
        assert app.config["MEDIATOR_URL"] in mail.body_text
    twice = client.post(f"{url}/reponse", data={"answer": "Autre réponse"})
    assert twice.status_code == 422 and "a déjà sa réponse" in text_of(twice.data)
    assert "Autre réponse" in text_of(twice.data)  # what was typed is kept

    closed = client.post(f"{url}/cloture", follow_redirects=True)
    assert "Réclamation close." in text_of(closed.data)
    late_message = client.post(f"{url}/message", data={"text": "Encore un mot"})
    assert late_message.status_code == 422
    assert "Cette réclamation est close" in text_of(late_message.data)
    assert "Encore un mot" in text_of(late_message.data)


def test_a_message_is_kept_in_the_thread_and_emailed(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    complaint = new_letter(app, people.manager_id, 1, clock)
    url = f"/pro/reclamations/{complaint.id}"
    client = sign_in(app.test_client(), people.manager)
    refused = client.post(f"{url}/message", data={"text": ""})
    assert refused.status_code == 422 and "Écrivez le message." in text_of(refused.data)
    words = f"Pouvez-vous nous rappeler ? {uuid.uuid4().hex[:6]}"
    page = client.post(f"{url}/message", data={"text": words}, follow_redirects=True)
    assert words in text_of(page.data)
    with app.app_context():
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"complaint:message:{complaint.id}")
        ).one()
        assert words in mail.body_text and "médiateur" in mail.body_text


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "channel": "letter",
        "received_on": "",
        "last_name": "Martin",
        "first_name": "Léa",
        "email": "lea.martin@example.org",
        "phone": "",
        "postal_address": "3 rue des Lilas\n35000 Rennes",
        "motive": "accueil",
        "text": "Personne ne m'a rappelée.",
    }
    data.update(changes)
    return data


def test_recording_a_letter_keeps_what_was_typed_on_every_refusal(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    client = sign_in(app.test_client(), people.manager)
    assert client.get("/pro/reclamations/nouvelle").status_code == 200
    tomorrow = (clock.today + timedelta(days=1)).isoformat()
    future = client.post("/pro/reclamations/nouvelle", data=form(received_on=tomorrow))
    assert future.status_code == 422
    text = text_of(future.data)
    assert "La date de réception ne peut pas être dans le futur" in text
    assert "Personne ne m'a rappelée." in text and 'value="Martin"' in future.data.decode()

    missing = client.post("/pro/reclamations/nouvelle", data=form(last_name="", motive="x"))
    assert missing.status_code == 422
    assert "Indiquez le nom de la personne." in text_of(missing.data)
    assert "Personne ne m'a rappelée." in text_of(missing.data)

    day = (clock.today - timedelta(days=3)).isoformat()
    renamed = form(received_on=day, scan=(BytesIO(b"MZ\x90\x00 not a pdf"), "lettre.pdf"))
    bad_file = client.post(
        "/pro/reclamations/nouvelle", data=renamed, content_type="multipart/form-data"
    )
    assert bad_file.status_code == 422
    assert "ni un PDF, ni une image JPEG ou PNG" in text_of(bad_file.data)
    assert "Personne ne m'a rappelée." in text_of(bad_file.data)


def test_recording_a_letter_with_its_scan(app: Flask, people: Staff, clock: FrozenClock) -> None:
    client = sign_in(app.test_client(), people.manager)
    day = (clock.today - timedelta(days=3)).isoformat()
    name = f"Martin-{uuid.uuid4().hex[:6]}"
    data = form(received_on=day, last_name=name, scan=(BytesIO(pdf_bytes()), "lettre.pdf"))
    done = client.post("/pro/reclamations/nouvelle", data=data, content_type="multipart/form-data")
    assert done.status_code == 303
    page = client.get(done.location)
    assert name in text_of(page.data) and "lettre.pdf" in text_of(page.data)
    link = re.search(r'href="(/pro/reclamations/\d+/pieces/\d+)"', page.data.decode())
    assert link is not None
    download = client.get(link.group(1))
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download.headers["Content-Disposition"]
    assert sign_in(app.test_client(), people.foreign_manager).get(link.group(1)).status_code == 404


def test_the_reminders_go_once_a_day_however_often_the_job_runs(
    app: Flask, people: Staff, clock: FrozenClock
) -> None:
    due = new_letter(app, people.manager_id, 6, clock)  # acknowledgement due tomorrow
    answered = new_letter(app, people.manager_id, 44, clock)
    with app.app_context():
        manager = db.session.get_one(StaffMember, people.manager_id)
        row = db.session.get_one(Complaint, answered.id)
        acknowledge_complaint(db.session, row, by=manager, now=clock.now)
        answer_complaint(db.session, row, by=manager, answer="Réponse", now=clock.now)
        assert row.status == ComplaintStatus.ANSWERED
        db.session.commit()
        send_complaint_reminders(db.session, today=clock.today)
        db.session.commit()
        send_complaint_reminders(db.session, today=clock.today)
        db.session.commit()
        topic = reminder_topic(manager, clock.today)
        mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == topic)).all()
        assert len(mails) == 1
        assert due.last_name in mails[0].body_text
        assert answered.last_name not in mails[0].body_text  # answered: nothing is due
        assert f"/pro/reclamations/{due.id}" in mails[0].body_text
        assert "médiateur de France compétences" in mails[0].body_text

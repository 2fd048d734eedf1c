"""« Envois en échec »: a manager sees the failed e-mails of their own operator and sends one
again; another operator's message answers 404; the page works without JavaScript."""

from __future__ import annotations

import html as htmllib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from portal.extensions import db
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.services import enqueue_mail
from portal.mail.sms import enqueue_sms
from portal.network.models import StaffRole
from tests.workspace_data import operator, sign_in, staff

LONG_AGO = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class Failed:
    own: int
    foreign: int
    manager: str
    advisor: str
    subject: str


def failed_message(operator_id: int, subject: str) -> int:
    message = enqueue_mail(
        db.session,
        to="camille@example.org",
        subject=subject,
        text="Bonjour",
        topic="test:failed",
        operator_id=operator_id,
    )
    message.status = OutboxStatus.FAILED
    message.attempts = 61
    message.first_attempt_at = message.next_attempt_at = LONG_AGO
    message.last_error = "ConnectionRefusedError: relay down"
    return message.id


@pytest.fixture
def failed(app: Flask) -> Iterator[Failed]:
    subject = f"Rendez-vous confirmé {uuid.uuid4().hex[:8]}"
    with app.app_context():
        own = failed_message(operator(db.session, "16").id, subject)
        foreign = failed_message(operator(db.session, "10").id, f"Autre opérateur {subject}")
        manager = staff(db.session, "16", StaffRole.MANAGER).email
        advisor = staff(db.session, "16").email
        db.session.commit()
    yield Failed(own, foreign, manager, advisor, subject)
    with app.app_context():
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_([own, foreign])))
        db.session.commit()


def status_of(app: Flask, message_id: int) -> OutboxMessage:
    with app.app_context():
        message = db.session.get_one(OutboxMessage, message_id)
        db.session.expunge(message)
        return message


def test_a_manager_sees_their_operators_failed_mail_and_resends_it(
    app: Flask, failed: Failed
) -> None:
    client: FlaskClient = sign_in(app.test_client(), failed.manager)
    page = client.get("/pro/envois-en-echec")
    assert page.status_code == 200
    text = text_of(page.data)
    assert failed.subject in text
    assert "Autre opérateur" not in text  # another operator's message is not listed
    assert "ConnectionRefusedError: relay down" in text
    assert f'action="/pro/envois-en-echec/{failed.own}/renvoyer"' in page.data.decode()
    assert "Envois en échec" in text_of(client.get("/pro/").data)  # in the navigation

    response = client.post(f"/pro/envois-en-echec/{failed.own}/renvoyer")
    assert response.status_code == 303
    assert response.location.endswith("/pro/envois-en-echec")
    after = text_of(client.get("/pro/envois-en-echec").data)
    assert "Le message à camille@example.org est renvoyé : il partira au prochain envoi." in after
    assert failed.subject not in after.split("renvoyé")[1]  # no longer listed as failed

    message = status_of(app, failed.own)
    assert (message.status, message.attempts, message.first_attempt_at) == (
        OutboxStatus.PENDING,
        0,
        None,
    )
    assert message.next_attempt_at > LONG_AGO  # due now, a fresh schedule

    again = client.post(f"/pro/envois-en-echec/{failed.own}/renvoyer", follow_redirects=True)
    assert "Ce message n'est plus en échec : il a déjà été renvoyé." in text_of(again.data)


def test_another_operators_message_answers_404_and_stays_failed(app: Flask, failed: Failed) -> None:
    client = sign_in(app.test_client(), failed.manager)
    assert client.post(f"/pro/envois-en-echec/{failed.foreign}/renvoyer").status_code == 404
    assert client.post("/pro/envois-en-echec/2147483000/renvoyer").status_code == 404
    assert status_of(app, failed.foreign).status == OutboxStatus.FAILED


def test_an_advisor_does_not_reach_the_screen(app: Flask, failed: Failed) -> None:
    client = sign_in(app.test_client(), failed.advisor)
    assert client.get("/pro/envois-en-echec").status_code == 404
    assert client.post(f"/pro/envois-en-echec/{failed.own}/renvoyer").status_code == 404
    assert status_of(app, failed.own).status == OutboxStatus.FAILED


def test_the_screen_in_english(app: Flask, failed: Failed) -> None:
    client = sign_in(app.test_client(), failed.manager)
    text = text_of(client.get("/pro/envois-en-echec?lang=en").data)
    assert "Failed e-mails" in text and "Send again" in text


def test_a_failed_sms_is_listed_with_its_channel_and_resent(app: Flask, failed: Failed) -> None:
    with app.app_context():
        sms = enqueue_sms(
            db.session,
            to="+33612345678",
            text="Votre code de signature : 482913",
            secrets={"code": "482913"},
            secret_key=app.config["SECRET_KEY"],
            operator_id=operator(db.session, "16").id,
        )
        sms.status = OutboxStatus.FAILED
        sms.last_error = "PermanentDeliveryError: HTTP 400 Bad Request: unknown number"
        db.session.commit()
        sms_id = sms.id
    try:
        client = sign_in(app.test_client(), failed.manager)
        page = client.get("/pro/envois-en-echec")
        card = re.search(
            rf'<li class="card" id="message-{sms_id}">.*?</li>', page.data.decode(), re.S
        )
        assert card is not None
        text = text_of(card.group(0).encode())
        assert "SMS au +33612345678" in text
        assert "Canal SMS" in text
        assert "482913" not in text  # the code is never shown
        # The e-mail next to it says its own channel.
        assert "Canal E-mail" in text_of(page.data)

        response = client.post(f"/pro/envois-en-echec/{sms_id}/renvoyer")
        assert response.status_code == 303
        assert status_of(app, sms_id).status == OutboxStatus.PENDING
    finally:
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == sms_id))
            db.session.commit()

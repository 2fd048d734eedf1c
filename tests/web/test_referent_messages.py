"""The person writes to their référent unique from their space (issue 14 §4, CCTP 2.1.3):
kept on the dossier, e-mailed to the advisor, answered from the dossier and e-mailed back
with a link to the space. Bad input is kept and explained."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor import messages
from portal.advisor.contact_models import DossierMessage, MessageAuthor
from portal.advisor.models import UnitKind
from portal.clock import today_in_france
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import StaffRole
from tests.mail_data import text_as_sent
from tests.web.test_beneficiary_space import signed_in, text_of
from tests.workspace_data import dossier, engaged, person, sign_in, staff


@dataclass(frozen=True)
class Followed:
    email: str
    dossier_id: int
    advisor_email: str
    advisor_name: str
    uo1_email: str  # someone at UO1 only: no référent yet
    uo1_dossier_id: int


@pytest.fixture
def followed(app: Flask, clock: object) -> Followed:
    today = today_in_france()
    with app.app_context():
        session = db.session
        advisor = staff(session, "16", name="Inès Référente")
        who = person(session)
        folder = dossier(session, advisor, opened_on=today - timedelta(days=20), who=who)
        engaged(
            session,
            advisor,
            UnitKind.UO21,
            engaged_on=today - timedelta(days=20),
            today=today,
            in_dossier=folder,
        )
        early = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
        session.commit()
        return Followed(
            who.email,
            folder.id,
            advisor.email,
            advisor.full_name,
            early.dossier.beneficiary.email,
            early.dossier_id,
        )


def _mail_to(session: Session, address: str, topic_like: str) -> OutboxMessage:
    found = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == address, OutboxMessage.topic.like(topic_like))
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert found is not None
    return found


def test_the_space_names_the_referent_and_the_message_reaches_them(
    app: Flask, followed: Followed
) -> None:
    client = signed_in(app, followed.email)
    page = text_of(client.get("/mon-espace").data)
    assert "Mon conseiller référent" in page and followed.advisor_name in page
    url = f"/mon-espace/dossiers/{followed.dossier_id}/message"
    sent = client.post(url, data={f"message-{followed.dossier_id}-text": "Puis-je venir mardi ?"})
    assert sent.status_code == 303
    assert "Puis-je venir mardi ?" in text_of(client.get("/mon-espace").data)
    with app.app_context():
        kept = db.session.scalars(
            select(DossierMessage).where(DossierMessage.dossier_id == followed.dossier_id)
        ).one()
        assert kept.author == MessageAuthor.PERSON and kept.read_at is None
        mail = _mail_to(db.session, followed.advisor_email, f"dossier:{followed.dossier_id}:%")
        text = text_as_sent(app, mail)
        assert "Puis-je venir mardi ?" in text
        assert f"/pro/dossiers/{followed.dossier_id}" in text


def test_bad_messages_are_kept_and_explained(app: Flask, followed: Followed) -> None:
    client = signed_in(app, followed.email)
    url = f"/mon-espace/dossiers/{followed.dossier_id}/message"
    field = f"message-{followed.dossier_id}-text"
    empty = client.post(url, data={field: "   "})
    assert empty.status_code == 422
    assert "Écrivez votre message." in text_of(empty.data)
    long = "Bonjour " + "x" * messages.MESSAGE_MAX_CHARS
    too_long = client.post(url, data={field: long})
    assert too_long.status_code == 422
    assert "4 000 caractères au plus" in text_of(too_long.data)
    assert long in too_long.data.decode()
    with app.app_context():
        assert not db.session.scalars(
            select(DossierMessage).where(DossierMessage.dossier_id == followed.dossier_id)
        ).all()


def test_no_referent_before_uo21_and_no_one_else_s_dossier(app: Flask, followed: Followed) -> None:
    early = signed_in(app, followed.uo1_email)
    assert "Mon conseiller référent" not in text_of(early.get("/mon-espace").data)
    field = {"message-x-text": "Bonjour"}
    assert (
        early.post(
            f"/mon-espace/dossiers/{followed.uo1_dossier_id}/message", data=field
        ).status_code
        == 404
    )
    # Someone else's dossier does not exist for this person; signed out, the space asks in.
    assert (
        early.post(f"/mon-espace/dossiers/{followed.dossier_id}/message", data=field).status_code
        == 404
    )
    anonymous = app.test_client().post(f"/mon-espace/dossiers/{followed.dossier_id}/message")
    assert anonymous.status_code == 303


def test_the_advisor_reads_and_answers_and_the_person_gets_it_by_e_mail(
    app: Flask, followed: Followed
) -> None:
    person_client = signed_in(app, followed.email)
    person_client.post(
        f"/mon-espace/dossiers/{followed.dossier_id}/message",
        data={f"message-{followed.dossier_id}-text": "Où se trouve l'agence ?"},
    )
    advisor = sign_in(app.test_client(), followed.advisor_email)
    home = text_of(advisor.get("/pro/conseiller").data)
    assert "Messages sans réponse" in home
    page = text_of(advisor.get(f"/pro/dossiers/{followed.dossier_id}").data)
    assert "Où se trouve l'agence ?" in page and "sans réponse" in page
    url = f"/pro/dossiers/{followed.dossier_id}/messages"
    empty = advisor.post(url, data={"answer-text": ""})
    assert empty.status_code == 422 and "Écrivez votre réponse." in text_of(empty.data)
    answered = advisor.post(url, data={"answer-text": "Au 3 rue de la Gare."})
    assert answered.status_code == 303
    assert "Messages sans réponse" not in text_of(advisor.get("/pro/conseiller").data)
    with app.app_context():
        mail = _mail_to(db.session, followed.email, f"dossier:{followed.dossier_id}:answer:%")
        text = text_as_sent(app, mail)
        assert "Au 3 rue de la Gare." in text
        assert re.search(r"https?://\S+/mon-espace\b", text)
    assert "Au 3 rue de la Gare." in text_of(person_client.get("/mon-espace").data)


def test_a_manager_reads_the_thread_but_does_not_answer(app: Flask, followed: Followed) -> None:
    with app.app_context():
        manager = staff(db.session, "16", role=StaffRole.MANAGER)
        db.session.commit()
        email = manager.email
    client = sign_in(app.test_client(), email)
    page = client.get(f"/pro/dossiers/{followed.dossier_id}").data.decode()
    assert "Messages avec la personne" in page
    assert f'action="/pro/dossiers/{followed.dossier_id}/messages"' not in page
    refused = client.post(
        f"/pro/dossiers/{followed.dossier_id}/messages", data={"answer-text": "x"}
    )
    assert refused.status_code == 404

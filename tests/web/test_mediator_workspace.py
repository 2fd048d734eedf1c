"""The mediator's workspace (/pro/mediateur): the referral queue of every lot in a constant
number of statements, a referral recorded from a letter (bad input kept), the admissibility
decision (the operator's correspondants médiation and the person e-mailed), the outcome that
closes it, and the mediator's home page."""

from __future__ import annotations

import html as htmllib
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation import mediator_queue
from portal.mediation.complaints import answer_complaint, state_satisfaction
from portal.mediation.contacts import mediation_contacts
from portal.mediation.mediator_queue import QueueState, referral_queue
from portal.mediation.models import Admissible, Outcome, Referral
from portal.mediation.referrals import refer_to_mediator
from portal.network.models import StaffMember, StaffRole
from tests.conftest import FrozenClock
from tests.mediation_data import at, letter
from tests.workspace_data import operator, sign_in, staff


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class People:
    mediator: str
    manager: str
    manager_id: int


@pytest.fixture
def people(app: Flask) -> People:
    with app.app_context():
        manager = staff(db.session, "16", StaffRole.MANAGER)
        found = People(
            mediator=staff(db.session, role=StaffRole.MEDIATOR).email,
            manager=manager.email,
            manager_id=manager.id,
        )
        db.session.commit()
    return found


def referred(app: Flask, manager_id: int, clock: FrozenClock, *, email: bool = True) -> int:
    """A complaint answered 10 days ago, the person not satisfied, referred today."""
    with app.app_context():
        manager = db.session.get_one(StaffMember, manager_id)
        day = clock.today - timedelta(days=20)
        complaint = letter(db.session, manager, received_on=day)
        complaint.last_name = f"Nom-{uuid.uuid4().hex[:8]}"
        if not email:
            complaint.email = None
        answer_complaint(
            db.session, complaint, by=manager, answer="Nous avons fait le nécessaire.", now=at(day)
        )
        state_satisfaction(db.session, complaint, satisfied=False, now=clock.now)
        referral = refer_to_mediator(
            db.session, complaint, text="Rien n'a changé.", now=clock.now, today=clock.today
        )
        db.session.commit()
        return referral.id


def get_referral(app: Flask, referral_id: int) -> Referral:
    with app.app_context():
        referral = db.session.get_one(Referral, referral_id)
        db.session.expunge(referral)
        return referral


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_queue_reads_every_referral_in_a_constant_number_of_statements(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    ids = [referred(app, people.manager_id, clock) for _ in range(6)]
    with app.app_context():
        with counted(app) as statements:
            rows = referral_queue(db.session, today=clock.today, state=QueueState.ALL)
            for row in rows:  # what the page reads of each row
                read = (row.referral.operator.name, row.referral.complaint)
                assert read[0]
        assert {row.referral.id for row in rows} >= set(ids)
        assert len(statements) <= 2, statements
    client = sign_in(app.test_client(), people.mediator)
    with app.app_context(), counted(app) as statements:
        response = client.get("/pro/mediateur/saisines")
    assert response.status_code == 200
    assert len(statements) <= 15, len(statements)


def test_the_queue_lists_pending_first_and_filters(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    pending = referred(app, people.manager_id, clock)
    closed = referred(app, people.manager_id, clock)
    client = sign_in(app.test_client(), people.mediator)
    response = client.post(
        f"/pro/mediateur/saisines/{closed}/recevabilite",
        data={"admissible": "0", "reason": "Hors du champ de la médiation."},
    )
    assert response.status_code == 303
    every = client.get("/pro/mediateur/saisines?etat=toutes").get_data(as_text=True)
    assert every.index(f'id="saisine-{pending}"') < every.index(f'id="saisine-{closed}"')
    assert "Lot 16" in every and "Non recevable" in every
    open_only = client.get("/pro/mediateur/saisines?etat=ouvertes").get_data(as_text=True)
    assert f'id="saisine-{pending}"' in open_only and f'id="saisine-{closed}"' not in open_only
    closed_only = client.get("/pro/mediateur/saisines?etat=closes").get_data(as_text=True)
    assert f'id="saisine-{closed}"' in closed_only and f'id="saisine-{pending}"' not in closed_only
    odd = client.get("/pro/mediateur/saisines?etat=<script>")
    assert odd.status_code == 200
    assert "Ce filtre n'existe pas" in text_of(odd.data)
    assert f'id="saisine-{pending}"' in odd.get_data(as_text=True)
    # The queue opens on the referrals in progress.
    first = client.get("/pro/mediateur/saisines").get_data(as_text=True)
    assert f'id="saisine-{pending}"' in first and f'id="saisine-{closed}"' not in first


def test_the_queue_comes_in_pages(
    app: Flask, people: People, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mediator_queue, "PER_PAGE", 1)
    older = referred(app, people.manager_id, clock)
    newer = referred(app, people.manager_id, clock)
    client = sign_in(app.test_client(), people.mediator)
    first = text_of(client.get("/pro/mediateur/saisines").data)
    assert "page 1 sur" in first and "Page précédente" not in first
    pages = int(first.split("page 1 sur ")[1].split()[0])
    order = []
    for number in range(1, pages + 1):
        page = client.get(f"/pro/mediateur/saisines?page={number}").get_data(as_text=True)
        order += [int(found) for found in re.findall(r'id="saisine-(\d+)"', page)]
        assert ("Page suivante" in page) == (number < pages)
    assert len(order) == pages and len(set(order)) == pages  # one per page, none twice
    assert order.index(older) < order.index(newer)  # pending decisions, oldest first
    last_number = pages
    beyond = client.get("/pro/mediateur/saisines?page=9999")
    assert f"page {last_number} sur {last_number}" in text_of(beyond.data)
    odd = client.get("/pro/mediateur/saisines?page=deux")
    assert odd.status_code == 200 and "Cette page n'existe pas" in text_of(odd.data)


def test_the_referral_page_shows_the_whole_complaint(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    referral_id = referred(app, people.manager_id, clock)
    client = sign_in(app.test_client(), people.mediator)
    page = text_of(client.get(f"/pro/mediateur/saisines/{referral_id}").data)
    assert "Rien n'a changé." in page  # the person's words to the mediator
    assert "Trois semaines sans rendez-vous." in page  # the complaint
    assert "Nous avons fait le nécessaire." in page  # the operator's answer
    assert "non satisfaite" in page
    assert "CCTP 3.7" in page
    assert "Décider de la recevabilité" in page


def test_not_admissible_needs_a_reason_then_closes_and_tells_the_person(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    referral_id = referred(app, people.manager_id, clock)
    client = sign_in(app.test_client(), people.mediator)
    url = f"/pro/mediateur/saisines/{referral_id}/recevabilite"
    refused = client.post(url, data={"admissible": "0", "reason": "  "})
    assert refused.status_code == 422
    assert "Indiquez pourquoi la saisine n'est pas recevable." in text_of(refused.data)
    assert get_referral(app, referral_id).admissible == Admissible.PENDING
    done = client.post(url, data={"admissible": "0", "reason": "Aucune réclamation préalable."})
    assert done.status_code == 303
    referral = get_referral(app, referral_id)
    assert referral.admissible == Admissible.NO and referral.closed_at is not None
    with app.app_context():
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"referral:decision:{referral_id}")
        ).one()
        assert mail.to_address == referral.email
        assert (
            "non recevable" in mail.body_text and "Aucune réclamation préalable." in mail.body_text
        )
        informed = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.topic.like(f"referral:informed:{referral_id}:%")
            )
        ).all()
        assert informed == []


def test_admissible_informs_the_operators_correspondants_with_a_link(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    referral_id = referred(app, people.manager_id, clock)
    client = sign_in(app.test_client(), people.mediator)
    done = client.post(
        f"/pro/mediateur/saisines/{referral_id}/recevabilite", data={"admissible": "1"}
    )
    assert done.status_code == 303
    page = text_of(client.get(done.location).data)
    assert "Opérateur informé le" in page
    referral = get_referral(app, referral_id)
    assert referral.admissible == Admissible.YES and referral.closed_at is None
    with app.app_context():
        contacts = {m.email for m in mediation_contacts(db.session, operator(db.session, "16").id)}
        mails = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.topic.like(f"referral:informed:{referral_id}:%")
            )
        ).all()
        assert people.manager in contacts
        assert {mail.to_address for mail in mails} == contacts
        link = f"/pro/reclamations/{referral.complaint_id}"
        assert all(link in mail.body_text and "médiateur" in mail.body_text for mail in mails)
        told = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"referral:decision:{referral_id}")
        ).one()
        assert "recevable" in told.body_text and told.to_address == referral.email
    # The operator's manager follows the link to the complaint.
    assert sign_in(app.test_client(), people.manager).get(link).status_code == 200


def test_the_outcome_needs_acceptance_then_closes(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    referral_id = referred(app, people.manager_id, clock, email=False)
    client = sign_in(app.test_client(), people.mediator)
    client.post(f"/pro/mediateur/saisines/{referral_id}/recevabilite", data={"admissible": "1"})
    url = f"/pro/mediateur/saisines/{referral_id}/issue"
    refused = client.post(url, data={"outcome": "recommendation"})
    assert refused.status_code == 422
    page = text_of(refused.data)
    assert "Indiquez si la recommandation ou la transaction a été acceptée." in page
    assert get_referral(app, referral_id).closed_at is None
    done = client.post(url, data={"outcome": "recommendation", "accepted": "1"})
    assert done.status_code == 303
    referral = get_referral(app, referral_id)
    assert referral.outcome == Outcome.RECOMMENDATION and referral.outcome_accepted is True
    assert referral.closed_at is not None
    again = client.post(url, data={"outcome": "none"})
    assert again.status_code == 422
    assert "Cette saisine est close" in text_of(again.data)


def test_recording_a_letter_keeps_what_was_typed_and_checks_the_complaint_number(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    client = sign_in(app.test_client(), people.mediator)
    with app.app_context():
        lot16 = operator(db.session, "16").id
        lot10 = operator(db.session, "10").id
        manager = db.session.get_one(StaffMember, people.manager_id)
        complaint_id = letter(db.session, manager, received_on=clock.today).id
        db.session.commit()
    name = f"Nom-{uuid.uuid4().hex[:8]}"
    form = {
        "channel": "letter",
        "referred_on": (clock.today + timedelta(days=2)).isoformat(),
        "operator": str(lot16),
        "last_name": name,
        "first_name": "Jeanne",
        "email": "pas-une-adresse",
        "text": "Je n'ai eu aucune suite.",
        "complaint_number": "999999999",
    }
    refused = client.post("/pro/mediateur/saisines/nouvelle", data=form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert name in page and "Je n&#39;ai eu aucune suite." in page
    assert "Aucune réclamation ne porte ce numéro" in htmllib.unescape(page)
    assert "adresse e-mail complète" in htmllib.unescape(page)
    form |= {"email": "jeanne@example.org", "complaint_number": str(complaint_id)}
    future = client.post("/pro/mediateur/saisines/nouvelle", data=form)
    assert future.status_code == 422
    assert "ne peut pas être dans le futur" in htmllib.unescape(future.get_data(as_text=True))
    form |= {"referred_on": clock.today.isoformat(), "operator": str(lot10)}
    wrong = client.post("/pro/mediateur/saisines/nouvelle", data=form)
    assert wrong.status_code == 422
    assert "autre opérateur" in htmllib.unescape(wrong.get_data(as_text=True))
    form |= {"operator": str(lot16)}
    done = client.post("/pro/mediateur/saisines/nouvelle", data=form)
    assert done.status_code == 303
    with app.app_context():
        referral = db.session.scalars(select(Referral).where(Referral.last_name == name)).one()
        assert referral.complaint_id == complaint_id and referral.channel == "letter"
        assert referral.admissible == Admissible.PENDING
    assert name in client.get("/pro/mediateur/saisines").get_data(as_text=True)


def test_the_mediators_home_counts_the_referrals(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    referred(app, people.manager_id, clock)
    client = sign_in(app.test_client(), people.mediator)
    page = text_of(client.get("/pro/").data)
    assert "recevabilité est à décider" in page
    assert "France compétences : les chiffres de tous les lots" not in page
    with app.app_context():
        fc = staff(db.session, role=StaffRole.FRANCE_COMPETENCES).email
        db.session.commit()
    other = text_of(sign_in(app.test_client(), fc).get("/pro/").data)
    assert "France compétences : les chiffres de tous les lots" in other
    assert "recevabilité" not in other
    assert "Rapport annuel du médiateur" in other  # the national screens it may open


def test_the_demo_gives_the_mediator_a_referral_on_lot_16_once(app: Flask) -> None:
    from portal.clock import today_in_france
    from portal.demo.mediation import MEDIATOR_EMAIL, add_demo_mediation

    with app.app_context():
        assert add_demo_mediation(db.session, today_in_france()) == 0  # loaded once, by the demo
        mediator = db.session.scalars(
            select(StaffMember).where(StaffMember.email == MEDIATOR_EMAIL)
        ).one()
        assert mediator.role == StaffRole.MEDIATOR and mediator.operator_id is None
        lot16 = operator(db.session, "16").id
        rows = referral_queue(db.session, today=today_in_france(), state=QueueState.OPEN)
        demo = [row for row in rows if row.referral.last_name == "Marchand"]
        assert demo and demo[0].referral.operator_id == lot16
        assert demo[0].referral.complaint is not None
        assert demo[0].referral.complaint.satisfied == "no"

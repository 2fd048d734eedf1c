"""The correspondant médiation and the messages around a referral (CCTP 3.7), on the three
sides: the manager designates the correspondant, who then acts on complaints and gets the
reminders; the operator is e-mailed when the person writes or refers; the mediator, the
operator and the person write on their threads, refusals said with what was typed kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mediation.cli import send_complaint_reminders
from portal.mediation.complaints import answer_complaint, state_satisfaction
from portal.mediation.models import Outcome, Referral
from portal.mediation.referrals import decide_admissibility, record_outcome
from portal.mediation.staff_emails import reminder_topic
from portal.network.models import StaffMember, StaffRole
from tests.conftest import FrozenClock
from tests.mail_data import text_as_sent
from tests.mediation_data import letter
from tests.web.test_beneficiary_space import signed_in, text_of
from tests.web.test_complaint_pages import known_person, new_email
from tests.workspace_data import operator, sign_in, staff

CORRESPONDANT = "/pro/reclamations/correspondant"
WHEN = r"{who}\s*, le \d+ \w+ \d{{4}} à \d\d:\d\d"


@dataclass(frozen=True)
class Member:
    id: int
    email: str
    full_name: str


@dataclass
class People:
    manager: Member
    advisor: Member
    other_advisor: Member
    foreign_manager: Member
    mediator: Member


def member(found: StaffMember) -> Member:
    return Member(found.id, found.email, found.full_name)


@pytest.fixture
def people(app: Flask) -> Iterator[People]:
    """Operator 16's staff and a mediator; operator 16 is left without correspondant after."""
    with app.app_context():
        found = People(
            manager=member(staff(db.session, "16", StaffRole.MANAGER)),
            advisor=member(staff(db.session, "16")),
            other_advisor=member(staff(db.session, "16")),
            foreign_manager=member(staff(db.session, "10", StaffRole.MANAGER)),
            mediator=member(staff(db.session, role=StaffRole.MEDIATOR)),
        )
        db.session.commit()
    yield found
    with app.app_context():
        operator(db.session, "16").mediation_correspondent_id = None
        db.session.commit()


def designate(app: Flask, chosen: Member) -> None:
    with app.app_context():
        operator(db.session, "16").mediation_correspondent_id = chosen.id
        db.session.commit()


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str  # as sent


def mails(app: Flask, to: str) -> list[Mail]:
    with app.app_context():
        found = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == to).order_by(OutboxMessage.id)
        ).all()
        return [Mail(m.subject, text_as_sent(app, m)) for m in found]


def complaint_of(
    app: Flask, people: People, email: str, clock: FrozenClock, *, answered: bool
) -> int:
    """A complaint of operator 16 by the person at `email`, received 5 days ago; answered and
    not satisfying them when `answered` (they may then refer it)."""
    with app.app_context():
        manager = db.session.get_one(StaffMember, people.manager.id)
        complaint = letter(
            db.session,
            manager,
            received_on=clock.today - timedelta(days=5),
            recorded_on=clock.today - timedelta(days=5),
        )
        complaint.email = email
        if answered:
            answer_complaint(db.session, complaint, by=manager, answer="Réponse.", now=clock())
            state_satisfaction(db.session, complaint, satisfied=False, now=clock())
        db.session.commit()
        return complaint.id


def referred(
    app: Flask, people: People, clock: FrozenClock, *, admissible: bool
) -> tuple[str, int, int]:
    """The person's address, their complaint and its referral (made from their page)."""
    email = new_email()
    known_person(app, email)
    complaint_id = complaint_of(app, people, email, clock, answered=True)
    client = signed_in(app, email)
    response = client.post(f"/mon-espace/reclamations/{complaint_id}/mediateur", data={"text": ""})
    assert response.status_code == 303
    with app.app_context():
        referral = db.session.scalars(
            select(Referral).where(Referral.complaint_id == complaint_id)
        ).one()
        if admissible:
            mediator = db.session.get_one(StaffMember, people.mediator.id)
            decide_admissibility(
                db.session, referral, by=mediator, admissible=True, reason=None, now=clock()
            )
        db.session.commit()
        return email, complaint_id, referral.id


# The correspondant médiation


def test_the_manager_designates_an_advisor_who_may_then_act(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    manager = sign_in(app.test_client(), people.manager.email)
    page = manager.get(CORRESPONDANT)
    assert page.status_code == 200 and people.advisor.full_name in text_of(page.data)
    assert "/pro/reclamations/correspondant" in manager.get("/pro/reclamations").get_data(
        as_text=True
    )
    bad = manager.post(CORRESPONDANT, data={"member": str(people.foreign_manager.id)})
    assert bad.status_code == 422 and 'role="alert"' in bad.get_data(as_text=True)
    assert people.foreign_manager.full_name not in text_of(bad.data)
    done = manager.post(
        CORRESPONDANT, data={"member": str(people.advisor.id)}, follow_redirects=True
    )
    assert f"{people.advisor.full_name} est le correspondant médiation" in text_of(done.data)
    chosen = manager.get(CORRESPONDANT).get_data(as_text=True)
    assert f'value="{people.advisor.id}" selected' in chosen
    # The correspondant acts on a complaint; another advisor still only reads.
    complaint_id = complaint_of(app, people, new_email(), clock, answered=False)
    url = f"/pro/reclamations/{complaint_id}"
    correspondant = sign_in(app.test_client(), people.advisor.email)
    assert "Envoyer la réponse" in text_of(correspondant.get(url).data)
    assert correspondant.post(f"{url}/accuse-reception").status_code == 303
    other = sign_in(app.test_client(), people.other_advisor.email)
    assert "Envoyer la réponse" not in text_of(other.get(url).data)
    assert other.post(f"{url}/message", data={"text": "Bonjour"}).status_code == 404
    # Only a manager designates.
    assert correspondant.get(CORRESPONDANT).status_code == 404
    assert correspondant.post(CORRESPONDANT, data={"member": "managers"}).status_code == 404
    back = manager.post(CORRESPONDANT, data={"member": "managers"}, follow_redirects=True)
    assert "les responsables reçoivent tout" in text_of(back.data)


def test_the_daily_reminder_reaches_the_correspondant(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    complaint_of(app, people, new_email(), clock, answered=False)  # acknowledgement due soon
    designate(app, people.advisor)
    with app.app_context():
        send_complaint_reminders(db.session, today=clock.today)
        db.session.commit()
        topics = set(db.session.scalars(select(OutboxMessage.topic)))
        advisor = db.session.get_one(StaffMember, people.advisor.id)
        manager = db.session.get_one(StaffMember, people.manager.id)
        assert reminder_topic(advisor, clock.today) in topics
        assert reminder_topic(manager, clock.today) not in topics


# E-mails to the operator


def test_the_operator_is_told_when_the_person_writes_and_when_they_refer(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    designate(app, people.advisor)
    email = new_email()
    known_person(app, email)
    complaint_id = complaint_of(app, people, email, clock, answered=True)
    client = signed_in(app, email)
    url = f"/mon-espace/reclamations/{complaint_id}"
    assert client.post(f"{url}/message", data={"text": "Toujours rien."}).status_code == 303
    assert client.post(f"{url}/mediateur", data={"text": ""}).status_code == 303
    sent = mails(app, people.advisor.email)
    assert [m.subject for m in sent] == [
        f"Réclamation n° {complaint_id} : nouveau message de la personne",
        f"Réclamation n° {complaint_id} : le médiateur est saisi",
    ]
    for message in sent:
        body = message.text
        assert f"/pro/reclamations/{complaint_id}" in body
        assert "médiateur de France compétences" in body  # the layout's mention
        assert "Toujours rien." not in body  # the person's words stay behind the sign-in
    assert mails(app, people.manager.email) == []  # the correspondant, not the managers


# The threads


def test_the_mediator_writes_to_the_person_who_answers(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    email, complaint_id, referral_id = referred(app, people, clock, admissible=False)
    mediator = sign_in(app.test_client(), people.mediator.email)
    url = f"/pro/mediateur/saisines/{referral_id}/messages"
    done = mediator.post(url, data={"thread": "person", "text": "Pouvez-vous préciser ?"})
    assert done.status_code == 303
    assert done.location.endswith(f"/pro/mediateur/saisines/{referral_id}#referral-messages")
    to_person = [
        m for m in mails(app, email) if "médiateur de France compétences vous écrit" in m.subject
    ]
    assert len(to_person) == 1
    assert "Pouvez-vous préciser ?" in to_person[0].text
    assert f"/mon-espace/reclamations/{complaint_id}" in to_person[0].text
    person = signed_in(app, email)
    page = person.get(f"/mon-espace/reclamations/{complaint_id}")
    shown = text_of(page.data)
    assert "Vos échanges avec le médiateur" in shown and "Pouvez-vous préciser ?" in shown
    assert re.search(WHEN.format(who="Le médiateur"), shown)  # author and time in Paris
    reply = person.post(
        f"/mon-espace/reclamations/{complaint_id}/message-mediateur", data={"text": "Voici."}
    )
    assert reply.status_code == 303
    told = [
        m for m in mails(app, people.mediator.email) if f"Saisine n° {referral_id}" in m.subject
    ]
    assert len(told) == 1 and f"/pro/mediateur/saisines/{referral_id}" in told[0].text
    again = text_of(person.get(f"/mon-espace/reclamations/{complaint_id}").data)
    assert re.search(WHEN.format(who="Vous"), again)


def test_the_operator_thread_waits_for_admissibility_then_the_correspondant_answers(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    designate(app, people.advisor)
    _, complaint_id, referral_id = referred(app, people, clock, admissible=False)
    mediator = sign_in(app.test_client(), people.mediator.email)
    url = f"/pro/mediateur/saisines/{referral_id}/messages"
    early = mediator.post(url, data={"thread": "operator", "text": "Votre dossier, svp."})
    assert early.status_code == 422
    assert "une fois la saisine déclarée recevable" in text_of(early.data)
    assert "Votre dossier, svp." in early.get_data(as_text=True)  # kept
    with app.app_context():
        referral = db.session.get_one(Referral, referral_id)
        decide_admissibility(
            db.session,
            referral,
            by=db.session.get_one(StaffMember, people.mediator.id),
            admissible=True,
            reason=None,
            now=clock(),
        )
        db.session.commit()
    assert (
        mediator.post(url, data={"thread": "operator", "text": "Votre dossier, svp."}).status_code
        == 303
    )
    told = [m for m in mails(app, people.advisor.email) if "Le médiateur vous écrit" in m.subject]
    assert len(told) == 1 and f"/pro/reclamations/{complaint_id}" in told[0].text
    page_url = f"/pro/reclamations/{complaint_id}"
    correspondant = sign_in(app.test_client(), people.advisor.email)
    page = text_of(correspondant.get(page_url).data)
    assert "Échanges avec le médiateur" in page and "Votre dossier, svp." in page
    answer = f"{page_url}/message-mediateur"
    too_long = "x" * 8001
    refused = correspondant.post(answer, data={"text": too_long})
    assert refused.status_code == 422 and too_long in refused.get_data(as_text=True)
    assert correspondant.post(answer, data={"text": "Le voici."}).status_code == 303
    assert any(f"Saisine n° {referral_id}" in m.subject for m in mails(app, people.mediator.email))
    other = sign_in(app.test_client(), people.other_advisor.email)
    assert other.post(answer, data={"text": "Moi aussi."}).status_code == 404
    assert "Répondre au médiateur" not in text_of(other.get(page_url).data)
    foreign = sign_in(app.test_client(), people.foreign_manager.email)
    assert foreign.post(answer, data={"text": "Moi aussi."}).status_code == 404
    thread = text_of(mediator.post(url, data={"thread": "nobody", "text": "Garde-moi."}).data)
    assert "Le voici." in thread and "Garde-moi." in thread


def test_a_closed_referral_takes_no_message_and_strangers_get_404(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    email, complaint_id, referral_id = referred(app, people, clock, admissible=True)
    with app.app_context():
        record_outcome(
            db.session,
            db.session.get_one(Referral, referral_id),
            by=db.session.get_one(StaffMember, people.mediator.id),
            outcome=Outcome.NONE,
            accepted=None,
            now=clock(),
        )
        db.session.commit()
    mediator = sign_in(app.test_client(), people.mediator.email)
    closed = mediator.post(
        f"/pro/mediateur/saisines/{referral_id}/messages",
        data={"thread": "person", "text": "Encore un mot."},
    )
    assert closed.status_code == 422 and "Encore un mot." in closed.get_data(as_text=True)
    assert "close" in text_of(closed.data)
    person = signed_in(app, email)
    url = f"/mon-espace/reclamations/{complaint_id}/message-mediateur"
    late = person.post(url, data={"text": "Et maintenant ?"})
    assert late.status_code == 422 and "Et maintenant ?" in late.get_data(as_text=True)
    stranger_email = new_email()
    known_person(app, stranger_email)
    stranger = signed_in(app, stranger_email)
    assert stranger.post(url, data={"text": "Intrus."}).status_code == 404
    manager = sign_in(app.test_client(), people.manager.email)
    assert (
        manager.post(
            f"/pro/mediateur/saisines/{referral_id}/messages",
            data={"thread": "person", "text": "x"},
        ).status_code
        == 404
    )
    # A complaint never referred has no mediator's thread.
    lonely = complaint_of(app, people, email, clock, answered=False)
    lonely_url = f"/mon-espace/reclamations/{lonely}"
    told = person.post(f"{lonely_url}/message-mediateur", data={"text": "x"}, follow_redirects=True)
    assert "Le médiateur n'est pas saisi de cette réclamation" in text_of(told.data)
    assert "Vos échanges avec le médiateur" not in text_of(told.data)

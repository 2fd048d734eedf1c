"""The beneficiary space: the e-mailed sign-in link, what the space shows, the downloads that
belong to the person only, and the written request to close a UO2.2."""

from __future__ import annotations

import html as htmllib
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.models import ClosureKind, Unit, UnitKind, UnitStatus
from portal.beneficiary.models import ClosureRequest, SignInLink
from portal.beneficiary.services import create_sign_in_link
from portal.booking.models import RequestStatus
from portal.clock import today_in_france
from portal.extensions import db
from portal.livrables.models import Livrable, LivrableKind, SignatureParty
from portal.livrables.signing import (
    attach_scan,
    complete_if_signed,
    freeze_for_signature,
    record_signature,
)
from portal.mail.models import OutboxMessage
from portal.network.models import Site, StaffMember
from tests import staff_booking_data as booking
from tests.mail_data import text_as_sent
from tests.scan_files import real_pdf
from tests.workspace_data import dossier, engaged, person, staff

SCAN = real_pdf("Signed copy")
PROJET = {
    "sections": {"projet": "Aide-soignante", "analyse": "Atouts", "informations": "IFAS, PTP"},
    "steps": [
        {"objective": "DEAS", "action": "IFAS", "who": "Camille", "due_on": "", "financing": "PTP"}
    ],
    "services": [],
    "wants_uo22": True,
}
ETAT = {
    "sections": {"situation": "S", "informations": "I", "next_steps": "N"},
    "decision": "uo21",
}


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def sign_livrable(session: Session, advisor: StaffMember, unit: Unit, content: dict) -> int:
    """Print, sign (both parties, on paper) and scan the unit's livrable: the unit closes."""
    today = today_in_france()
    kind = (
        LivrableKind.ETAT_DES_LIEUX
        if unit.kind == UnitKind.UO1
        else LivrableKind.PROJET_PROFESSIONNEL
    )
    livrable = Livrable(unit=unit, kind=kind, content=content)
    session.add(livrable)
    session.flush()
    version = freeze_for_signature(session, livrable, by=advisor, now=datetime.now(UTC))
    for party, reason in (
        (SignatureParty.ADVISOR, None),
        (SignatureParty.BENEFICIARY, "poursuite"),
    ):
        record_signature(
            session,
            version,
            party=party,
            signed_on=today,
            signer_name="Signataire",
            by=advisor,
            today=today,
            reason=reason,
        )
    attach_scan(session, version, filename="copie.pdf", data=SCAN, by=advisor)
    assert complete_if_signed(session, livrable, by=advisor, today=today)
    return version.id


@dataclass
class People:
    email: str
    version_id: int  # the person's signed Projet professionnel
    uo22_id: int  # their open UO2.2
    other_version_id: int  # someone else's signed livrable


@pytest.fixture
def people(app: Flask) -> People:
    today = today_in_france()
    with app.app_context():
        session = db.session
        advisor = staff(session, "16")
        email = f"Camille.{uuid.uuid4().hex[:8]}@Example.org"
        who = person(session, email=email)
        folder = dossier(session, advisor, opened_on=today - timedelta(days=30), who=who)
        uo21 = engaged(
            session,
            advisor,
            UnitKind.UO21,
            engaged_on=today - timedelta(days=30),
            today=today,
            in_dossier=folder,
        )
        uo21.types_service, uo21.prestations = ["competences"], ["aucune"]
        uo21.auto_prescription, uo21.financements, uo21.decouvertes = False, ["aucun"], ["aucune"]
        version_id = sign_livrable(session, advisor, uo21, PROJET)
        uo22 = engaged(
            session, advisor, UnitKind.UO22, engaged_on=today, today=today, in_dossier=folder
        )
        # An upcoming appointment booked with the same address (another record, in capitals).
        op = booking.operator(session, "16")
        request = booking.request_for(session, op, requested_on=today, status=RequestStatus.BOOKED)
        request.beneficiary.email = email.upper()
        site = session.scalars(select(Site).where(Site.operator_id == op.id)).first()
        start = datetime.combine(today + timedelta(days=3), time(9), UTC)
        booking.book(session, booking.slot_at(session, advisor, site, start), request)
        # Someone else, with a signed État des lieux partagé.
        other = engaged(
            session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=5), today=today
        )
        other_version_id = sign_livrable(session, advisor, other, ETAT)
        session.commit()
        return People(email, version_id, uo22.id, other_version_id)


def link_in_outbox(app: Flask, email: str) -> str:
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.to_address == email.lower(), OutboxMessage.topic == "space:sign-in"
            )
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message is not None
        # The stored body has a placeholder; the e-mail as sent carries the link.
        assert "/mon-espace/connexion/__cep_secret_sign_in_token__" in message.body_text
        text = text_as_sent(app, message)
        assert "médiateur de France compétences" in text
        found = re.search(r"https?://\S+/mon-espace/connexion/\S+", text)
        assert found is not None
        assert found.group(0).rsplit("/", 1)[1] not in message.body_text
        return "/" + found.group(0).split("/", 3)[3]


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    client.post("/mon-espace/lien", data={"email": email})
    response = client.get(link_in_outbox(app, email))
    assert response.status_code == 303 and response.headers["Location"].endswith("/mon-espace")
    return client


def test_the_answer_is_the_same_whether_the_address_is_known_or_not(
    app: Flask, people: People
) -> None:
    client = app.test_client()
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    answers = []
    for email in (unknown, people.email):
        response = client.post("/mon-espace/lien", data={"email": email}, follow_redirects=True)
        answers.append(text_of(response.data))
    assert answers[0] == answers[1]
    assert "Si cette adresse est connue, un lien vous a été envoyé" in answers[0]
    with app.app_context():
        assert not db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == unknown)
        ).all()
        link = db.session.scalars(
            select(SignInLink).where(SignInLink.email == people.email.lower())
        ).one()
        assert len(link.token_sha256) == 64  # only the hash is stored


def test_a_bad_address_is_refused_with_what_was_typed(app: Flask) -> None:
    response = app.test_client().post("/mon-espace/lien", data={"email": "camille@"})
    assert response.status_code == 422
    assert "Cette adresse e-mail n'est pas valide" in text_of(response.data)
    assert 'value="camille@"' in response.data.decode()


def test_the_person_signs_in_and_sees_their_own_space(app: Flask, people: People) -> None:
    client = signed_in(app, people.email)
    page = text_of(client.get("/mon-espace").data)
    assert "Projet professionnel" in page and "signé le" in page
    assert "UO2.2" in page and "En cours" in page
    assert "Déplacer ou annuler ce rendez-vous" in page  # the booking's own link
    assert "Demander la clôture de mon accompagnement" in page
    assert "Répondre à l'enquête" in page  # the closed UO2.1's survey
    assert (
        f"/mon-espace/documents/{people.version_id}.pdf" in client.get("/mon-espace").data.decode()
    )
    assert f"/mon-espace/documents/{people.other_version_id}.pdf" not in page

    pdf = client.get(f"/mon-espace/documents/{people.version_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    scan = client.get(f"/mon-espace/documents/{people.version_id}/copie-signee")
    assert scan.status_code == 200 and scan.data == SCAN
    # Someone else's documents do not exist for this person.
    assert client.get(f"/mon-espace/documents/{people.other_version_id}.pdf").status_code == 404
    assert (
        client.get(f"/mon-espace/documents/{people.other_version_id}/copie-signee").status_code
        == 404
    )
    # Signed out, the space asks for an address again and the documents are gone.
    client.post("/mon-espace/deconnexion")
    assert "Recevoir mon lien" in text_of(client.get("/mon-espace").data)
    assert client.get(f"/mon-espace/documents/{people.version_id}.pdf").status_code == 404


def test_a_link_works_once(app: Flask, people: People) -> None:
    client = app.test_client()
    client.post("/mon-espace/lien", data={"email": people.email})
    link = link_in_outbox(app, people.email)
    assert client.get(link).status_code == 303
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "Ce lien de connexion n'est plus valable" in text_of(again.data)
    assert "Recevoir un nouveau lien" in text_of(again.data)


def test_an_expired_link_is_refused(app: Flask, people: People) -> None:
    with app.app_context():
        token = create_sign_in_link(
            db.session,
            email=people.email,
            now=datetime.now(UTC) - timedelta(minutes=31),
            minutes=30,
            max_per_hour=100,
        )
        db.session.commit()
    assert token is not None
    response = app.test_client().get(f"/mon-espace/connexion/{token}")
    assert response.status_code == 404
    assert "n'est plus valable" in text_of(response.data)


def test_links_are_limited_per_address_and_hour(app: Flask, people: People) -> None:
    client = app.test_client()
    for _ in range(7):
        client.post("/mon-espace/lien", data={"email": people.email})
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).where(SignInLink.email == people.email.lower())
        )
    assert count == app.config["BENEFICIARY_LINKS_PER_HOUR"]


def test_the_person_closes_their_uo22_in_writing(app: Flask, people: People) -> None:
    client = signed_in(app, people.email)
    path = f"/mon-espace/unites/{people.uo22_id}/cloture"
    refused = client.post(path, data={f"cloture-{people.uo22_id}-reason": "plus_besoin"})
    assert refused.status_code == 422
    assert "Écrivez votre demande de clôture." in text_of(refused.data)

    words = "Je souhaite arrêter : ma formation commence lundi."
    response = client.post(
        path,
        data={
            f"cloture-{people.uo22_id}-text": words,
            f"cloture-{people.uo22_id}-reason": "objectif_atteint",
        },
    )
    assert response.status_code == 303
    assert "votre accompagnement est clôturé" in text_of(client.get("/mon-espace").data)
    with app.app_context():
        unit = db.session.get_one(Unit, people.uo22_id)
        assert unit.status == UnitStatus.CLOSED and unit.closure_kind == ClosureKind.REQUESTED
        assert unit.closed_on == today_in_france() and unit.closure_trace == words
        stored = db.session.scalars(
            select(ClosureRequest).where(ClosureRequest.unit_id == unit.id)
        ).one()
        assert stored.text == words
        confirmation = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"unit:{unit.id}:closure-request")
        ).one()
        assert words in confirmation.body_text
    # Closed: the form is gone, and posting again finds nothing to close.
    assert client.post(path, data={}).status_code == 404


def test_nobody_else_may_close_the_uo22(app: Flask, people: People) -> None:
    with app.app_context():
        stranger = person(db.session)
        db.session.commit()
        email = stranger.email
    client = signed_in(app, email)
    response = client.post(
        f"/mon-espace/unites/{people.uo22_id}/cloture",
        data={
            f"cloture-{people.uo22_id}-text": "Stop",
            f"cloture-{people.uo22_id}-reason": "poursuite",
        },
    )
    assert response.status_code == 404

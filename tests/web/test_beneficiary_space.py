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
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal import clock as portal_clock
from portal.advisor.models import ClosureKind, Unit, UnitKind, UnitStatus
from portal.auth.models import UserSession
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
    version = freeze_for_signature(session, livrable, by=advisor, now=portal_clock.now())
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


def open_link(client: FlaskClient, link: str) -> TestResponse:
    """What the person does with the e-mailed link: open it, then press « Se connecter »."""
    page = client.get(link)
    assert page.status_code == 200, page.status_code
    assert "Se connecter" in text_of(page.data)
    token = re.search(r'name="token" value="([^"]+)"', page.data.decode())
    assert token is not None
    return client.post("/mon-espace/connexion", data={"token": token.group(1)})


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    client.post("/mon-espace/lien", data={"email": email})
    response = open_link(client, link_in_outbox(app, email))
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
    assert open_link(client, link).status_code == 303
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "Ce lien de connexion n'est plus valable" in text_of(again.data)
    assert "Recevoir un nouveau lien" in text_of(again.data)
    replayed = app.test_client().post(
        "/mon-espace/connexion", data={"token": link.rsplit("/", 1)[1]}
    )
    assert replayed.status_code == 404


def test_opening_the_link_uses_nothing_up_only_the_button_does(app: Flask, people: People) -> None:
    """A mail scanner opens every link of a message: opening shows a page with a button, and
    the token travels in the button's POST body, not in a URL that access logs keep."""
    client = app.test_client()
    client.post("/mon-espace/lien", data={"email": people.email})
    link = link_in_outbox(app, people.email)
    for _ in range(3):  # the scanner, the preview, the person
        page = app.test_client().get(link)
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert 'action="/mon-espace/connexion"' in page.data.decode()
    assert "Recevoir mon lien" in text_of(client.get("/mon-espace").data)  # still signed out
    assert open_link(client, link).status_code == 303
    assert "Mes documents signés" in text_of(client.get("/mon-espace").data)


def space_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app: Flask, people: People) -> None:
    """The finding: the space kept the address in the signed cookie, so a copy still worked
    for 12 hours after sign-out."""
    client = signed_in(app, people.email)
    copied = space_cookie(client)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert "Mes documents signés" in text_of(thief.get("/mon-espace").data)
    client.post("/mon-espace/deconnexion")

    replay = app.test_client()
    replay.set_cookie("session", copied)
    page = replay.get("/mon-espace")
    assert page.status_code == 200
    assert "Recevoir mon lien" in text_of(page.data)
    assert replay.get(f"/mon-espace/documents/{people.version_id}.pdf").status_code == 404


def test_sign_out_everywhere_closes_the_space_in_another_browser(
    app: Flask, people: People
) -> None:
    here = signed_in(app, people.email)
    there = signed_in(app, people.email)
    assert "Se déconnecter partout" in text_of(here.get("/mon-espace").data)
    response = here.post("/mon-espace/deconnexion-partout")
    assert response.status_code == 303
    assert "déconnecté de votre espace sur tous vos appareils" in text_of(
        here.get("/mon-espace").data
    )
    assert "Recevoir mon lien" in text_of(there.get("/mon-espace").data)


def test_the_space_closes_after_beneficiary_session_hours(app: Flask, people: People) -> None:
    client = signed_in(app, people.email)
    hours = timedelta(hours=app.config["BENEFICIARY_SESSION_HOURS"])
    with app.app_context():
        (record,) = db.session.scalars(
            select(UserSession).where(UserSession.email == people.email.lower())
        )
        assert record.expires_at - record.created_at == hours
        # Time passes: signed in that many hours ago.
        record.created_at -= hours
        record.expires_at -= hours
        db.session.commit()
    assert "Recevoir mon lien" in text_of(client.get("/mon-espace").data)


def statements_of(app: Flask, email: str) -> list[str]:
    """The SQL statements a POST /mon-espace/lien runs, without their parameters; the end
    of the savepoint is named once, kept or rolled back."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(re.sub(r"sa_savepoint_\d+", "sp", statement))

    client = app.test_client()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.post("/mon-espace/lien", data={"email": email})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 303
    return [
        "END SAVEPOINT" if s.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")) else s
        for s in seen
    ]


def test_a_known_and_an_unknown_address_run_the_same_statements(app: Flask, people: People) -> None:
    """The finding: a known address answered in 5.5 ms, an unknown one in 3.0 ms, because
    only the known one rendered and queued an e-mail. Both now do the same work, and only
    the savepoint's end differs (kept, or rolled back): not a timing test, the work itself."""
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    known = statements_of(app, people.email)
    assert statements_of(app, unknown) == known
    assert sum(s.startswith("INSERT INTO sign_in_link") for s in known) == 1
    assert sum(s.startswith("INSERT INTO outbox_message") for s in known) == 1
    with app.app_context():
        # The unknown address's link row is written like any other (nobody holds its token);
        # its e-mail was rolled back with the savepoint.
        assert not db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == unknown)
        ).all()


def test_an_expired_link_is_refused(app: Flask, people: People) -> None:
    with app.app_context():
        token = create_sign_in_link(
            db.session,
            email=people.email,
            now=portal_clock.now() - timedelta(minutes=31),
            minutes=30,
            max_per_hour=100,
        )
        db.session.commit()
    assert token is not None
    response = app.test_client().get(f"/mon-espace/connexion/{token}")
    assert response.status_code == 404
    assert "n'est plus valable" in text_of(response.data)
    pressed = app.test_client().post("/mon-espace/connexion", data={"token": token})
    assert pressed.status_code == 404


def test_links_are_limited_per_address_and_hour(app: Flask, people: People) -> None:
    client = app.test_client()
    for _ in range(7):
        client.post("/mon-espace/lien", data={"email": people.email})
    with app.app_context():
        sent = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.to_address == people.email.lower(),
                OutboxMessage.topic == "space:sign-in",
            )
        )
    assert sent == app.config["BENEFICIARY_LINKS_PER_HOUR"]


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

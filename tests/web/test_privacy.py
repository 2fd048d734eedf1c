"""RGPD on the web: the privacy page, the beneficiary's export, the manager's erasure."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.advisor.models import UnitKind
from portal.beneficiary.services import create_sign_in_link
from portal.booking.models import AppointmentStatus, RequestStatus
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import StaffRole
from portal.people.models import Beneficiary
from portal.privacy.erasure import PLACEHOLDER_NAME, PSEUDONYM_DOMAIN
from portal.privacy.models import ErasureRecord
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock

# The day of each test, read from the frozen clock when the test starts (not at import,
# which would be stale across midnight); the helpers below read this name.
TODAY: date


@pytest.fixture(autouse=True)
def _frozen_day(clock: FrozenClock) -> None:
    global TODAY
    TODAY = clock.today


def text_of(body: bytes) -> str:
    return re.sub(r"\s+", " ", body.decode())


def a_person(app: Flask, code: str = "16", *, upcoming: bool = False) -> tuple[str, int, str]:
    """A person of operator `code` with a held appointment and a closed UO1 (or an appointment
    to come): their address, their record's id and their unit's number."""
    with app.app_context():
        session = db.session
        op = booking.operator(session, code)
        advisor = ws.staff(session, code)
        request = booking.request_for(
            session, op, requested_on=TODAY - timedelta(days=20), status=RequestStatus.HONOURED
        )
        request.comment = "Rappelez-moi le soir"
        day = TODAY + timedelta(days=3) if upcoming else TODAY - timedelta(days=15)
        slot = booking.slot_at(session, advisor, None, datetime.combine(day, time(9), UTC))
        status = AppointmentStatus.BOOKED if upcoming else AppointmentStatus.HELD
        booking.book(session, slot, request, status=status)
        person = request.beneficiary
        dossier = ws.dossier(session, advisor, opened_on=TODAY - timedelta(days=15), who=person)
        unit = ws.engaged(
            session,
            advisor,
            UnitKind.UO1,
            engaged_on=TODAY - timedelta(days=15),
            today=TODAY,
            in_dossier=dossier,
        )
        if not upcoming:
            from portal.advisor.closing import close_unit
            from portal.advisor.models import ClosureKind

            close_unit(
                session,
                unit,
                kind=ClosureKind.SIGNED,
                closed_on=TODAY - timedelta(days=1),
                reason="objectif_atteint",
                today=TODAY,
                by=advisor,
            )
        session.commit()
        return person.email, person.id, unit.number


def manager(app: Flask, code: str = "16") -> FlaskClient:
    with app.app_context():
        email = ws.staff(db.session, code, StaffRole.MANAGER).email
        db.session.commit()
    return ws.sign_in(app.test_client(), email)


def space_of(app: Flask, email: str) -> FlaskClient:
    with app.app_context():
        token = create_sign_in_link(
            db.session, email=email, now=utcnow(), minutes=30, max_per_hour=100
        )
        db.session.commit()
    client = app.test_client()
    # Opening the link shows a button; pressing it (a POST with the token) signs in.
    assert client.get(f"/mon-espace/connexion/{token}").status_code == 200
    assert client.post("/mon-espace/connexion", data={"token": token}).status_code == 303
    return client


# --- The privacy page -------------------------------------------------------------------------


def test_the_privacy_page_names_controller_retention_rights_and_the_cnil(
    client: FlaskClient,
) -> None:
    home = text_of(client.get("/").data)
    assert 'href="/donnees-personnelles">Données personnelles</a>' in home
    response = client.get("/donnees-personnelles")
    assert response.status_code == 200
    page = text_of(response.data)
    for expected in (
        "Opérateur CEP de démonstration",
        "dpo@cep-portal.example",
        "article 6.1.e",
        "3 ans après votre dernier contact",
        "5 ans après votre dernière activité",
        "7 jours après leur expiration",
        "e-mails que nous vous envoyons : 30 jours après l'envoi",
        "Les traces de connexion (adresse IP, tentatives, sessions) : 30 jours",
        "CNIL",
        "Télécharger mes données",
    ):
        assert expected in page, expected


def test_the_privacy_page_reads_its_settings_and_speaks_english(app: Flask) -> None:
    app.config["RETENTION_CONTACT_YEARS"] = 2
    try:
        page = text_of(app.test_client().get("/donnees-personnelles?lang=en").data)
    finally:
        app.config["RETENTION_CONTACT_YEARS"] = 3
    assert "Personal data" in page
    assert "2 years after your last contact" in page
    assert "Sign-in traces (IP address, attempts, sessions): 30 days." in page
    assert "Data Protection Officer" in page


# --- The export -------------------------------------------------------------------------------


def test_a_signed_in_person_downloads_everything_held_about_them(app: Flask) -> None:
    email, person_id, number = a_person(app)
    client = space_of(app, email)
    assert 'href="/mon-espace/mes-donnees.json"' in text_of(client.get("/mon-espace").data)
    response = client.get("/mon-espace/mes-donnees.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    tables = data["tables"]
    assert [row["id"] for row in tables["beneficiary"]] == [person_id]
    assert tables["beneficiary"][0]["email"] == email
    assert tables["appointment_request"][0]["comment"] == "Rappelez-moi le soir"
    assert "idempotency_key" not in tables["appointment_request"][0]  # a secret
    assert [row["status"] for row in tables["appointment"]] == ["held"]
    assert [row["number"] for row in tables["unit"]] == [number]
    assert len(tables["survey"]) == 1
    assert [m["to_address"] for m in tables["outbox_message"]] == [email]
    assert tables["outbox_message"][0]["body_text"] == {"omitted": True}
    assert all("token_sha256" not in row for row in tables["sign_in_link"])


def test_the_export_needs_a_signed_in_person(client: FlaskClient) -> None:
    response = client.get("/mon-espace/mes-donnees.json")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/mon-espace")


# --- The manager's erasure --------------------------------------------------------------------


def test_a_manager_finds_then_erases_a_person_of_their_operator(app: Flask) -> None:
    email, person_id, number = a_person(app)
    client = manager(app)
    assert "Données personnelles" in text_of(client.get("/pro/donnees-personnelles").data)
    found = client.post("/pro/donnees-personnelles", data={"email": email})
    assert found.status_code == 200
    page = text_of(found.data)
    shown = f"{number[0:2]} {number[2:4]} {number[4:6]} {number[6:8]} {number[8:]}"
    assert shown in page and "Effacer définitivement" in page

    unconfirmed = client.post("/pro/donnees-personnelles/effacement", data={"email": email})
    assert unconfirmed.status_code == 422
    assert "Cochez la case pour confirmer l'effacement." in text_of(unconfirmed.data)
    with app.app_context():
        assert db.session.get_one(Beneficiary, person_id).email == email

    done = client.post(
        "/pro/donnees-personnelles/effacement", data={"email": email, "confirm": "y"}
    )
    assert done.status_code == 303
    page = text_of(client.get(done.headers["Location"]).data)
    assert f"Données personnelles effacées (1 dossier(s) : {shown})." in page
    with app.app_context():
        person = db.session.get_one(Beneficiary, person_id)
        assert person.last_name == PLACEHOLDER_NAME
        assert person.email.endswith("@" + PSEUDONYM_DOMAIN)
        record = db.session.scalars(
            select(ErasureRecord).order_by(ErasureRecord.id.desc()).limit(1)
        ).one()
        assert record.unit_numbers == [number]
        assert email not in json.dumps(record.unit_numbers)
    # The same address again: nobody any more.
    again = client.post("/pro/donnees-personnelles", data={"email": email})
    assert again.status_code == 404
    assert "Personne inconnue." in text_of(again.data)


def test_a_person_of_another_operator_answers_404_and_stays(app: Flask) -> None:
    email, person_id, _ = a_person(app, "10")
    client = manager(app, "16")
    assert client.post("/pro/donnees-personnelles", data={"email": email}).status_code == 404
    erase = client.post(
        "/pro/donnees-personnelles/effacement", data={"email": email, "confirm": "y"}
    )
    assert erase.status_code == 404
    with app.app_context():
        assert db.session.get_one(Beneficiary, person_id).email == email


def test_a_person_with_an_appointment_to_come_cannot_be_erased_yet(app: Flask) -> None:
    email, person_id, _ = a_person(app, upcoming=True)
    client = manager(app)
    found = text_of(client.post("/pro/donnees-personnelles", data={"email": email}).data)
    assert "Annulez le rendez-vous ou clôturez l'étape" in found
    assert "Effacer définitivement" not in found
    refused = client.post(
        "/pro/donnees-personnelles/effacement", data={"email": email, "confirm": "y"}
    )
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.get_one(Beneficiary, person_id).email == email


@pytest.mark.parametrize("typed", ["", "pas-une-adresse", "a\x00b@example.org"])
def test_a_bad_address_gets_a_message_and_keeps_what_was_typed(app: Flask, typed: str) -> None:
    response = manager(app).post("/pro/donnees-personnelles", data={"email": typed})
    assert response.status_code == 422
    page = text_of(response.data)
    assert (
        "Indiquez l'adresse e-mail" in page
        or "n'est pas valide" in page
        or "caractères invisibles non autorisés" in page  # the NUL byte, removed and said
    )

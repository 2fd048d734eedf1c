"""Issue 15 §1: one vocabulary of motives on the public pages. A link, a form or a sealed
answer made before the motives became reference codes still works and stores the code; the
motive given when booking is chosen for the advisor on the engagement form and reaches the
unit."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import clock as portal_clock
from portal.advisor.models import Unit
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.clock import today_in_france
from portal.extensions import db
from portal.orientation.models import OrientationContact
from portal.public.sealed import SESSION_KEY, seal
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.web.test_advisor_workspace import client_for
from tests.web.test_booking import RENNES, _person
from tests.web.test_front_door import ANSWERS, text_of


def _selected(html: str, name: str) -> list[str]:
    select_ = re.search(rf'<select id="{name}" name="{name}".*?</select>', html, re.S)
    assert select_, f"no select {name}"
    return re.findall(r'<option value="([^"]*)" selected', select_[0])


def test_an_old_front_door_link_preselects_the_new_code(client: FlaskClient) -> None:
    html = client.get("/?motif=creation_entreprise").get_data(as_text=True)
    assert _selected(html, "motif") == ["creer_entreprise"]
    assert _selected(client.get("/?motif=vae").get_data(as_text=True), "motif") == []


def test_a_front_door_form_left_open_stores_the_new_code(app: Flask, client: FlaskClient) -> None:
    key = uuid.uuid4().hex
    sent = client.post("/", data={**ANSWERS, "home": "Rennes", "motif": "reconversion", "key": key})
    assert sent.status_code == 303
    result = text_of(client.get("/resultat").data)
    assert "Important : Vous pensez démissionner pour une reconversion" in result
    with app.app_context():
        contact = db.session.scalars(
            select(OrientationContact).where(OrientationContact.key == key)
        ).one()
        assert contact.motif == "changer_metier"


def test_a_booking_from_an_old_link_stores_the_new_code(app: Flask, client: FlaskClient) -> None:
    search = client.get(f"/rendez-vous?commune={RENNES}&motif=creation_entreprise")
    links = re.findall(r'href="(/rendez-vous/creneau/[^"]+)"', search.get_data(as_text=True))
    assert links and all("motif=creer_entreprise" in link for link in links)
    form = client.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert _selected(form, "motif") == ["creer_entreprise"]
    key = re.search(r'name="key" value="([0-9a-f]{32})"', form)
    slot = re.search(r"/rendez-vous/creneau/(\d+)", links[0])
    assert key and slot
    # The form as a page cached before the release would post it: the former value.
    data = _person(key=key[1], slot=slot[1], motif="creation_entreprise")
    assert client.post("/rendez-vous/reserver", data=data).status_code == 303
    with app.app_context():
        request = db.session.scalars(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == key[1])
        ).one()
        assert request.motif == "creer_entreprise"


def test_the_waiting_request_form_reads_the_link_too(client: FlaskClient) -> None:
    html = client.get(f"/rendez-vous/demande?commune={RENNES}&motif=formation")
    assert _selected(html.get_data(as_text=True), "motif") == ["se_former"]


def test_an_answer_sealed_before_the_release_is_not_asked_again(
    app: Flask, client: FlaskClient
) -> None:
    answer = {"route": "operateur_regional", "alternatives": [], "reasons": []}
    answer["motif"] = "formation"  # a value before migration 0022
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = seal(answer, app.config["SECRET_KEY"])
    search = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    link = re.search(r'href="(/rendez-vous/creneau/[^"]+)"', search)
    assert link
    form = client.get(link[1].replace("&amp;", "&")).get_data(as_text=True)
    assert 'name="motif" value="se_former"' in form
    assert "Me former, financer une formation" in text_of(form.encode())


def _held_dossier(app: Flask, motif: str | None) -> tuple[FlaskClient, int]:
    """A first appointment booked with this motive, marked held by its advisor."""
    with app.app_context():
        advisor = ws.staff(db.session, "16")
        request = booking.request_for(
            db.session,
            ws.operator(db.session, "16"),
            requested_on=today_in_france() - timedelta(days=3),
            last_name="Motivée",
        )
        request.motif = motif
        starts = portal_clock.now() - timedelta(hours=1)
        slot = booking.slot_at(db.session, advisor, advisor.sites[0], starts)
        appointment_id = booking.book(db.session, slot, request).id
        request.status = RequestStatus.BOOKED
        email = advisor.email
        db.session.commit()
    client = client_for(app, email)
    held = client.post(f"/pro/rendez-vous/{appointment_id}/tenu")
    assert held.status_code == 303
    return client, int(held.location.rsplit("/", 1)[1])


def _engage(dossier_id: int, **entry: str) -> dict[str, str]:
    today = today_in_france().isoformat()
    return {"kind": "01", "engaged_on": today, "consent_given_on": today,
            "consent_mode": "oral", "origine": "individuelle", "referent": "", **entry}  # fmt: skip


def test_the_motive_given_when_booking_is_chosen_on_the_engagement_form_and_reaches_the_unit(
    app: Flask,
) -> None:
    client, dossier_id = _held_dossier(app, "creer_entreprise")
    page = client.get(f"/pro/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Motif donné à la prise de rendez-vous : Créer ou reprendre une entreprise" in text_of(
        page.encode()
    )
    assert _selected(page, "motif") == ["projet"]
    assert _selected(page, "motif_detaille") == ["creer_entreprise"]
    # The advisor confirms what the form shows.
    shown = {"motif": "projet", "motif_detaille": "creer_entreprise"}
    done = client.post(f"/pro/dossiers/{dossier_id}/unites", data=_engage(dossier_id, **shown))
    assert done.status_code == 303
    with app.app_context():
        unit = db.session.scalars(select(Unit).where(Unit.dossier_id == dossier_id)).one()
        assert (unit.motif, unit.motif_detaille) == ("projet", "creer_entreprise")


def test_the_advisor_may_correct_the_given_motive(app: Flask) -> None:
    client, dossier_id = _held_dossier(app, "competences")
    page = client.get(f"/pro/dossiers/{dossier_id}").get_data(as_text=True)
    assert _selected(page, "motif") == ["competences"]
    assert _selected(page, "motif_detaille") == []  # a broad motive: the advisor details it
    corrected = {"motif": "faire_le_point", "motif_detaille": "conditions_travail"}
    done = client.post(f"/pro/dossiers/{dossier_id}/unites", data=_engage(dossier_id, **corrected))
    assert done.status_code == 303
    with app.app_context():
        unit = db.session.scalars(select(Unit).where(Unit.dossier_id == dossier_id)).one()
        assert (unit.motif, unit.motif_detaille) == ("faire_le_point", "conditions_travail")


def test_without_a_given_motive_the_form_says_nothing_of_it(app: Flask) -> None:
    client, dossier_id = _held_dossier(app, None)
    page = client.get(f"/pro/dossiers/{dossier_id}").get_data(as_text=True)
    assert "Motif donné à la prise de rendez-vous" not in page
    assert _selected(page, "motif") == []

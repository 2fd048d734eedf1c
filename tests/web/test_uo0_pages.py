"""UO0 taken by phone or in person, and the UO0 that goes on (issue 15 §2), through the test
client: the chargé d'information and the advisor record; other roles and other operators'
staff get 404; bad input is kept and explained; going on numbers the contact, takes a UO0
order, makes the waiting request, and the first appointment held gives it its dossier."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal import clock as portal_clock
from portal.advisor.models import Dossier, PurchaseOrder, UnitKind
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import StaffRole
from portal.orientation.models import OrientationContact
from portal.orientation.rules import Route, Situation
from portal.orientation.uo0 import attach_contact_to_request, record_staff_contact
from portal.reference import ContactMode
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.web.test_advisor_workspace import text_of
from tests.web.test_booking import RENNES, _form_data, _free_slot

CONTACT = {
    "contact_mode": "telephone",
    "situation": "salarie_prive",
    "route": "operateur_regional",
    "motif": "reconversion",
}
IDENTITY = {
    "last_name": "Durand",
    "first_name": "Inès",
    "birth_date": "1988-02-29",
    "email": "ines.durand@example.org",
    "phone": "06 11 22 33 44",
    "home": "35000",
    "consent": "y",
}


def member(app: Flask, role: StaffRole = StaffRole.INFORMATION, code: str = "16") -> FlaskClient:
    with app.app_context():
        email = ws.staff(db.session, code, role).email
        db.session.commit()
    return ws.sign_in(app.test_client(), email)


def record(client: FlaskClient, **changes: str) -> int:
    data = {**CONTACT, "key": uuid.uuid4().hex, **changes}
    response = client.post("/pro/uo0/nouveau", data=data)
    assert response.status_code == 303, response.data
    match = re.fullmatch(r".*/pro/uo0/(\d+)", response.location)
    assert match, response.location
    return int(match[1])


def contact_of(app: Flask, contact_id: int) -> OrientationContact:
    with app.app_context():
        found = db.session.get_one(OrientationContact, contact_id)
        db.session.expunge(found)
        return found


def test_the_charge_d_information_records_a_phone_contact_in_one_form(app: Flask) -> None:
    client = member(app)
    home = text_of(client.get("/pro/").data)
    assert "Enregistrer un contact (UO0)" in home
    assert "Demandes en attente" in home
    assert "Mes dossiers" not in home and "Agenda" not in home
    form = client.get("/pro/uo0/nouveau").get_data(as_text=True)
    for label in ("Mode de contact", "Situation de la personne", "Aiguillage", "Motif"):
        assert label in form
    contact_id = record(client)
    page = client.get(f"/pro/uo0/{contact_id}").get_data(as_text=True)
    assert "Contact enregistré" in page
    assert re.search(r'href="/pro/uo0/nouveau" autofocus>Enregistrer un autre contact', page)
    assert f'href="/pro/uo0/{contact_id}/rendez-vous"' in page
    assert "La personne souhaite un rendez-vous" in page
    saved = contact_of(app, contact_id)
    assert (saved.contact_mode, saved.route, saved.motif) == (
        "telephone",
        "operateur_regional",
        "changer_metier",  # « reconversion » posted by a form left open: its code now
    )
    assert saved.number is None and saved.request_id is None  # anonymous until it goes on
    today = text_of(client.get("/pro/uo0").data)
    assert "Téléphone Salarié(e) d'une entreprise ou d'une association" in today


def test_a_double_submit_records_one_contact(app: Flask) -> None:
    client = member(app, StaffRole.ADVISOR)
    data = {**CONTACT, "key": uuid.uuid4().hex, "contact_mode": "presentiel", "motif": ""}
    first = client.post("/pro/uo0/nouveau", data=data)
    again = client.post("/pro/uo0/nouveau", data=data)
    assert first.status_code == again.status_code == 303
    assert first.location == again.location
    with app.app_context():
        count = db.session.scalar(
            select(func.count(OrientationContact.id)).where(OrientationContact.key == data["key"])
        )
    assert count == 1


def test_bad_input_is_kept_and_explained(app: Flask) -> None:
    client = member(app)
    response = client.post(
        "/pro/uo0/nouveau",
        data={"key": uuid.uuid4().hex, "contact_mode": "web", "situation": "salarie_prive"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert "Choisissez vers qui la personne est orientée." in html
    assert re.search(r'value="salarie_prive" checked', html)  # what was chosen is kept
    english = client.post(
        "/pro/uo0/nouveau?lang=en", data={"key": uuid.uuid4().hex, "situation": "salarie_prive"}
    )
    assert english.status_code == 422
    text = text_of(english.data)
    assert "Choose the contact mode." in text
    assert "Choose where the person is referred to." in text


def test_managers_and_other_operators_staff_get_404(app: Flask) -> None:
    contact_id = record(member(app))
    assert member(app, StaffRole.MANAGER).get("/pro/uo0/nouveau").status_code == 404
    other = member(app, StaffRole.INFORMATION, code="10")
    assert other.get(f"/pro/uo0/{contact_id}").status_code == 404
    assert other.get(f"/pro/uo0/{contact_id}/rendez-vous").status_code == 404
    assert other.post(f"/pro/uo0/{contact_id}/rendez-vous", data=IDENTITY).status_code == 404
    assert contact_of(app, contact_id).request_id is None


def test_the_charge_d_information_sees_no_dossier(app: Flask) -> None:
    """Their own operator's dossier, agenda and indicators are 404 for them, while the
    advisor and the manager of the same operator open them (the positive control)."""
    with app.app_context():
        advisor = ws.staff(db.session, "16")
        today = portal_clock.today_in_france()
        unit = ws.engaged(db.session, advisor, engaged_on=today, today=today)
        dossier_page, advisor_email = f"/pro/dossiers/{unit.dossier_id}", advisor.email
        db.session.commit()
    information = member(app)
    own_advisor = ws.sign_in(app.test_client(), advisor_email)
    manager = member(app, StaffRole.MANAGER)
    assert information.get("/pro/demandes-en-attente").status_code == 200
    for page, control in (
        (dossier_page, own_advisor),
        ("/pro/conseiller", own_advisor),
        ("/pro/agenda", own_advisor),
        ("/pro/indicateurs/delai", manager),
        ("/pro/indicateurs/satisfaction", manager),
    ):
        assert information.get(page).status_code == 404, page
        assert control.get(page).status_code == 200, page


def test_going_on_makes_the_waiting_request_numbers_and_bills_the_uo0(app: Flask) -> None:
    client = member(app)
    contact_id = record(client)
    form = client.get(f"/pro/uo0/{contact_id}/rendez-vous")
    assert "Date de naissance" in text_of(form.data)
    bad = client.post(f"/pro/uo0/{contact_id}/rendez-vous", data={**IDENTITY, "phone": "12"})
    assert bad.status_code == 422
    assert "« 12 » n'est pas un numéro de téléphone valide" in text_of(bad.data)
    assert 'value="Durand"' in bad.get_data(as_text=True)

    with app.app_context():
        op = ws.operator(db.session, "16")
        year = portal_clock.today_in_france().year
        order = db.session.scalar(
            select(PurchaseOrder)
            .where(
                PurchaseOrder.operator_id == op.id,
                PurchaseOrder.kind == UnitKind.UO0,
                PurchaseOrder.year == year,
                PurchaseOrder.consumed < PurchaseOrder.quantity,
            )
            .order_by(PurchaseOrder.number)
        )
        assert order is not None, "the demo holds a UO0 order for this year"
        consumed_before = order.consumed
    response = client.post(f"/pro/uo0/{contact_id}/rendez-vous", data=IDENTITY)
    assert response.status_code == 303
    match = re.fullmatch(r".*/pro/demandes-en-attente/(\d+)/rendez-vous", response.location)
    assert match, response.location
    request_id = int(match[1])
    saved = contact_of(app, contact_id)
    assert saved.request_id == request_id
    assert saved.number is not None and saved.number.startswith(
        f"16{portal_clock.today_in_france():%y%m}00"
    )
    with app.app_context():
        order = db.session.get_one(PurchaseOrder, order.id)
        assert order.consumed == consumed_before + 1
        assert saved.purchase_order_id == order.id
        request = db.session.get_one(AppointmentRequest, request_id)
        assert request.status == RequestStatus.WAITING
        assert (request.beneficiary.full_name, request.beneficiary.phone) == (
            "Inès Durand",
            "+33611223344",
        )
        assert request.motif == "changer_metier"
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == "ines.durand@example.org")
        )
        assert mail is not None
    booking_page = text_of(client.get(response.location).data)
    assert f"UO0 n° {saved.number}" in booking_page
    assert "Proposer un rendez-vous à Inès Durand" in booking_page
    assert "Inès Durand" in text_of(client.get("/pro/demandes-en-attente").data)
    # Submitted again (Back, then Send): the same request, nothing more billed.
    again = client.post(f"/pro/uo0/{contact_id}/rendez-vous", data=IDENTITY)
    assert again.status_code == 303 and again.location.endswith(f"/{request_id}/rendez-vous")
    with app.app_context():
        assert db.session.get_one(PurchaseOrder, order.id).consumed == consumed_before + 1

    # The first appointment is held: the dossier opened from the request carries the UO0.
    with app.app_context():
        advisor = ws.staff(db.session, "16")
        request = db.session.get_one(AppointmentRequest, request_id)
        start = portal_clock.now() - timedelta(hours=1)
        slot = booking.slot_at(db.session, advisor, None, start.astimezone(UTC))
        appointment = booking.book(db.session, slot, request)
        request.status = RequestStatus.BOOKED
        appointment_id, advisor_email = appointment.id, advisor.email
        db.session.commit()
    held = ws.sign_in(app.test_client(), advisor_email).post(
        f"/pro/rendez-vous/{appointment_id}/tenu"
    )
    assert held.status_code == 303
    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.request_id == request_id))
        assert dossier is not None
    assert contact_of(app, contact_id).dossier_id == dossier.id


def test_a_web_contact_is_numbered_when_that_person_books(
    app: Flask, client: FlaskClient, clock: FrozenClock
) -> None:
    answers = {"situation": "salarie_prive", "cadre": "0", "age": "41", "rqth": "0", "suivi": "0"}
    key = uuid.uuid4().hex
    assert (
        client.post(
            "/", data={"home": "Rennes", "key": key, "motif": "projet", **answers}
        ).status_code
        == 303
    )
    with app.app_context():
        contact = db.session.scalar(select(OrientationContact).where(OrientationContact.key == key))
        assert contact is not None and contact.number is None
        contact_id = contact.id
    # Another visitor's questionnaire that goes no further stays anonymous.
    other_key = uuid.uuid4().hex
    app.test_client().post("/", data={"home": "Rennes", "key": other_key, **answers})

    data = _form_data(client, _free_slot(client, app, clock))
    response = client.post(f"/rendez-vous/reserver?commune={RENNES}", data=data)
    assert response.status_code == 303
    saved = contact_of(app, contact_id)
    with app.app_context():
        request = db.session.scalar(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
        )
        assert request is not None
        assert saved.request_id == request.id
        assert saved.operator_id == request.operator_id
        other = db.session.scalar(
            select(OrientationContact).where(OrientationContact.key == other_key)
        )
        assert other is not None
        assert (other.number, other.request_id, other.purchase_order_id) == (None, None, None)
    assert (
        saved.number is not None and saved.number[4:8] == f"{portal_clock.today_in_france():%m}00"
    )
    assert saved.purchase_order_ref is not None and "-UO00-" in saved.purchase_order_ref


def test_the_manager_adds_uo0_orders_and_sees_uo0_numbered_without_one(app: Flask) -> None:
    """A UO0 that went on in a year with no open UO0 order is numbered all the same; the
    orders page says how many wait for an order, and UO0 orders can be recorded there."""
    on = date(2022, 6, 14)  # no demo order that year
    with app.app_context():
        staff = ws.staff(db.session, "03", StaffRole.INFORMATION)
        contact = record_staff_contact(
            db.session,
            key=uuid.uuid4().hex,
            staff=staff,
            on=on,
            contact_mode=ContactMode.PRESENTIEL,
            situation=Situation.INDEPENDANT,
            route=Route.OPERATEUR_REGIONAL,
            motif=None,
        )
        request = booking.request_for(
            db.session, ws.operator(db.session, "03"), requested_on=on, status=RequestStatus.WAITING
        )
        attach_contact_to_request(db.session, contact=contact, request=request, on=on)
        assert contact.number is not None and contact.purchase_order_ref is None
        db.session.commit()
    manager = member(app, StaffRole.MANAGER, code="03")
    page = manager.get("/pro/bons-de-commande")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option value="00">UO0</option>' in html
    assert "2022 : 1 UO0 numérotée sans bon de commande UO0 ouvert." in text_of(page.data)
    added = manager.post(
        "/pro/bons-de-commande",
        data={
            "year": "2022",
            "kind": "00",
            "number": "1",
            "quantity": "50",
            "issued_on": "2022-01-03",
        },
    )
    assert added.status_code == 303
    assert "Bon de commande enregistré : UO0, 2022, n° 01, 50 unités." in text_of(
        manager.get(added.location).data
    )

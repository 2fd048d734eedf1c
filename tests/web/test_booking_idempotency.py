"""The idempotency key of the booking form is bound to the session that received the form and
to the person it carries: someone else's key never opens someone else's booking (issue 10,
« Another person's booking handed over »), a double submit still books once, and Back after
a cancel tells the truth."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select

from portal.booking.models import Appointment, AppointmentRequest, Slot
from portal.booking.tokens import request_id_from_token
from portal.extensions import db
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.people.models import Beneficiary
from tests.conftest import FrozenClock

RENNES = "35238"


@pytest.fixture(autouse=True, scope="module")
def _no_mail_left(app: Flask) -> Iterator[None]:
    """The confirmations these bookings queue are not left for the next tests' sender."""
    with app.app_context():
        before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    yield
    with app.app_context():
        db.session.execute(delete(OutboxAttachment).where(OutboxAttachment.message_id > before))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > before))
        db.session.commit()


def _free_slots(client: FlaskClient) -> list[int]:
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    return sorted({int(i) for i in re.findall(r"/rendez-vous/creneau/(\d+)\?", html)})


def _cancellable_slot(client: FlaskClient, app: Flask, clock: FrozenClock) -> int:
    """A free slot its booker may still cancel online: one starting after the change cut-off
    (BOOKING_CHANGE_CUTOFF_HOURS from the frozen « now »). A slot picked by its place in the
    list may start tomorrow morning, and then the cancel is refused, whatever the weekday."""
    cutoff = clock.now + timedelta(hours=app.config["BOOKING_CHANGE_CUTOFF_HOURS"])
    with app.app_context():
        later = db.session.scalars(
            select(Slot.id)
            .where(Slot.id.in_(_free_slots(client)), Slot.starts_at > cutoff)
            .order_by(Slot.starts_at, Slot.id)
        ).all()
    assert later, "no free slot after the change cut-off on the search page"
    return later[-1]


def _shown_form(client: FlaskClient, slot_id: int) -> str:
    """The key of the booking form this client is shown for the slot."""
    page = client.get(f"/rendez-vous/creneau/{slot_id}?commune={RENNES}")
    assert page.headers["Cache-Control"] == "no-store"
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page.get_data(as_text=True))
    assert key
    return key.group(1)


def _typed(key: str, slot_id: int, who: str) -> dict[str, str]:
    return {
        "key": key,
        "slot": str(slot_id),
        "commune": RENNES,
        "last_name": f"{who}-{uuid.uuid4().hex[:6]}",
        "first_name": who,
        "email": f"{who.lower()}.{uuid.uuid4().hex[:8]}@example.org",
        "phone": "06 12 34 56 78",
        "birth_date": "1984-03-02",
        "modality": "presentiel",
        "consent": "y",
    }


def _request_id(app: Flask, location: str) -> int:
    token = location.rsplit("/rendez-vous/gerer/", 1)[1]
    return request_id_from_token(app.config["SECRET_KEY"], token)


def test_a_double_submit_books_once_and_lands_on_the_same_page(
    client: FlaskClient, app: Flask
) -> None:
    slot_id = _free_slots(client)[-1]
    data = _typed(_shown_form(client, slot_id), slot_id, "Double")
    first = client.post("/rendez-vous/reserver", data=data)
    again = client.post("/rendez-vous/reserver", data=data)
    assert first.status_code == again.status_code == 303
    assert _request_id(app, first.location) == _request_id(app, again.location)
    assert "Votre rendez-vous est réservé." in client.get(again.location).get_data(as_text=True)
    with app.app_context():
        booked = db.session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot_id)
        )
        mails = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.to_address == data["email"])
        )
        assert (booked, mails) == (1, 1)


def test_someone_elses_key_with_other_details_is_a_new_attempt_on_a_shared_computer(
    client: FlaskClient, app: Flask
) -> None:
    """The exact finding: Back on a shared computer, the next person keeps the hidden key,
    types their own name and e-mail, and used to land on the first person's manage page."""
    slot_id = _free_slots(client)[-2]
    key = _shown_form(client, slot_id)
    first = client.post("/rendez-vous/reserver", data=_typed(key, slot_id, "Premiere"))
    assert first.status_code == 303
    second = _typed(key, slot_id, "Seconde")
    replay = client.post("/rendez-vous/reserver", data=second)
    # The same slot: it is taken, by someone else; the second person gets alternatives.
    assert replay.status_code == 409
    html = replay.get_data(as_text=True)
    assert "vient d&#39;être pris" in html
    assert f'value="{second["last_name"]}"' in html  # what they typed is kept
    assert "/rendez-vous/gerer/" not in html
    # On a free slot it books for the second person, under a request of their own.
    other_slot = _free_slots(client)[0]
    elsewhere = client.post("/rendez-vous/reserver", data={**second, "slot": str(other_slot)})
    assert elsewhere.status_code == 303
    assert _request_id(app, elsewhere.location) != _request_id(app, first.location)
    page = client.get(elsewhere.location).get_data(as_text=True)
    assert "Seconde" in page and "Premiere" not in page
    with app.app_context():
        request = db.session.get_one(AppointmentRequest, _request_id(app, elsewhere.location))
        assert request.beneficiary.email == second["email"]
        assert request.idempotency_key != key


def test_a_key_posted_from_another_session_is_never_a_replay(app: Flask) -> None:
    """Even with the first person's own details, a key copied into another browser does not
    open their booking: the slot is taken, so the post is refused with alternatives."""
    owner, stranger = app.test_client(), app.test_client()
    slot_id = _free_slots(owner)[-3]
    data = _typed(_shown_form(owner, slot_id), slot_id, "Owner")
    assert owner.post("/rendez-vous/reserver", data=data).status_code == 303
    stolen = stranger.post("/rendez-vous/reserver", data=data)
    assert stolen.status_code == 409
    assert "/rendez-vous/gerer/" not in stolen.get_data(as_text=True)
    with app.app_context():
        people = db.session.scalar(
            select(func.count()).select_from(Beneficiary).where(Beneficiary.email == data["email"])
        )
        assert people == 1


def test_back_after_a_cancel_says_nothing_is_booked(
    client: FlaskClient, app: Flask, clock: FrozenClock
) -> None:
    slot_id = _cancellable_slot(client, app, clock)
    data = _typed(_shown_form(client, slot_id), slot_id, "Annule")
    booked = client.post("/rendez-vous/reserver", data=data)
    assert booked.status_code == 303
    manage_path = booked.location
    assert client.get(manage_path).headers["Cache-Control"] == "no-store"  # Back asks again
    token = manage_path.rsplit("/", 1)[1]
    assert client.post(f"/rendez-vous/gerer/{token}/annuler").status_code == 303
    # The « annulé » message is read.
    assert "Votre rendez-vous est annulé." in client.get(manage_path).get_data(as_text=True)
    # Back to the booking form, and « Réserver » once more: the same form, the same person.
    replay = client.post("/rendez-vous/reserver", data=data)
    assert replay.status_code == 303
    page = client.get(replay.location).get_data(as_text=True)
    assert "Votre rendez-vous est réservé" not in page
    assert "Ce rendez-vous a été annulé : rien n&#39;est réservé." in page
    assert "Rendez-vous annulé" in page
    assert "Prendre un nouveau rendez-vous" in page
    with app.app_context():
        live = db.session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(Appointment.slot_id == slot_id, Appointment.status == "booked")
        )
        assert live == 0


def test_back_after_a_cancel_in_english(
    client: FlaskClient, app: Flask, clock: FrozenClock
) -> None:
    slot_id = _cancellable_slot(client, app, clock)
    data = _typed(_shown_form(client, slot_id), slot_id, "Cancel")
    token = client.post("/rendez-vous/reserver", data=data).location.rsplit("/", 1)[1]
    cancelled = client.post(f"/rendez-vous/gerer/{token}/annuler", follow_redirects=True)
    assert "Votre rendez-vous est annulé." in cancelled.get_data(as_text=True)
    client.get("/langue/en")
    try:
        replay = client.post("/rendez-vous/reserver", data=data, follow_redirects=True)
        assert "This appointment was cancelled: nothing is booked." in replay.get_data(as_text=True)
    finally:
        client.get("/langue/fr")

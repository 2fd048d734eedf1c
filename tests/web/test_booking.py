"""The public booking journey through the test client: search, book, move, cancel, and every
way it can go wrong — each with a message in the person's language and nothing lost."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.booking.tokens import manage_token, request_id_from_token
from portal.mail.models import OutboxMessage

RENNES = "35238"


def _slot_links(html: str) -> list[str]:
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'href="(/rendez-vous/creneau/[^"]+)"', html)
    ]


def _person(**changes: str) -> dict[str, str]:
    data = {
        "key": uuid.uuid4().hex,
        "commune": RENNES,
        "last_name": "Martin",
        "first_name": "Léa",
        "email": f"lea.{uuid.uuid4().hex[:8]}@example.org",
        "phone": "06 12 34 56 78",
        "birth_date": "1990-05-04",
        "modality": "presentiel",
        "consent": "y",
    }
    data.update(changes)
    return data


def _request_of(secret_key: str, location: str) -> int:
    """The request a manage page's URL names (its token, checked and decoded)."""
    match = re.fullmatch(r".*/rendez-vous/gerer/([^/?#]+)", location)
    assert match, location
    return request_id_from_token(secret_key, match[1])


def _free_slot(client: FlaskClient, query: str = "") -> int:
    html = client.get(f"/rendez-vous?commune={RENNES}{query}").get_data(as_text=True)
    return int(re.findall(r"/rendez-vous/creneau/(\d+)\?", html)[-1])


def _form_data(client: FlaskClient, slot_id: int, **changes: str) -> dict[str, str]:
    """What a person types into the booking form this client was shown (with its key)."""
    form = client.get(f"/rendez-vous/creneau/{slot_id}?commune={RENNES}").get_data(as_text=True)
    key = re.search(r'name="key" value="([0-9a-f]{32})"', form)
    assert key
    return _person(slot=str(slot_id), key=key.group(1), **changes)


@pytest.fixture
def booked(client: FlaskClient, app: Flask) -> Iterator[tuple[str, dict[str, str]]]:
    """A booking made through the form; yields the manage page path and what was typed."""
    data = _form_data(client, _free_slot(client))
    response = client.post("/rendez-vous/reserver", data=data)
    assert response.status_code == 303
    yield response.headers["Location"], data


def test_search_states_the_deadline_and_offers_slots(client: FlaskClient) -> None:
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    assert "Votre premier rendez-vous aura lieu au plus tard le" in html
    assert "Les premiers créneaux disponibles" in html
    assert _slot_links(html)


def test_search_in_english(client: FlaskClient) -> None:
    html = client.get(f"/rendez-vous?commune={RENNES}&lang=en").get_data(as_text=True)
    assert "Your first appointment will take place by" in html
    client.get("/langue/fr")


def test_remote_slots_only_when_asked_while_in_person_ones_are_free(client: FlaskClient) -> None:
    default = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    assert "par téléphone ou en visio ? Choisissez-le" in default
    assert "modalite=telephone" not in default
    phone = client.get(f"/rendez-vous?commune={RENNES}&modalite=telephone").get_data(as_text=True)
    assert "modalite=telephone" in phone
    assert "modalite=presentiel" not in phone


def test_part_of_day_filter_keeps_extended_hours(client: FlaskClient) -> None:
    html = client.get(f"/rendez-vous?commune={RENNES}&moment=matin").get_data(as_text=True)
    times = re.findall(r'aria-label="[^"]*">(\d+) h (\d\d)</a>', html)
    assert times
    assert all((int(h), int(m)) < (9, 30) and int(h) >= 7 for h, m in times)


def test_a_wrong_filter_is_ignored_with_a_message(client: FlaskClient) -> None:
    response = client.get(f"/rendez-vous?commune={RENNES}&modalite=pigeon&semaine=demain")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Un filtre n'était pas valide" in html or "Un filtre n&#39;était pas valide" in html
    assert _slot_links(html)


def test_week_paging_works_without_javascript_and_as_a_fragment(client: FlaskClient) -> None:
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    next_week = re.search(r'href="([^"]+semaine=[^"]+)"[^>]*>Semaine suivante', html)
    assert next_week
    url = next_week.group(1).replace("&amp;", "&")
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    fragment = client.get(url, headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="slots"')
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_booking_confirms_queues_an_email_with_an_invitation(
    booked: tuple[str, dict[str, str]], client: FlaskClient, app: Flask
) -> None:
    manage_path, data = booked
    page = client.get(manage_path).get_data(as_text=True)
    assert "Votre rendez-vous est réservé." in page
    assert "Léa Martin" in page
    with app.app_context():
        from portal.extensions import db

        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == data["email"])
        )
        assert mail is not None
        assert "au plus tard le" in mail.body_text
        assert any(a.filename.endswith(".ics") for a in mail.attachments)


def test_a_double_submitted_form_books_once(client: FlaskClient, app: Flask) -> None:
    data = _form_data(client, _free_slot(client))
    first = client.post("/rendez-vous/reserver", data=data)
    again = client.post("/rendez-vous/reserver", data=data)
    assert first.status_code == again.status_code == 303
    # Both land on the page of the same booking. The tokens themselves carry the second they
    # were signed in, so their bytes differ across a second boundary: compare what they name.
    secret = app.config["SECRET_KEY"]
    assert _request_of(secret, first.headers["Location"]) == _request_of(
        secret, again.headers["Location"]
    )
    with app.app_context():
        from portal.extensions import db

        requests = db.session.scalars(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
        ).all()
        assert len(requests) == 1
        assert _request_of(secret, first.headers["Location"]) == requests[0].id
        appointments = db.session.scalars(
            select(Appointment).where(Appointment.request_id == requests[0].id)
        ).all()
        assert len(appointments) == 1
        mails = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == data["email"])
        ).all()
        assert len(mails) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "lea@", "Cette adresse e-mail n"),
        ("phone", "12", "n&#39;est pas un numéro de téléphone valide"),
        ("birth_date", "2099-01-01", "ne peut pas être dans le futur"),
        ("consent", "", "Votre accord est nécessaire"),
    ],
)
def test_bad_input_keeps_what_was_typed(
    client: FlaskClient, field: str, value: str, message: str
) -> None:
    data = _form_data(client, _free_slot(client), last_name="Keïta-Dupont")
    if value:
        data[field] = value
    else:
        data.pop(field)
    response = client.post("/rendez-vous/reserver", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="Keïta-Dupont"' in html
    assert f'value="{data["key"]}"' in html


def test_a_slot_taken_meanwhile_offers_alternatives(
    client: FlaskClient, booked: tuple[str, dict[str, str]], app: Flask
) -> None:
    _, first = booked
    data = _person(slot=first["slot"], first_name="Inès")
    response = client.post("/rendez-vous/reserver", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "vient d&#39;être pris" in html
    assert 'type="radio" id="slot-1" name="slot"' in html
    assert 'value="Inès"' in html


def test_a_vanished_or_past_slot_is_refused(client: FlaskClient, app: Flask) -> None:
    with app.app_context():
        from portal.extensions import db

        # A past slot that offers the modality the form sends, so that only its date is wrong.
        past = next(
            (
                slot.id
                for slot in db.session.scalars(
                    select(Slot).where(Slot.starts_at < datetime.now(UTC)).order_by(Slot.id)
                )
                if slot.offers_presentiel
            ),
            None,
        )
    for slot_id in filter(None, [past, 999_999_999]):
        response = client.post("/rendez-vous/reserver", data=_person(slot=str(slot_id)))
        assert response.status_code in (409, 422)
        assert "n&#39;est plus disponible" in response.get_data(as_text=True)
    page = client.get(f"/rendez-vous/creneau/999999999?commune={RENNES}", follow_redirects=True)
    assert "n&#39;est plus disponible" in page.get_data(as_text=True)


def test_a_tampered_link_says_so(client: FlaskClient, app: Flask) -> None:
    forged = manage_token("not-our-secret", 1)
    response = client.get(f"/rendez-vous/gerer/{forged}")
    assert response.status_code == 404
    assert "Ce lien n'est pas valide" in response.get_data(as_text=True)


def test_move_then_cancel_with_the_link(
    client: FlaskClient, booked: tuple[str, dict[str, str]], app: Flask
) -> None:
    manage_path, data = booked
    with app.app_context():
        from portal.extensions import db

        # Put the appointment beyond the cut-off so that it may be changed.
        request = db.session.scalar(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
        )
        assert request is not None
        token = manage_token(app.config["SECRET_KEY"], request.id)
    move_page = client.get(f"/rendez-vous/gerer/{token}/deplacer").get_data(as_text=True)
    targets = re.findall(r'href="(/rendez-vous/gerer/[^"]+/deplacer/(\d+)[^"]*)"', move_page)
    candidates = [(url, sid) for url, sid in targets if sid != data["slot"]]
    url, new_slot = candidates[-1]
    confirm = client.get(url.replace("&amp;", "&"))
    assert confirm.status_code == 200
    moved = client.post(
        f"/rendez-vous/gerer/{token}/deplacer/{new_slot}", data={"modality": "presentiel"}
    )
    assert moved.status_code == 303
    assert "Votre rendez-vous est déplacé" in client.get(manage_path).get_data(as_text=True)
    with app.app_context():
        from portal.extensions import db

        appointments = db.session.scalars(
            select(Appointment).where(Appointment.request_id == request.id).order_by(Appointment.id)
        ).all()
        assert [a.status for a in appointments] == ["moved", "booked"]
        assert appointments[1].slot_id == int(new_slot)
        assert appointments[1].sequence == 1
    cancelled = client.post(f"/rendez-vous/gerer/{token}/annuler")
    assert cancelled.status_code == 303
    page = client.get(manage_path).get_data(as_text=True)
    assert "Rendez-vous annulé" in page


def test_no_change_past_the_cut_off(
    client: FlaskClient, booked: tuple[str, dict[str, str]], app: Flask
) -> None:
    manage_path, data = booked
    with app.app_context():
        from portal.extensions import db

        request = db.session.scalar(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
        )
        assert request is not None
        soon = datetime.now(UTC) + timedelta(hours=5)
        db.session.execute(
            update(Appointment)
            .where(Appointment.request_id == request.id)
            .values(starts_at=soon, ends_at=soon + timedelta(hours=1))
        )
        db.session.commit()
        token = manage_token(app.config["SECRET_KEY"], request.id)
    page = client.get(manage_path).get_data(as_text=True)
    assert "Déplacer le rendez-vous" not in page
    assert "moins de 24 heures" in page
    refused = client.post(f"/rendez-vous/gerer/{token}/annuler", follow_redirects=True)
    assert "ne peut plus être modifié en ligne" in refused.get_data(as_text=True)


def test_nothing_free_before_the_deadline_records_a_waiting_request(
    client: FlaskClient, app: Flask
) -> None:
    mamoudzou = "97611"  # Mayotte: 2 sites, no neighbouring lot within reach
    with app.app_context():
        from portal.extensions import db
        from portal.network.models import Operator

        operator = db.session.scalar(select(Operator).where(Operator.lot_number == 18))
        assert operator is not None
        now = datetime.now(UTC)
        db.session.execute(
            update(Slot)
            .where(Slot.operator_id == operator.id, Slot.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
        )
        db.session.commit()
    try:
        html = client.get(f"/rendez-vous?commune={mamoudzou}").get_data(as_text=True)
        assert "Aucun créneau n'est libre avant la date limite" in html
        form = client.get(f"/rendez-vous/demande?commune={mamoudzou}").get_data(as_text=True)
        key = re.search(r'name="key" value="([^"]+)"', form)
        assert key
        data = _person(key=key.group(1), commune=mamoudzou, phone="0639 01 23 45", modality="")
        response = client.post("/rendez-vous/demande", data=data)
        assert response.status_code == 303
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Demande en attente" in page
        assert "vous appellera" in page
        with app.app_context():
            from portal.extensions import db

            request = db.session.scalar(
                select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
            )
            assert request is not None and request.status == RequestStatus.WAITING
            assert request.call_back_by is not None and request.call_back_by <= request.deadline
            assert request.beneficiary.phone == "+262639012345"
    finally:
        with app.app_context():
            from portal.extensions import db

            db.session.execute(
                update(Slot).where(Slot.withdrawn_at == now).values(withdrawn_at=None)
            )
            db.session.commit()

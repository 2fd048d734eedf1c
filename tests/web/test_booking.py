"""The public booking journey through the test client: search, book, move, cancel, and every
way it can go wrong — each with a message in the person's language and nothing lost."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.booking.tokens import manage_token, request_id_from_token
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.conftest import FrozenClock
from tests.mail_data import rendered_by_sender

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


def _two_weeks(client: FlaskClient, url: str) -> str:
    """A slots page on the week it opens on, then on the next one (« Semaine suivante »): what
    is left of the first week depends on the day and hour the suite runs (on a Friday
    morning, no early slot; on a Thursday night, nothing past the change cut-off)."""
    html = client.get(url).get_data(as_text=True)
    next_week = re.search(r'href="([^"]+semaine=[^"]+)"[^>]*>Semaine suivante', html)
    if next_week is None:
        return html
    return html + client.get(next_week.group(1).replace("&amp;", "&")).get_data(as_text=True)


def _linked_slots(client: FlaskClient, url: str, link: str) -> list[int]:
    """The slots a slots page links to (`link` captures the id), over two weeks."""
    return [int(i) for i in re.findall(link, _two_weeks(client, url))]


def _changeable_slot(app: Flask, clock: FrozenClock, ids: list[int], avoid: int = 0) -> int:
    """Among the slots shown, the latest in-person one its booker may still move or cancel
    online: starting after the change cut-off (BOOKING_CHANGE_CUTOFF_HOURS from the frozen
    « now », the one the views read). A slot picked by its place in the list may start
    tomorrow morning, and then the change is refused, whatever the weekday."""
    cutoff = clock.now + timedelta(hours=app.config["BOOKING_CHANGE_CUTOFF_HOURS"])
    with app.app_context():
        later = db.session.scalars(
            select(Slot.id)
            .where(
                Slot.id.in_(ids),
                Slot.id != avoid,
                Slot.starts_at > cutoff,
                Slot.offers_presentiel.is_(True),
            )
            .order_by(Slot.starts_at, Slot.id)
        ).all()
    assert later, "no free in-person slot after the change cut-off on the page or the next"
    return later[-1]


def _free_slot(client: FlaskClient, app: Flask, clock: FrozenClock) -> int:
    """A free slot of the search page that may still be changed once booked."""
    shown = _linked_slots(client, f"/rendez-vous?commune={RENNES}", r"/rendez-vous/creneau/(\d+)\?")
    return _changeable_slot(app, clock, shown)


def _form_data(client: FlaskClient, slot_id: int, **changes: str) -> dict[str, str]:
    """What a person types into the booking form this client was shown (with its key)."""
    form = client.get(f"/rendez-vous/creneau/{slot_id}?commune={RENNES}").get_data(as_text=True)
    key = re.search(r'name="key" value="([0-9a-f]{32})"', form)
    assert key
    return _person(slot=str(slot_id), key=key.group(1), **changes)


@pytest.fixture
def booked(
    client: FlaskClient, app: Flask, clock: FrozenClock
) -> Iterator[tuple[str, dict[str, str]]]:
    """A booking made through the form, on a slot past the change cut-off; yields the manage
    page path and what was typed."""
    data = _form_data(client, _free_slot(client, app, clock))
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
    html = _two_weeks(client, f"/rendez-vous?commune={RENNES}&moment=matin")
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
        mail = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == data["email"])
        )
        assert mail is not None
        assert "au plus tard le" in rendered_by_sender(app, mail).body_text
        assert any(a.filename.endswith(".ics") for a in mail.attachments)


def test_a_double_submitted_form_books_once(
    client: FlaskClient, app: Flask, clock: FrozenClock
) -> None:
    data = _form_data(client, _free_slot(client, app, clock))
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
    client: FlaskClient, app: Flask, clock: FrozenClock, field: str, value: str, message: str
) -> None:
    data = _form_data(client, _free_slot(client, app, clock), last_name="Keïta-Dupont")
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


def test_a_vanished_or_past_slot_is_refused(
    client: FlaskClient, app: Flask, clock: FrozenClock
) -> None:
    with app.app_context():
        # A past slot that offers the modality the form sends, so that only its date is wrong.
        past = next(
            (
                slot.id
                for slot in db.session.scalars(
                    select(Slot).where(Slot.starts_at < clock.now).order_by(Slot.id)
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
    client: FlaskClient, booked: tuple[str, dict[str, str]], app: Flask, clock: FrozenClock
) -> None:
    # `booked` is past the cut-off, so it may be moved; the new slot is past it too, so the
    # moved appointment may still be cancelled.
    manage_path, data = booked
    with app.app_context():
        request = db.session.scalar(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
        )
        assert request is not None
        token = manage_token(app.config["SECRET_KEY"], request.id)
    targets = _linked_slots(
        client, f"/rendez-vous/gerer/{token}/deplacer", r"/rendez-vous/gerer/[^/\"]+/deplacer/(\d+)"
    )
    new_slot = _changeable_slot(app, clock, targets, avoid=int(data["slot"]))
    confirm = client.get(f"/rendez-vous/gerer/{token}/deplacer/{new_slot}")
    assert confirm.status_code == 200
    moved = client.post(
        f"/rendez-vous/gerer/{token}/deplacer/{new_slot}", data={"modality": "presentiel"}
    )
    assert moved.status_code == 303
    assert "Votre rendez-vous est déplacé" in client.get(manage_path).get_data(as_text=True)
    with app.app_context():
        appointments = db.session.scalars(
            select(Appointment).where(Appointment.request_id == request.id).order_by(Appointment.id)
        ).all()
        assert [a.status for a in appointments] == ["moved", "booked"]
        assert appointments[1].slot_id == new_slot
        assert appointments[1].sequence == 1
    cancelled = client.post(f"/rendez-vous/gerer/{token}/annuler")
    assert cancelled.status_code == 303
    page = client.get(manage_path).get_data(as_text=True)
    assert "Votre rendez-vous est annulé." in page
    assert "Rendez-vous annulé" in page


def test_no_change_past_the_cut_off(
    client: FlaskClient, booked: tuple[str, dict[str, str]], app: Flask, clock: FrozenClock
) -> None:
    manage_path, data = booked
    with app.app_context():
        request = db.session.scalar(
            select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
        )
        assert request is not None
        soon = clock.now + timedelta(hours=5)  # the views' « now », frozen
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
    client: FlaskClient, app: Flask, clock: FrozenClock
) -> None:
    mamoudzou = "97611"  # Mayotte: 2 sites, no neighbouring lot within reach
    with app.app_context():
        from portal.network.models import Operator

        operator = db.session.scalar(select(Operator).where(Operator.lot_number == 18))
        assert operator is not None
        withdrawn = db.session.scalars(
            select(Slot.id).where(Slot.operator_id == operator.id, Slot.withdrawn_at.is_(None))
        ).all()
        db.session.execute(
            update(Slot).where(Slot.id.in_(withdrawn)).values(withdrawn_at=clock.now)
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
            request = db.session.scalar(
                select(AppointmentRequest).where(AppointmentRequest.idempotency_key == data["key"])
            )
            assert request is not None and request.status == RequestStatus.WAITING
            assert request.call_back_by is not None and request.call_back_by <= request.deadline
            assert request.beneficiary.phone == "+262639012345"
    finally:
        with app.app_context():
            # Put back only the slots this test withdrew (another test may have withdrawn
            # some at the same frozen instant).
            db.session.execute(update(Slot).where(Slot.id.in_(withdrawn)).values(withdrawn_at=None))
            db.session.commit()

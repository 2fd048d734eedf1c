"""The operator staff's booking screens through the test client: availability, waiting
requests, appointments and indicator 8.4, with who may open what."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from werkzeug.security import generate_password_hash

from portal.booking.calendar import TERRITORIES, working_days_between
from portal.booking.models import AppointmentRequest, AppointmentStatus, RequestStatus, Slot
from portal.clock import today_in_france
from portal.extensions import db
from portal.network.models import StaffMember
from tests import staff_booking_data as data

PASSWORD = "un mot de passe de test assez long"
PASSWORD_HASH = generate_password_hash(PASSWORD)
MANAGER = "manager@lot16.cep-demo.example"
ADVISOR = "conseiller1@lot16.cep-demo.example"
OTHER_MANAGER = "manager@lot10.cep-demo.example"
OTHER_ADVISOR = "conseiller1@lot10.cep-demo.example"
DEMO_STAFF = (MANAGER, ADVISOR, OTHER_MANAGER, OTHER_ADVISOR)


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@pytest.fixture
def rows(app: Flask) -> Iterator[dict[str, list[int]]]:
    """Demo staff with a known password; committed test rows, removed afterwards."""
    made: dict[str, list[int]] = {"advisors": [], "requests": []}
    with app.app_context():
        staff = db.session.scalars(select(StaffMember).where(StaffMember.email.in_(DEMO_STAFF)))
        before = {member.email: member.password_hash for member in staff}
        for member in db.session.scalars(
            select(StaffMember).where(StaffMember.email.in_(DEMO_STAFF))
        ):
            member.password_hash = PASSWORD_HASH
        db.session.commit()
    yield made
    with app.app_context():
        for member in db.session.scalars(
            select(StaffMember).where(StaffMember.email.in_(DEMO_STAFF))
        ):
            member.password_hash = before[member.email]
        data.remove(db.session, **made, emails=list(DEMO_STAFF))


def sign_in(client: FlaskClient, email: str) -> FlaskClient:
    response = client.post("/pro/connexion", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.data
    return client


@pytest.fixture
def manager(app: Flask, rows: dict[str, list[int]]) -> FlaskClient:
    return sign_in(app.test_client(), MANAGER)


@pytest.fixture
def advisor_id(app: Flask, rows: dict[str, list[int]]) -> int:
    """A fresh advisor of operator 16 at its first site, with no window yet."""
    with app.app_context():
        op = data.operator(db.session)
        advisor = data.new_advisor(
            db.session, op, data.sites(db.session, op)[0], name="Zoé Testeuse"
        )
        advisor.password_hash = PASSWORD_HASH
        db.session.commit()
        rows["advisors"].append(advisor.id)
        return advisor.id


def window_form(app: Flask, advisor_id: int, **changes: str) -> dict[str, str]:
    with app.app_context():
        advisor = db.session.get(StaffMember, advisor_id)
        assert advisor is not None
        site_id = advisor.sites[0].id
    form = {
        "window-site": str(site_id),
        "window-weekday": "0",
        "window-starts": "09:00",
        "window-ends": "12:00",
        "window-modalities": "presentiel",
        "window-slot_minutes": "60",
        "window-valid_from": today_in_france().isoformat(),
        "window-valid_until": "",
    }
    form.update({f"window-{key}": value for key, value in changes.items()})
    return form


def live_slots(app: Flask, advisor_id: int) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count(Slot.id)).where(
                    Slot.advisor_id == advisor_id, Slot.withdrawn_at.is_(None)
                )
            )
            or 0
        )


def test_a_manager_adds_a_window_and_its_slots_appear(
    app: Flask, manager: FlaskClient, advisor_id: int
) -> None:
    page = text_of(manager.get(f"/pro/disponibilites/{advisor_id}").data)
    assert "Aucune plage" in page
    assert live_slots(app, advisor_id) == 0

    response = manager.post(
        f"/pro/disponibilites/{advisor_id}/plages", data=window_form(app, advisor_id)
    )
    assert response.status_code == 303
    assert live_slots(app, advisor_id) >= 3 * 6  # materialised at once, no cron needed
    page = text_of(manager.get(response.headers["Location"]).data)
    assert "Plage ajoutée" in page
    assert "créneaux créés" in page
    assert "Lundi 9 h 00–12 h 00" in page

    listed = text_of(manager.get("/pro/disponibilites?q=Zoé+Testeuse").data)
    assert "1 conseiller" in listed
    assert "Zoé Testeuse" in listed and "Lundi 9 h 00–12 h 00" in listed


def test_an_overlapping_window_is_refused_with_what_was_typed(
    app: Flask, manager: FlaskClient, advisor_id: int
) -> None:
    url = f"/pro/disponibilites/{advisor_id}/plages"
    assert manager.post(url, data=window_form(app, advisor_id)).status_code == 303
    response = manager.post(
        url, data=window_form(app, advisor_id, starts="10:30", ends="12:30", slot_minutes="30")
    )
    assert response.status_code == 422
    body = response.data.decode()
    page = text_of(response.data)
    assert "a déjà une plage le lundi de 9 h 00 à 12 h 00" in page
    assert 'value="10:30"' in body and 'value="12:30"' in body and 'value="30"' in body
    assert "<title>Erreur :" in body


def test_a_window_outside_opening_hours_is_refused(
    app: Flask, manager: FlaskClient, advisor_id: int
) -> None:
    response = manager.post(
        f"/pro/disponibilites/{advisor_id}/plages",
        data=window_form(app, advisor_id, starts="07:00", ends="09:00"),
    )
    assert response.status_code == 422
    assert "en dehors des horaires d'ouverture du site" in text_of(response.data)
    assert live_slots(app, advisor_id) == 0


def test_an_absence_over_a_booking_lists_it_to_reschedule(
    app: Flask, manager: FlaskClient, advisor_id: int, rows: dict[str, list[int]]
) -> None:
    manager.post(f"/pro/disponibilites/{advisor_id}/plages", data=window_form(app, advisor_id))
    with app.app_context():
        advisor = db.session.get(StaffMember, advisor_id)
        slot = data.first_free_slot(db.session, advisor)  # type: ignore[arg-type]
        request = data.request_for(
            db.session,
            data.operator(db.session),
            requested_on=today_in_france(),
            last_name="Absentée",
        )
        data.book(db.session, slot, request)
        db.session.commit()
        rows["requests"].append(request.id)
        day = slot.starts_at.astimezone(UTC).date()
    response = manager.post(
        f"/pro/disponibilites/{advisor_id}/absences",
        data={
            "absence-starts_on": (day - timedelta(days=1)).isoformat(),
            "absence-ends_on": (day + timedelta(days=1)).isoformat(),
            "absence-reason": "Congés",
        },
    )
    assert response.status_code == 303
    page = text_of(manager.get(response.headers["Location"]).data)
    assert "1 rendez-vous est à replanifier" in page
    assert "Camille Absentée" in page and "06 12 34 56 78" in page
    waiting = text_of(manager.get("/pro/demandes-en-attente").data)
    assert "à replanifier" in waiting and "Camille Absentée" in waiting


@pytest.mark.parametrize("email", [OTHER_ADVISOR, OTHER_MANAGER, ADVISOR])
def test_another_operator_or_an_advisor_gets_404_on_an_advisor_page(
    app: Flask, advisor_id: int, email: str
) -> None:
    client = sign_in(app.test_client(), email)
    assert client.get(f"/pro/disponibilites/{advisor_id}").status_code == 404
    response = client.post(
        f"/pro/disponibilites/{advisor_id}/plages", data=window_form(app, advisor_id)
    )
    assert response.status_code == 404
    assert live_slots(app, advisor_id) == 0


@pytest.mark.parametrize("url", ["/pro/disponibilites", "/pro/indicateurs/delai"])
def test_an_advisor_cannot_open_manager_pages(
    app: Flask, rows: dict[str, list[int]], url: str
) -> None:
    assert sign_in(app.test_client(), ADVISOR).get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/pro/disponibilites",
        "/pro/demandes-en-attente",
        "/pro/mes-rendez-vous",
        "/pro/agenda",
        "/pro/indicateurs/delai",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 303
    assert "/pro/connexion" in response.headers["Location"]


def test_the_advisor_list_filters_by_site_and_pages(app: Flask, manager: FlaskClient) -> None:
    page = text_of(manager.get("/pro/disponibilites").data)
    assert "conseillers" in page
    with app.app_context():
        site = data.sites(db.session, data.operator(db.session))[1]
        site_id, site_name = site.id, site.name
    filtered = manager.get(f"/pro/disponibilites?site={site_id}", headers={"HX-Request": "true"})
    assert "HX-Request" in filtered.headers["Vary"]
    body = filtered.data.decode()
    assert body.lstrip().startswith('<section id="advisor-results"')
    assert site_name in text_of(filtered.data)


def waiting_request(
    app: Flask, rows: dict[str, list[int]], requested_on: date, last_name: str
) -> tuple[int, int]:
    with app.app_context():
        request = data.request_for(
            db.session,
            data.operator(db.session),
            requested_on=requested_on,
            status=RequestStatus.WAITING,
            call_back_by=today_in_france() + timedelta(days=2),
            last_name=last_name,
        )
        db.session.commit()
        rows["requests"].append(request.id)
        left = working_days_between(
            today_in_france(), request.deadline, TERRITORIES[request.territory]
        )
        return request.id, left


def card(body: str, request_id: int) -> str:
    found = re.search(rf'<li class="([^"]*)" id="demande-{request_id}">(.*?)</li>', body, re.S)
    assert found, f"request {request_id} is not listed"
    return found.group(1) + " " + text_of(found.group(2).encode())


def test_the_waiting_page_lists_a_request_with_its_working_days_left(
    app: Flask, rows: dict[str, list[int]]
) -> None:
    today = today_in_france()
    request_id, left = waiting_request(app, rows, today, "Attente")
    late_id, late = waiting_request(app, rows, today - timedelta(days=60), "Retard")
    assert left == 30 and late < 0
    client = sign_in(app.test_client(), ADVISOR)
    body = client.get("/pro/demandes-en-attente").data.decode()
    fresh, overdue = card(body, request_id), card(body, late_id)
    assert "Camille Attente" in fresh and "06 12 34 56 78" in fresh
    assert "30 jours ouvrés" in fresh and "is-urgent" not in fresh
    assert f"délai dépassé de {-late} jour" in overdue and "is-urgent" in overdue
    assert body.index(f'id="demande-{late_id}"') < body.index(f'id="demande-{request_id}"')

    response = client.post(f"/pro/demandes-en-attente/{request_id}/rappel")
    assert response.status_code == 303
    with app.app_context():
        called = db.session.get(AppointmentRequest, request_id).called_back_at  # type: ignore[union-attr]
    assert called is not None
    assert "Rappel effectué le" in text_of(client.get("/pro/demandes-en-attente").data)

    # Again, through htmx: the list comes back, the first call is kept.
    again = client.post(
        f"/pro/demandes-en-attente/{request_id}/rappel", headers={"HX-Request": "true"}
    )
    assert again.status_code == 200
    assert again.data.decode().lstrip().startswith('<div id="waiting-requests">')
    with app.app_context():
        assert db.session.get(AppointmentRequest, request_id).called_back_at == called  # type: ignore[union-attr]

    other = sign_in(app.test_client(), OTHER_MANAGER)
    assert other.post(f"/pro/demandes-en-attente/{request_id}/rappel").status_code == 404
    assert "Camille Attente" not in text_of(other.get("/pro/demandes-en-attente").data)


def test_an_advisor_sees_their_appointments_of_the_week(
    app: Flask, manager: FlaskClient, advisor_id: int, rows: dict[str, list[int]]
) -> None:
    manager.post(f"/pro/disponibilites/{advisor_id}/plages", data=window_form(app, advisor_id))
    with app.app_context():
        advisor = db.session.get(StaffMember, advisor_id)
        slot = data.first_free_slot(db.session, advisor)  # type: ignore[arg-type]
        request = data.request_for(
            db.session,
            data.operator(db.session),
            requested_on=today_in_france(),
            last_name="Agenda",
        )
        data.book(db.session, slot, request)
        db.session.commit()
        rows["requests"].append(request.id)
        email = advisor.email  # type: ignore[union-attr]
        monday = slot.starts_at.date() - timedelta(days=slot.starts_at.weekday())
    client = sign_in(app.test_client(), email)
    page = text_of(client.get(f"/pro/agenda?week={monday.isoformat()}").data)
    assert "Camille Agenda" in page and "06 12 34 56 78" in page
    assert "Sur place" in page
    assert re.search(r"Lundi \d+ \w+ .*(9|10|11) h 00", page)
    # A manager sees it too, and a filter on another advisor hides it.
    seen = text_of(manager.get(f"/pro/agenda?week={monday.isoformat()}&advisor={advisor_id}").data)
    assert "Camille Agenda" in seen
    with app.app_context():
        colleague = db.session.scalar(select(StaffMember.id).where(StaffMember.email == ADVISOR))
    hidden = text_of(manager.get(f"/pro/agenda?week={monday.isoformat()}&advisor={colleague}").data)
    assert "Camille Agenda" not in hidden


def count_queries(app: Flask) -> tuple[list[str], Callable[[], None]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    return statements, lambda: event.remove(engine, "before_cursor_execute", record)


def test_the_delay_page_shows_a_request_with_its_first_appointment(
    app: Flask, manager: FlaskClient, advisor_id: int, rows: dict[str, list[int]]
) -> None:
    # Requested on Monday 1 March 2021, seen on Tuesday 9 March: 6 working days, 8 calendar days.
    with app.app_context():
        advisor = db.session.get(StaffMember, advisor_id)
        site = advisor.sites[0]  # type: ignore[union-attr]
        site_name = site.name
        request = data.request_for(
            db.session, data.operator(db.session), requested_on=date(2021, 3, 1)
        )
        moved = data.slot_at(db.session, advisor, site, datetime(2021, 3, 3, 9, tzinfo=UTC))  # type: ignore[arg-type]
        data.book(db.session, moved, request, status=AppointmentStatus.MOVED)
        held = data.slot_at(db.session, advisor, site, datetime(2021, 3, 9, 9, tzinfo=UTC))  # type: ignore[arg-type]
        data.book(db.session, held, request, status=AppointmentStatus.HELD)
        db.session.commit()
        rows["requests"].append(request.id)
    statements, stop = count_queries(app)
    try:
        response = manager.get("/pro/indicateurs/delai?start=2021-03-01&end=2021-03-01")
    finally:
        stop()
    assert response.status_code == 200
    page = text_of(response.data)
    assert "1 demande du 1 mars 2021 au 1 mars 2021" in page
    assert "100 %" in page.replace("\u202f", " ").replace("\xa0", " ")
    assert re.search(
        re.escape(site_name) + r" 1 100 %? ?6 6 8 8",
        page.replace("\u202f", " ").replace("\xa0", " "),
    )
    assert "Capacité des 30 prochains jours ouvrés" in page
    assert len(statements) <= 10, statements


def test_the_delay_page_defaults_to_13_weeks_and_checks_the_period(manager: FlaskClient) -> None:
    page = text_of(manager.get("/pro/indicateurs/delai").data)
    start = today_in_france() - timedelta(weeks=13)
    assert f'value="{start.isoformat()}"' in manager.get("/pro/indicateurs/delai").data.decode()
    assert "créneaux libres" in page
    response = manager.get("/pro/indicateurs/delai?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 422
    assert "La fin de la période précède son début." in text_of(response.data)
    assert manager.get("/pro/indicateurs/delai?start=hier&end=2026-04-01").status_code == 422


def test_staff_actions_need_the_csrf_token(app: Flask, rows: dict[str, list[int]]) -> None:
    request_id, _left = waiting_request(app, rows, today_in_france(), "Jeton")
    client = sign_in(app.test_client(), ADVISOR)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        url = f"/pro/demandes-en-attente/{request_id}/rappel"
        assert client.post(url).status_code == 400
        page = client.get("/pro/demandes-en-attente").data.decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        # htmx sends the token as a header (from <body hx-headers>), a plain form as a field.
        headers = {"HX-Request": "true", "X-CSRFToken": token.group(1)}
        assert client.post(url, headers=headers).status_code == 200
        assert client.post(url, data={"csrf_token": token.group(1)}).status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_agenda_answers_its_week_fragment_to_htmx(manager: FlaskClient) -> None:
    next_week = today_in_france() + timedelta(days=7)
    response = manager.get(
        f"/pro/agenda?week={next_week.isoformat()}", headers={"HX-Request": "true"}
    )
    assert "HX-Request" in response.headers["Vary"]
    body = response.data.decode().lstrip()
    assert body.startswith('<section id="agenda-week"')
    assert "Semaine précédente" in body  # a later week links back

"""The agenda's screens through the test client (issue 14 §3): the week, the manager's choice
of advisor, moving an appointment (rules, bad input kept, the person told), and the iCalendar
feed behind a secret URL (only its owner makes it; revoked, it answers 404)."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from portal.advisor.models import UnitKind
from portal.booking.models import Appointment, AppointmentStatus
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import Modality, StaffMember, StaffRole
from tests import agenda_data as data
from tests import workspace_data as ws
from tests.conftest import FrozenClock

VIDEO = "https://visio.example.fr/cep-abc123"


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


def counting(app: Flask) -> tuple[list[str], Callable[[], None]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    return statements, lambda: event.remove(engine, "before_cursor_execute", record)


def a_week(app: Flask, today: date, code: str = "16") -> dict[str, object]:
    """An advisor with a first appointment on Monday and a video session on Tuesday."""
    with app.app_context():
        session = db.session
        advisor = ws.staff(session, code, name="Alix Conseillère")
        monday = data.later_monday(today)
        first, request = data.first_appointment(session, advisor, data.at(monday, 10))
        unit = data.unit(session, advisor, today)
        follow = data.session_of(
            session, unit, advisor, data.at(monday + timedelta(days=1), 14),
            modality=Modality.VISIO, video_url=VIDEO,
        )  # fmt: skip
        data.slot(session, advisor, data.at(monday + timedelta(days=2), 9))  # free
        session.commit()
        return {
            "email": advisor.email, "advisor_id": advisor.id, "monday": monday,
            "first": first.id, "session": follow.id, "slot_deadline": request.deadline,
            "person_email": request.beneficiary.email, "unit_number": unit.number,
            "dossier_id": unit.dossier_id, "unit_deadline": unit.deadline,
        }  # fmt: skip


def manager_of(app: Flask, code: str = "16") -> FlaskClient:
    with app.app_context():
        email = ws.staff(db.session, code, StaffRole.MANAGER).email
        db.session.commit()
    return ws.sign_in(app.test_client(), email)


def test_an_advisor_sees_their_own_week_in_few_statements(app: Flask, clock: FrozenClock) -> None:
    week = a_week(app, clock.today)
    client = ws.sign_in(app.test_client(), str(week["email"]))
    statements, stop = counting(app)
    try:
        response = client.get(f"/pro/agenda?week={week['monday']}")
    finally:
        stop()
    assert response.status_code == 200
    page = text_of(response.data)
    assert "Camille Dupont" in page and "Premier rendez-vous" in page
    assert f"Séance UO1 {week['unit_number']}" in page
    assert "Libre 9 h 00–10 h 00" in page.replace("\u202f", " ")
    body = response.data.decode()
    assert VIDEO in body  # the advisor of the session sees its link
    assert f"/pro/dossiers/{week['dossier_id']}" in body
    assert f"/pro/agenda/rendez-vous/{week['first']}/deplacer" in body
    assert len(statements) <= 10, statements
    # The week links and « Aujourd'hui ».
    assert "Semaine suivante" in page and "Aujourd'hui" in page


def test_a_manager_picks_an_advisor_of_their_operator_only(app: Flask, clock: FrozenClock) -> None:
    week = a_week(app, clock.today)
    manager = manager_of(app)
    assert "Choisissez un conseiller" in text_of(manager.get("/pro/agenda").data)
    response = manager.get(f"/pro/agenda?advisor={week['advisor_id']}&week={week['monday']}")
    assert response.status_code == 200
    page = text_of(response.data)
    assert "Agenda de Alix Conseillère" in page and "Camille Dupont" in page
    assert VIDEO not in response.data.decode()  # the link is the two parties' only
    foreign = a_week(app, clock.today, code="10")
    assert manager.get(f"/pro/agenda?advisor={foreign['advisor_id']}").status_code == 404
    assert manager.get("/pro/agenda?advisor=99999999999999999999").status_code == 404


def test_the_old_week_list_redirects_with_its_query(app: Flask, clock: FrozenClock) -> None:
    manager = manager_of(app)
    response = manager.get("/pro/mes-rendez-vous?week=2026-12-14&advisor=7")
    assert response.status_code == 301
    assert response.location.endswith("/pro/agenda?week=2026-12-14&advisor=7")


def test_another_operators_appointment_cannot_be_moved(app: Flask, clock: FrozenClock) -> None:
    foreign = a_week(app, clock.today, code="10")
    mine = a_week(app, clock.today)
    manager = manager_of(app)
    url = f"/pro/agenda/rendez-vous/{foreign['first']}/deplacer"
    assert manager.get(url).status_code == 404
    assert manager.post(url, data={"how": "slot", "slot": "1"}).status_code == 404
    # An advisor moves only their own appointments.
    colleague = ws.sign_in(app.test_client(), str(foreign["email"]))
    assert colleague.get(f"/pro/agenda/rendez-vous/{mine['first']}/deplacer").status_code == 404
    assert manager.get(f"/pro/agenda/rendez-vous/{mine['first']}/deplacer").status_code == 200


def test_bad_input_on_the_move_form_is_kept_and_explained(app: Flask, clock: FrozenClock) -> None:
    week = a_week(app, clock.today)
    client = ws.sign_in(app.test_client(), str(week["email"]))
    url = f"/pro/agenda/rendez-vous/{week['first']}/deplacer"
    form = {"how": "time", "day": "2026-13-45", "start": "25:99", "minutes": "7",
            "modality": "telephone", "late_reason": "Un motif tapé à garder"}  # fmt: skip
    response = client.post(url, data=form)
    assert response.status_code == 422
    body, page = response.data.decode(), text_of(response.data)
    assert 'role="alert"' in body
    assert "Indiquez une date" in page and "Indiquez une heure" in page
    assert "entre 15 et 240 minutes" in page
    assert "Un motif tapé à garder" in page and 'value="2026-13-45"' in body
    # No slot chosen: said, nothing moved.
    response = client.post(url, data={"how": "slot", "modality": "telephone"})
    assert response.status_code == 422 and "Choisissez un créneau." in text_of(response.data)
    with app.app_context():
        assert db.session.get(Appointment, week["first"]).status == AppointmentStatus.BOOKED  # type: ignore[union-attr]


def test_a_move_after_the_deadline_asks_a_reason_then_tells_the_person(
    app: Flask, clock: FrozenClock
) -> None:
    week = a_week(app, clock.today)
    deadline = week["slot_deadline"]
    assert isinstance(deadline, date)
    with app.app_context():
        advisor = db.session.get_one(StaffMember, week["advisor_id"])
        late = data.slot(db.session, advisor, data.at(deadline + timedelta(days=3), 11))
        db.session.commit()
        late_id = late.id
    client = ws.sign_in(app.test_client(), str(week["email"]))
    url = f"/pro/agenda/rendez-vous/{week['first']}/deplacer?week={data.later_monday(deadline, 0)}"
    page = client.get(url)
    assert f'value="{late_id}"' in page.data.decode()
    form = {"how": "slot", "slot": str(late_id), "modality": "telephone"}
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert "après le délai de la demande" in text_of(refused.data)
    assert f'value="{late_id}" checked' in refused.data.decode()  # the choice is kept
    moved = client.post(url, data={**form, "late_reason": "Hospitalisation"})
    assert moved.status_code == 303 and "/pro/agenda" in moved.location
    with app.app_context():
        new = db.session.scalars(select(Appointment).where(Appointment.slot_id == late_id)).one()
        assert new.late_reason == "Hospitalisation" and new.modality == Modality.TELEPHONE
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"appointment:{new.id}:moved")
        ).one()
        assert mail.to_address == week["person_email"]
        assert mail.subject.startswith("Rendez-vous déplacé")
        invitation = next(a for a in mail.attachments if a.mimetype.startswith("text/calendar"))
        assert b"SEQUENCE:1" in invitation.content  # supersedes the first invitation (0)


def test_a_session_after_its_units_deadline_is_refused_with_the_reason(
    app: Flask, clock: FrozenClock
) -> None:
    week = a_week(app, clock.today)
    client = ws.sign_in(app.test_client(), str(week["email"]))
    deadline = week["unit_deadline"]
    assert isinstance(deadline, date)
    url = f"/pro/agenda/rendez-vous/{week['session']}/deplacer"
    form = {"how": "time", "day": (deadline + timedelta(days=1)).isoformat(), "start": "10:00",
            "minutes": "60", "modality": "visio"}  # fmt: skip
    response = client.post(url, data=form)
    assert response.status_code == 422
    assert "une séance ne peut pas être placée après cette date" in text_of(response.data)


def test_a_slot_taken_meanwhile_is_told_and_the_choice_kept(app: Flask, clock: FrozenClock) -> None:
    week = a_week(app, clock.today)
    with app.app_context():
        taken = db.session.get_one(Appointment, week["session"]).slot_id
    client = ws.sign_in(app.test_client(), str(week["email"]))
    response = client.post(
        f"/pro/agenda/rendez-vous/{week['first']}/deplacer",
        data={"how": "slot", "slot": str(taken), "modality": "telephone"},
    )
    assert response.status_code == 422
    assert "vient d'être pris" in text_of(response.data)


def test_the_feed_url_is_shown_once_revocable_and_its_own(app: Flask, clock: FrozenClock) -> None:
    week = a_week(app, clock.today)
    client = ws.sign_in(app.test_client(), str(week["email"]))
    assert "Aucune adresse n'est active." in text_of(client.get("/pro/agenda/flux").data)
    made = client.post("/pro/agenda/flux")
    assert made.status_code == 200
    found = re.search(r'value="(https?://[^"]+/calendrier/([^"/]+)\.ics)"', made.data.decode())
    assert found is not None
    path = f"/calendrier/{found.group(2)}.ics"
    # Shown once: the page opened again does not carry it.
    assert found.group(2) not in client.get("/pro/agenda/flux").data.decode()

    feed = app.test_client().get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.data.decode()
    assert "RDV C. D." in body and str(week["unit_number"]) in body
    for secret in ("Dupont", str(week["person_email"]), "+33612345678", VIDEO):
        assert secret not in body

    # Another advisor never sees it; a manager has no feed page.
    other = a_week(app, clock.today)
    colleague = ws.sign_in(app.test_client(), str(other["email"]))
    assert found.group(2) not in colleague.get("/pro/agenda/flux").data.decode()
    assert "Aucune adresse n'est active." in text_of(colleague.get("/pro/agenda/flux").data)
    assert manager_of(app).get("/pro/agenda/flux").status_code == 404

    assert client.post("/pro/agenda/flux/revoquer").status_code == 303
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/calendrier/inconnu.ics").status_code == 404


def test_a_new_feed_url_revokes_the_old_one(app: Flask, clock: FrozenClock) -> None:
    week = a_week(app, clock.today)
    client = ws.sign_in(app.test_client(), str(week["email"]))
    pattern = r"/calendrier/([^\"/]+)\.ics"
    first = re.search(pattern, client.post("/pro/agenda/flux").data.decode())
    second = re.search(pattern, client.post("/pro/agenda/flux").data.decode())
    assert first is not None and second is not None
    assert app.test_client().get(f"/calendrier/{first.group(1)}.ics").status_code == 404
    assert app.test_client().get(f"/calendrier/{second.group(1)}.ics").status_code == 200


def test_a_uo21_session_with_another_advisor_asks_for_a_reason(
    app: Flask, clock: FrozenClock
) -> None:
    with app.app_context():
        session = db.session
        referent, colleague = ws.staff(session), ws.staff(session)
        unit = data.unit(session, referent, clock.today, UnitKind.UO21)
        monday = data.later_monday(clock.today)
        follow = data.session_of(session, unit, referent, data.at(monday, 10))
        elsewhere = data.slot(session, colleague, data.at(monday, 15))
        session.commit()
        ids = (follow.id, colleague.id, elsewhere.id)
    manager = manager_of(app)
    url = f"/pro/agenda/rendez-vous/{ids[0]}/deplacer?advisor={ids[1]}&week={monday}"
    form = {"how": "slot", "slot": str(ids[2]), "modality": "telephone"}
    refused = manager.post(url, data=form)
    assert refused.status_code == 422 and "référent unique" in text_of(refused.data)
    assert manager.post(url, data={**form, "other_advisor_reason": "Congé"}).status_code == 303


def test_sharp_values_in_the_agenda_are_answered_not_crashed(
    app: Flask, clock: FrozenClock
) -> None:
    week = a_week(app, clock.today)
    client = ws.sign_in(app.test_client(), str(week["email"]))
    for value in ("9999-12-31", "0001-01-01", "2026-02-30", "\x00"):
        assert client.get("/pro/agenda", query_string={"week": value}).status_code == 200
    url = f"/pro/agenda/rendez-vous/{week['first']}/deplacer"
    assert client.get(url, query_string={"week": "9999-12-31"}).status_code == 200
    huge = client.post(url, data={"how": "slot", "slot": "9" * 20, "modality": "telephone"})
    assert huge.status_code == 422 and "Choisissez un créneau." in text_of(huge.data)
    far = {"how": "time", "day": "9999-12-31", "start": "23:30", "minutes": "240",
           "modality": "telephone"}  # fmt: skip
    response = client.post(url, data=far)
    assert response.status_code == 422 and "Indiquez une date" in text_of(response.data)

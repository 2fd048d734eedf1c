"""« Proposer un rendez-vous » for a waiting request, through the test client (issue 14): the
page, booking a free slot or a typed time, the deadline's reason, bad input kept, the person's
e-mail as for a self-booked appointment, indicator 8.4, and another operator's request."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.booking import indicators
from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.booking.tokens import request_id_from_token
from portal.clock import PARIS
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.manage.indicator_views import load_requests
from portal.network.models import StaffMember, StaffRole
from tests import staff_booking_data as data
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.mail_data import rendered_by_sender, text_as_sent
from tests.web.test_manage_booking import count_queries

# The page of a week: the signed-in member, the request and its person, advisors and sites,
# the week's slots with their site and advisor in one query.
STATEMENTS = 10


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class Scene:
    """Committed rows of one test (removed afterwards)."""

    manager: str
    manager_id: int
    advisor_id: int
    site_id: int
    advisors: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)


@pytest.fixture
def scene(app: Flask, clock: FrozenClock) -> Iterator[Scene]:
    with app.app_context():
        op = data.operator(db.session)
        site = data.sites(db.session, op)[0]
        manager = ws.staff(db.session, "16", StaffRole.MANAGER)
        advisor = data.new_advisor(db.session, op, site, name="Zoé Réservante")
        db.session.commit()
        made = Scene(manager.email, manager.id, advisor.id, site.id)
        made.advisors.append(advisor.id)
        made.staff.append(manager.email)
    yield made
    with app.app_context():
        data.remove(db.session, advisors=made.advisors, requests=made.requests, emails=made.staff)


def waiting(app: Flask, scene: Scene, requested_on: date, last_name: str = "Attente") -> int:
    with app.app_context():
        request = data.request_for(
            db.session,
            data.operator(db.session),
            requested_on=requested_on,
            status=RequestStatus.WAITING,
            last_name=last_name,
        )
        db.session.commit()
        scene.requests.append(request.id)
        return request.id


def slot(app: Flask, scene: Scene, starts_at: datetime) -> int:
    with app.app_context():
        advisor = db.session.get_one(StaffMember, scene.advisor_id)
        made = data.slot_at(db.session, advisor, advisor.sites[0], starts_at)
        db.session.commit()
        return made.id


def in_days(clock: FrozenClock, days: int, hour: int = 9) -> datetime:
    day = clock.today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def deadline_of(app: Flask, request_id: int) -> date:
    with app.app_context():
        return db.session.get_one(AppointmentRequest, request_id).deadline


def url(request_id: int) -> str:
    return f"/pro/demandes-en-attente/{request_id}/rendez-vous"


def choose(slot_id: int, **changes: str) -> dict[str, str]:
    form = {"book-slot": str(slot_id), "book-modality": "presentiel", "book-late_reason": ""}
    form.update({f"book-{key}": value for key, value in changes.items()})
    return form


def booked(app: Flask, request_id: int) -> Appointment | None:
    with app.app_context():
        found = db.session.scalar(select(Appointment).where(Appointment.request_id == request_id))
        if found is not None:
            db.session.expunge(found)
        return found


def test_a_manager_books_a_waiting_request_and_the_person_gets_the_usual_email(
    app: Flask, scene: Scene, clock: FrozenClock
) -> None:
    request_id = waiting(app, scene, clock.today)
    slot_id = slot(app, scene, in_days(clock, 2))
    client = ws.sign_in(app.test_client(), scene.manager)

    queue = client.get("/pro/demandes-en-attente").data.decode()
    assert f'href="{url(request_id)}"' in queue and "Proposer un rendez-vous" in queue
    week = (clock.today + timedelta(days=2)).isoformat()
    statements, stop = count_queries(app)
    try:
        whole_week = client.get(f"{url(request_id)}?week={week}")
    finally:
        stop()
    assert whole_week.status_code == 200
    assert len(statements) <= STATEMENTS, statements  # whatever the number of slots shown
    page = client.get(f"{url(request_id)}?week={week}&advisor={scene.advisor_id}")
    assert page.status_code == 200
    shown = text_of(page.data)
    assert "Proposer un rendez-vous à Camille Attente" in shown
    assert "Premier rendez-vous au plus tard le" in shown and "30 jours ouvrés" in shown
    assert f'id="slot-{slot_id}"' in page.data.decode() and "Zoé Réservante" in shown

    response = client.post(url(request_id), data={**choose(slot_id), "week": week})
    assert response.status_code == 303 and response.location.endswith("/pro/demandes-en-attente")
    after = client.get(response.location)
    assert "Rendez-vous réservé pour Camille Attente" in text_of(after.data)
    assert f'id="demande-{request_id}"' not in after.data.decode()

    appointment = booked(app, request_id)
    assert appointment is not None and appointment.slot_id == slot_id
    assert appointment.booked_by_id == scene.manager_id and appointment.late_reason is None
    with app.app_context():
        request = db.session.get_one(AppointmentRequest, request_id)
        assert request.status == RequestStatus.BOOKED
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == request.beneficiary.email)
        ).one()
        assert mail.subject.startswith("Rendez-vous confirmé")
        rendered = rendered_by_sender(app, mail)
        assert any(a.filename.endswith(".ics") for a in rendered.attachments)
        link = re.search(r"https?://\S+/rendez-vous/gerer/([^\s/?#]+)", text_as_sent(app, mail))
        assert link, "the manage link is in the e-mail"
        assert request_id_from_token(app.config["SECRET_KEY"], link[1]) == request_id


def test_after_the_deadline_a_reason_is_required_then_kept(
    app: Flask, scene: Scene, clock: FrozenClock
) -> None:
    request_id = waiting(app, scene, clock.today, "Tardive")
    late = deadline_of(app, request_id) + timedelta(days=1)
    slot_id = slot(app, scene, datetime(late.year, late.month, late.day, 9, tzinfo=UTC))
    client = ws.sign_in(app.test_client(), scene.manager)
    page = client.get(f"{url(request_id)}?week={late.isoformat()}&advisor={scene.advisor_id}")
    assert "après la date limite" in text_of(page.data)

    # The page's form carries its week and filters along, to show the same week again.
    shown_week = {"week": late.isoformat(), "advisor": str(scene.advisor_id)}
    refused = client.post(
        url(request_id), data={**choose(slot_id, modality="telephone"), **shown_week}
    )
    assert refused.status_code == 422
    body = refused.data.decode()
    assert 'role="alert"' in body and "<title>Erreur :" in body
    assert "après la date limite de la demande : indiquez pourquoi" in text_of(refused.data)
    assert re.search(rf'id="slot-{slot_id}"[^>]*checked', body)  # the choice is kept
    assert re.search(r'value="telephone" checked', body)
    assert booked(app, request_id) is None

    reason = "La personne est hospitalisée jusqu'à cette date."
    accepted = client.post(url(request_id), data=choose(slot_id, late_reason=reason))
    assert accepted.status_code == 303
    appointment = booked(app, request_id)
    assert appointment is not None and appointment.late_reason == reason


def test_bad_input_is_explained_and_kept(app: Flask, scene: Scene, clock: FrozenClock) -> None:
    request_id = waiting(app, scene, clock.today, "Saisie")
    client = ws.sign_in(app.test_client(), scene.manager)
    no_slot = client.post(
        url(request_id), data={"book-modality": "visio", "book-late_reason": "Texte gardé"}
    )
    assert no_slot.status_code == 422
    assert "Choisissez un créneau." in text_of(no_slot.data)
    assert "Texte gardé</textarea>" in no_slot.data.decode()

    one_off = {
        "one_off-day": (clock.today + timedelta(days=3)).isoformat(),
        "one_off-starts": "25:99",
        "one_off-minutes": "5",
        "one_off-advisor": str(scene.advisor_id),
        "one_off-modality": "presentiel",
        "one_off-site": "",
        "one_off-late_reason": "",
    }
    response = client.post(f"{url(request_id)}/ponctuel", data=one_off)
    assert response.status_code == 422
    page = text_of(response.data)
    assert "Indiquez une heure, par exemple 09:00." in page
    assert "Indiquez une durée de 15 à 240 minutes." in page
    assert "Choisissez le site où recevoir la personne." in page
    body = response.data.decode()
    assert f'value="{one_off["one_off-day"]}"' in body and 'value="5"' in body
    assert re.search(rf'<option value="{scene.advisor_id}" selected>', body)
    assert booked(app, request_id) is None


def test_a_typed_time_is_booked_and_an_overlap_is_refused(
    app: Flask, scene: Scene, clock: FrozenClock
) -> None:
    request_id = waiting(app, scene, clock.today, "Ponctuelle")
    slot(app, scene, in_days(clock, 3, hour=8))  # 8:00–9:00 UTC
    client = ws.sign_in(app.test_client(), scene.manager)
    local = in_days(clock, 3, hour=8).astimezone(PARIS)
    one_off = {
        "one_off-day": local.date().isoformat(),
        "one_off-starts": local.strftime("%H:%M"),
        "one_off-minutes": "45",
        "one_off-advisor": str(scene.advisor_id),
        "one_off-modality": "telephone",
        "one_off-site": "",
    }
    overlap = client.post(f"{url(request_id)}/ponctuel", data=one_off)
    assert overlap.status_code == 409
    assert "a déjà un créneau ou un rendez-vous à ce moment-là" in text_of(overlap.data)
    assert f'value="{one_off["one_off-starts"]}"' in overlap.data.decode()

    later = (local + timedelta(hours=2)).strftime("%H:%M")
    response = client.post(f"{url(request_id)}/ponctuel", data={**one_off, "one_off-starts": later})
    assert response.status_code == 303
    appointment = booked(app, request_id)
    assert appointment is not None and appointment.modality == "telephone"
    with app.app_context():
        made = db.session.get_one(Slot, appointment.slot_id)
        assert made.created_by_id == scene.manager_id
        assert made.ends_at - made.starts_at == timedelta(minutes=45)


def test_a_slot_taken_meanwhile_is_told_and_what_was_typed_kept(
    app: Flask, scene: Scene, clock: FrozenClock
) -> None:
    request_id = waiting(app, scene, clock.today, "Devancée")
    other_id = waiting(app, scene, clock.today, "Rapide")
    slot_id = slot(app, scene, in_days(clock, 2))
    client = ws.sign_in(app.test_client(), scene.manager)
    assert client.post(url(other_id), data=choose(slot_id)).status_code == 303
    response = client.post(url(request_id), data=choose(slot_id, late_reason="Note gardée"))
    assert response.status_code == 409
    assert "vient d'être pris" in text_of(response.data)
    assert "Note gardée</textarea>" in response.data.decode()
    assert booked(app, request_id) is None


def test_another_operators_request_or_slot_answers_404(
    app: Flask, scene: Scene, clock: FrozenClock
) -> None:
    request_id = waiting(app, scene, clock.today, "Étrangère")
    with app.app_context():
        stranger = ws.staff(db.session, "10", StaffRole.MANAGER)
        op10 = data.operator(db.session, "10")
        foreign_advisor = data.new_advisor(db.session, op10, data.sites(db.session, op10)[0])
        foreign_slot = data.slot_at(
            db.session, foreign_advisor, foreign_advisor.sites[0], in_days(clock, 2)
        )
        db.session.commit()
        scene.staff.append(stranger.email)
        scene.advisors.append(foreign_advisor.id)
        foreign_slot_id, stranger_email = foreign_slot.id, stranger.email
    other = ws.sign_in(app.test_client(), stranger_email)
    assert other.get(url(request_id)).status_code == 404
    assert other.post(url(request_id), data=choose(1)).status_code == 404
    assert other.post(f"{url(request_id)}/ponctuel", data={}).status_code == 404
    own = ws.sign_in(app.test_client(), scene.manager)
    assert own.post(url(request_id), data=choose(foreign_slot_id)).status_code == 404
    assert booked(app, request_id) is None


def test_indicator_8_4_counts_a_staff_booking_like_any_other(
    app: Flask, scene: Scene, clock: FrozenClock
) -> None:
    requested_on = date(2019, 2, 4)  # a day no other test makes requests on
    request_id = waiting(app, scene, requested_on, "Indicateur")
    slot_id = slot(app, scene, in_days(clock, 2))

    def report() -> indicators.DelayReport:
        with app.app_context():
            operator = data.operator(db.session)
            rows = load_requests(operator, requested_on, requested_on)
            return indicators.delay_report(rows, today=clock.today)

    before = report()
    assert before.overall.count == 0 and before.without.overdue == 1
    client = ws.sign_in(app.test_client(), scene.manager)
    reason = "Demande retrouvée dans un ancien dossier."
    assert client.post(url(request_id), data=choose(slot_id, late_reason=reason)).status_code == 303
    after = report()
    assert after.overall.count == 1 and after.without.total == 0
    assert [place for place, _stats in after.by_place] == [scene.site_id]
    page = text_of(client.get("/pro/indicateurs/delai?start=2019-02-04&end=2019-02-04").data)
    assert "1 demande du" in page

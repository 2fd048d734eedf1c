"""Follow-up sessions through the screens (issue 14 §2): the advisor books a video session
from the dossier and the person gets the invitation, .ics and link; the person moves it
through their link and finds it in their space; bad input is kept and explained; another
operator's unit answers 404; the manager sets the video URL template."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, Interaction, Unit, UnitKind
from portal.booking.models import Appointment, AppointmentStatus, Slot
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.network.models import Operator, StaffMember, StaffRole
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.mail_data import text_as_sent
from tests.web.test_beneficiary_space import signed_in as space_client

TEMPLATE = "https://visio.example.fr/cep-{code}"
VOLUNTARY_REASON = "objectif_atteint"  # a voluntary closure reason of the reference table


def text_of(body: bytes) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class Setting:
    unit_id: int
    dossier_id: int
    advisor_id: int
    advisor_email: str
    person_email: str


@pytest.fixture
def video_template(app: Flask) -> Iterator[None]:
    with app.app_context():
        operator = ws.operator(db.session, "16")
        before = operator.video_url_template
        operator.video_url_template = TEMPLATE
        db.session.commit()
    yield
    with app.app_context():
        ws.operator(db.session, "16").video_url_template = before
        db.session.commit()


def _setting(app: Flask, clock: FrozenClock, kind: UnitKind = UnitKind.UO1) -> Setting:
    with app.app_context():
        session = db.session
        advisor = ws.staff(session, "16")
        today = clock.today
        unit = ws.engaged(session, advisor, kind, engaged_on=today - timedelta(days=1), today=today)
        setting = Setting(
            unit.id, unit.dossier_id, advisor.id, advisor.email, unit.dossier.beneficiary.email
        )
        session.commit()
    return setting


def _form(unit_id: int, **values: str) -> dict[str, str]:
    fields = {"slot": "", "day": "", "start": "", "minutes": "60", "modality": "", "site": ""}
    fields.update(advisor="", other_advisor_reason="")
    fields.update(values)
    return {f"s{unit_id}-{name}": value for name, value in fields.items()}


def _mail(app: Flask, email: str, topic_end: str) -> OutboxMessage:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == email, OutboxMessage.topic.endswith(topic_end))
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no {topic_end} e-mail to {email}"
    return message


def _session_link(app: Flask, message: OutboxMessage) -> str:
    found = re.search(r"https?://\S+/rendez-vous/seance/\S+", text_as_sent(app, message))
    assert found is not None
    return "/" + found.group(0).split("/", 3)[3]


def _book_video(app: Flask, clock: FrozenClock, setting: Setting) -> tuple[FlaskClient, str]:
    advisor = ws.sign_in(app.test_client(), setting.advisor_email)
    day = (clock.today + timedelta(days=2)).isoformat()
    response = advisor.post(
        f"/pro/unites/{setting.unit_id}/seances",
        data=_form(
            setting.unit_id,
            day=day,
            start="14:00",
            minutes="45",
            modality="visio",
            advisor=str(setting.advisor_id),
        ),
    )
    assert response.status_code == 303, text_of(response.data)[:2000]
    return advisor, day


def test_the_advisor_books_a_video_session_and_the_person_gets_the_ics_and_link(
    app: Flask, clock: FrozenClock, video_template: None
) -> None:
    setting = _setting(app, clock)
    advisor, _day = _book_video(app, clock, setting)
    page = text_of(advisor.get(f"/pro/dossiers/{setting.dossier_id}").data)
    assert "Séances de suivi" in page and "Lien de la visio" in page
    assert "https://visio.example.fr/cep-" in page
    with app.app_context():
        message = _mail(app, setting.person_email, "session-booked")
        assert message.subject.startswith("Séance de suivi")
        sent = text_as_sent(app, message)
        assert "https://visio.example.fr/cep-" in sent
        assert "/rendez-vous/seance/" in sent
        calendar = [a for a in message.attachments if a.filename.endswith(".ics")]
        assert calendar and b"METHOD:REQUEST" in calendar[0].content
        appointment = db.session.scalars(
            select(Appointment).where(Appointment.unit_id == setting.unit_id)
        ).one()
        event = Calendar.from_ical(calendar[0].content).walk("VEVENT")[0]
        assert appointment.video_url and str(event["LOCATION"]) == appointment.video_url
        assert appointment.video_url in str(event["DESCRIPTION"])


def test_the_video_link_is_not_shown_to_the_manager(
    app: Flask, clock: FrozenClock, video_template: None
) -> None:
    setting = _setting(app, clock)
    _book_video(app, clock, setting)
    with app.app_context():
        manager = ws.staff(db.session, "16", StaffRole.MANAGER)
        email = manager.email
        db.session.commit()
    page = text_of(
        ws.sign_in(app.test_client(), email).get(f"/pro/dossiers/{setting.dossier_id}").data
    )
    assert "Séances de suivi" in page
    assert "visio.example.fr" not in page and "Prochaine séance" not in page


def test_the_person_moves_the_session_through_their_link(
    app: Flask, clock: FrozenClock, video_template: None
) -> None:
    setting = _setting(app, clock)
    _book_video(app, clock, setting)
    with app.app_context():
        link = _session_link(app, _mail(app, setting.person_email, "session-booked"))
        advisor = db.session.get_one(StaffMember, setting.advisor_id)
        free = booking.slot_at(
            db.session, advisor, advisor.sites[0], clock.now + timedelta(days=3, hours=1)
        )
        free_id = free.id
        db.session.commit()
    person = app.test_client()
    page = person.get(link)
    assert page.status_code == 200
    assert "Déplacer la séance" in text_of(page.data)
    assert "https://visio.example.fr/cep-" in text_of(page.data)
    move_url = link + "/deplacer"
    refused = person.post(move_url, data={"modality": "telephone"})
    assert refused.status_code == 422
    assert "Choisissez un nouvel horaire" in text_of(refused.data)
    assert re.search(r'value="telephone"\s+checked', refused.data.decode())
    moved = person.post(move_url, data={"slot": str(free_id), "modality": "telephone"})
    assert moved.status_code == 303
    after = text_of(person.get(link).data)
    assert "Par téléphone" in after
    with app.app_context():
        message = _mail(app, setting.person_email, "session-moved")
        assert "comme vous l'avez demandé" in text_as_sent(app, message)
        live = db.session.scalars(
            select(Appointment).where(
                Appointment.unit_id == setting.unit_id,
                Appointment.status == AppointmentStatus.BOOKED,
            )
        ).one()
        assert live.slot_id == free_id


def test_the_person_finds_the_session_in_their_space_and_cancels_it(
    app: Flask, clock: FrozenClock, video_template: None
) -> None:
    setting = _setting(app, clock)
    _book_video(app, clock, setting)
    client = space_client(app, setting.person_email)
    space = client.get("/mon-espace")
    assert "Mes séances de suivi à venir" in text_of(space.data)
    found = re.search(r'href="(/rendez-vous/seance/[^"]+)"', space.data.decode())
    assert found is not None
    link = htmllib.unescape(found.group(1))
    cancelled = client.post(link + "/annuler", data={})
    assert cancelled.status_code == 303
    assert "Séance annulée" in text_of(client.get(link).data)
    assert "Mes séances de suivi à venir" not in text_of(client.get("/mon-espace").data)
    with app.app_context():
        message = _mail(app, setting.person_email, "session-cancelled")
        assert any(b"METHOD:CANCEL" in a.content for a in message.attachments)


def test_a_session_after_the_deadline_is_refused_with_what_was_typed_kept(
    app: Flask, clock: FrozenClock
) -> None:
    setting = _setting(app, clock)
    with app.app_context():
        deadline = db.session.get_one(Unit, setting.unit_id).deadline
    advisor = ws.sign_in(app.test_client(), setting.advisor_email)
    late = (deadline + timedelta(days=3)).isoformat()
    response = advisor.post(
        f"/pro/unites/{setting.unit_id}/seances",
        data=_form(
            setting.unit_id,
            day=late,
            start="10:30",
            modality="telephone",
            advisor=str(setting.advisor_id),
        ),
    )
    assert response.status_code == 422
    page = text_of(response.data)
    assert "après la date limite de l'unité" in page
    assert 'role="alert"' in response.data.decode()
    assert f'value="{late}"' in response.data.decode()
    empty = advisor.post(f"/pro/unites/{setting.unit_id}/seances", data=_form(setting.unit_id))
    assert empty.status_code == 422
    assert "Choisissez la modalité de la séance" in text_of(empty.data)


def test_from_uo21_another_advisor_is_asked_for_a_reason(app: Flask, clock: FrozenClock) -> None:
    setting = _setting(app, clock, UnitKind.UO21)
    with app.app_context():
        colleague = ws.staff(db.session, "16")
        colleague_id, colleague_email = colleague.id, colleague.email
        db.session.commit()
    advisor = ws.sign_in(app.test_client(), colleague_email)
    values = {
        "day": (clock.today + timedelta(days=2)).isoformat(),
        "start": "11:00",
        "modality": "telephone",
        "advisor": str(colleague_id),
    }
    url = f"/pro/unites/{setting.unit_id}/seances"
    refused = advisor.post(url, data=_form(setting.unit_id, **values))
    assert refused.status_code == 422
    assert "référent unique" in text_of(refused.data)
    booked = advisor.post(
        url, data=_form(setting.unit_id, other_advisor_reason="Référent absent", **values)
    )
    assert booked.status_code == 303
    with app.app_context():
        appointment = db.session.scalars(
            select(Appointment).where(Appointment.unit_id == setting.unit_id)
        ).one()
        assert appointment.other_advisor_reason == "Référent absent"


def test_the_advisor_marks_a_session_held_with_its_duration(app: Flask, clock: FrozenClock) -> None:
    clock.set(clock.now.replace(hour=8, minute=0, second=0, microsecond=0))
    setting = _setting(app, clock)
    with app.app_context():
        advisor = db.session.get_one(StaffMember, setting.advisor_id)
        slot = booking.slot_at(
            db.session, advisor, advisor.sites[0], clock.now + timedelta(hours=1)
        )
        slot_id = slot.id
        db.session.commit()
    client = ws.sign_in(app.test_client(), setting.advisor_email)
    booked = client.post(
        f"/pro/unites/{setting.unit_id}/seances",
        data=_form(setting.unit_id, slot=str(slot_id), modality="presentiel"),
    )
    assert booked.status_code == 303
    clock.advance(hours=3)
    client = ws.sign_in(app.test_client(), setting.advisor_email)  # idle sessions end
    page = client.get(f"/pro/dossiers/{setting.dossier_id}").data.decode()
    assert "Séance tenue" in page
    with app.app_context():
        session_id = db.session.scalars(
            select(Appointment.id).where(Appointment.unit_id == setting.unit_id)
        ).one()
    assert re.search(rf'name="h{session_id}-duration_minutes" value="60"', page)
    bad = client.post(
        f"/pro/seances/{session_id}/tenue", data={f"h{session_id}-duration_minutes": "0"}
    )
    assert bad.status_code == 422
    assert "entre 1 et 600" in text_of(bad.data)
    held = client.post(
        f"/pro/seances/{session_id}/tenue", data={f"h{session_id}-duration_minutes": "50"}
    )
    assert held.status_code == 303
    with app.app_context():
        interaction = db.session.scalars(
            select(Interaction).where(Interaction.appointment_id == session_id)
        ).one()
        assert (interaction.duration_minutes, interaction.contact_mode) == (50, "presentiel")


def test_another_operators_unit_and_session_answer_404(app: Flask, clock: FrozenClock) -> None:
    setting = _setting(app, clock)
    with app.app_context():
        stranger = ws.staff(db.session, "10").email
        db.session.commit()
    client = ws.sign_in(app.test_client(), stranger)
    day = (clock.today + timedelta(days=2)).isoformat()
    response = client.post(
        f"/pro/unites/{setting.unit_id}/seances",
        data=_form(setting.unit_id, day=day, start="10:00", modality="telephone"),
    )
    assert response.status_code == 404
    with app.app_context():
        mine = db.session.scalars(
            select(Appointment.id).where(Appointment.unit_id == setting.unit_id)
        )
        assert mine.all() == []
        slots = db.session.scalars(select(Slot.id).where(Slot.advisor_id == setting.advisor_id))
        assert slots.all() == []


def test_the_manager_sets_the_video_template_and_bad_input_is_kept(
    app: Flask, video_template: None
) -> None:
    with app.app_context():
        manager = ws.staff(db.session, "16", StaffRole.MANAGER).email
        db.session.commit()
    client = ws.sign_in(app.test_client(), manager)
    assert "Visioconférence" in text_of(client.get("/pro/visio").data)
    bad = client.post("/pro/visio", data={"template": "http://visio.example.fr/salle"})
    assert bad.status_code == 422
    assert "https://" in text_of(bad.data) and 'role="alert"' in bad.data.decode()
    assert 'value="http://visio.example.fr/salle"' in bad.data.decode()
    good = client.post("/pro/visio", data={"template": "https://meet.example.fr/{code}"})
    assert good.status_code == 303
    with app.app_context():
        operator = db.session.scalars(select(Operator).where(Operator.code == "16")).one()
        assert operator.video_url_template == "https://meet.example.fr/{code}"


def test_a_unit_that_closes_cancels_its_booked_sessions_and_tells_the_person(
    app: Flask, clock: FrozenClock, video_template: None
) -> None:
    setting = _setting(app, clock)
    _book_video(app, clock, setting)
    with app.app_context():
        unit = db.session.get_one(Unit, setting.unit_id)
        close_unit(
            db.session,
            unit,
            kind=ClosureKind.SIGNED,
            closed_on=clock.today,
            reason=VOLUNTARY_REASON,
            today=clock.today,
        )
        db.session.commit()
        booked = db.session.scalars(
            select(Appointment).where(Appointment.unit_id == setting.unit_id)
        ).one()
        assert booked.status == AppointmentStatus.CANCELLED
        message = _mail(app, setting.person_email, "session-cancelled")
        assert message.subject.startswith("Séance de suivi annulée")
        calendar = [a for a in message.attachments if a.filename.endswith(".ics")]
        assert calendar and b"METHOD:CANCEL" in calendar[0].content

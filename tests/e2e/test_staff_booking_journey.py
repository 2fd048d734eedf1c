"""Issue 14 end to end, in a real browser: a manager books a waiting request; the person gets
the e-mail; the advisor holds the first appointment, engages a UO1 and books a follow-up by
video; the person moves it from their space; the advisor's agenda shows the new time. Every
page visited passes an axe scan. The day is frozen (`clock`), and moved past the first
appointment when the advisor holds it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.booking.models import Appointment, AppointmentStatus, RequestStatus
from portal.clock import PARIS
from portal.extensions import db
from portal.network.models import Operator, StaffRole
from portal.people.models import Beneficiary
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.e2e.conftest import assert_accessible

EMAIL = "sacha.relance@example.org"
VIDEO = "https://visio.example.fr/cep-{code}"


@dataclass(frozen=True)
class Scene:
    manager: str
    advisor: str
    advisor_name: str
    first: datetime  # the free slot the manager books
    follow_up: datetime  # the advisor's free video slot for the next session
    moved_to: datetime  # the one the person moves it to


def hhmm(moment: datetime) -> str:
    """The time as the French pages write it: « 9 h 00 »."""
    local = moment.astimezone(PARIS)
    return f"{local.hour} h {local.minute:02d}"


@pytest.fixture
def scene(app: Flask, clock: FrozenClock) -> Iterator[Scene]:
    """A waiting request of operator 16, its manager, an advisor with three free slots (in
    person or by phone tomorrow, by video a week and eight days later), and the operator's
    video address."""
    tomorrow = clock.today + timedelta(days=1)
    first = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, tzinfo=UTC)
    with app.app_context():
        op = booking.operator(db.session)
        template, op.video_url_template = op.video_url_template, VIDEO
        manager = ws.staff(db.session, "16", StaffRole.MANAGER, name="Maëlle Gestion")
        advisor = ws.staff(db.session, "16", name="Noé Journée")
        request = booking.request_for(
            db.session, op, requested_on=clock.today, status=RequestStatus.WAITING
        )
        request.beneficiary.email = EMAIL
        request.beneficiary.first_name, request.beneficiary.last_name = "Sacha", "Relance"
        booking.slot_at(db.session, advisor, advisor.sites[0], first)
        for days in (8, 9):
            booking.slot_at(
                db.session, advisor, None, first + timedelta(days=days)
            ).offers_visio = True
        made = Scene(
            manager.email,
            advisor.email,
            advisor.full_name,
            first,
            first + timedelta(days=8),
            first + timedelta(days=9),
        )
        db.session.commit()
    yield made
    with app.app_context():
        db.session.scalars(
            select(Operator).where(Operator.code == "16")
        ).one().video_url_template = template
        db.session.commit()


def sign_in_as_staff(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/pro/connexion?lang=fr")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(ws.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Espace professionnel").get_by_role(
        "link", name=name, exact=True
    ).click()


def form_with(page: Page, button: str):  # type: ignore[no-untyped-def]
    return page.locator("form").filter(has=page.get_by_role("button", name=button))


def deliver_and_open(page: Page, live_server: str, subject: re.Pattern[str]) -> None:
    """The development mailbox delivers the outbox, then shows the e-mail."""
    page.goto(live_server + "/dev/mailbox")
    page.get_by_role("button", name="Distribuer maintenant").click()
    page.get_by_role("link", name=subject).first.click()


def test_a_waiting_request_booked_by_staff_then_followed_up_by_video(
    app: Flask, browser: Browser, live_server: str, clock: FrozenClock, scene: Scene
) -> None:
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()

    # 1. The manager gives the waiting person the advisor's free slot.
    sign_in_as_staff(page, live_server, scene.manager)
    nav(page, "Demandes en attente")
    assert_accessible(page)
    page.get_by_role("link", name="Proposer un rendez-vous — Sacha Relance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Proposer un rendez-vous à Sacha Relance"
    )
    free = page.get_by_role("region", name="Créneaux libres de l'opérateur")
    free.get_by_label("Conseiller").select_option(label=scene.advisor_name)
    free.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile("advisor="))
    first = page.get_by_role("radio", name=re.compile(f"^{hhmm(scene.first)}.*Noé Journée"))
    if not first.count():  # tomorrow is in next week
        page.get_by_role("link", name="Semaine suivante →").click()
    assert_accessible(page)
    first.check()
    free.get_by_role("radio", name="Par téléphone", exact=True).check()
    free.get_by_role("button", name="Réserver ce créneau").click()
    expect(page.get_by_text("Rendez-vous réservé pour Sacha Relance")).to_be_visible()
    expect(page.get_by_role("link", name="Proposer un rendez-vous — Sacha Relance")).to_have_count(
        0
    )
    assert_accessible(page)

    # 2. The person receives the same e-mail as when booking themselves.
    deliver_and_open(page, live_server, re.compile("Rendez-vous confirmé"))
    expect(page.get_by_text(re.compile("Bonjour Sacha")).first).to_be_visible()
    attachments = page.get_by_role("region", name="Pièces jointes")
    expect(attachments.get_by_role("link", name=re.compile(r"\.ics"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"rendez-vous.gerer")).first).to_be_visible()
    assert_accessible(page)

    # 3. The next day, the advisor holds it, engages a UO1 and books a follow-up by video.
    clock.set(scene.first + timedelta(minutes=30))
    adviser = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_as_staff(adviser, live_server, scene.advisor)
    nav(adviser, "Mes dossiers")
    row = adviser.get_by_role("listitem").filter(has_text="Relance")
    row.get_by_role("button", name="Rendez-vous tenu").click()
    expect(adviser.get_by_role("heading", name="Sacha Relance", level=1)).to_be_visible()
    today = clock.today.isoformat()
    engage = form_with(adviser, "Engager l'unité")
    engage.get_by_label(re.compile("^UO1")).check()
    engage.get_by_label("Date d'engagement").fill(today)
    engage.get_by_label("Date de l'accord de la personne").fill(today)
    engage.get_by_label("Oralement, au cours d'un échange").check()
    engage.get_by_label("Origine de la démarche").select_option(label="Démarche individuelle")
    engage.get_by_label("Motif de sollicitation", exact=True).select_option(
        label="Travailler à son projet professionnel"
    )
    engage.get_by_label("Motif de sollicitation détaillé").select_option(
        label="Changer de métier ou de secteur professionnel"
    )
    engage.get_by_label(re.compile("premier rendez-vous comme premier échange")).check()
    engage.get_by_role("button", name="Engager l'unité").click()
    expect(adviser.get_by_role("heading", name=re.compile("Séances de suivi"))).to_be_visible()
    assert_accessible(adviser)
    book = form_with(adviser, "Fixer la séance et inviter la personne")
    slots = book.get_by_label("Créneau")
    choice = slots.locator("option", has_text=hhmm(scene.follow_up)).first
    slots.select_option(value=choice.get_attribute("value"))
    book.get_by_role("radio", name="En visio", exact=True).check()
    book.get_by_role("button", name="Fixer la séance et inviter la personne").click()
    expect(
        adviser.get_by_text("Séance fixée. La personne reçoit l'invitation par e-mail.")
    ).to_be_visible()
    assert_accessible(adviser)

    # 4. The person signs in to their space and moves the session.
    person = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    person.goto(live_server + "/mon-espace?lang=fr")
    person.get_by_label("Votre adresse e-mail").fill(EMAIL)
    person.get_by_role("button", name="Recevoir mon lien").click()
    deliver_and_open(person, live_server, re.compile("Votre lien de connexion"))
    link = person.get_by_role("link", name=re.compile("mon-espace.connexion")).first
    person.goto(re.sub(r"^https?://[^/]+", live_server, str(link.get_attribute("href"))))
    person.get_by_role("button", name="Se connecter").click()
    sessions = person.get_by_role("region", name="Mes séances de suivi à venir")
    expect(sessions).to_contain_text("En visio")
    expect(sessions.get_by_role("link", name="lien de la visio")).to_have_attribute(
        "href", re.compile(r"^https://visio\.example\.fr/cep-")
    )
    assert_accessible(person)
    sessions.get_by_role("link", name="Déplacer ou annuler cette séance").click()
    expect(person.get_by_role("heading", name="Ma séance de suivi", level=1)).to_be_visible()
    assert_accessible(person)
    person.get_by_role("radio", name=re.compile(hhmm(scene.moved_to))).first.check()
    person.get_by_role("radio", name="En visio", exact=True).check()
    person.get_by_role("button", name="Déplacer la séance").click()
    expect(person.get_by_role("heading", level=2).first).to_contain_text(hhmm(scene.moved_to))
    assert_accessible(person)

    # 5. The advisor's agenda shows the new time, not the old one.
    adviser.goto(live_server + f"/pro/agenda?week={scene.moved_to.astimezone(PARIS).date()}")
    # (any day of the week opens its Monday's week)
    expect(adviser.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    moved = f"{hhmm(scene.moved_to)}–"
    expect(adviser.get_by_text(moved).first).to_be_visible()
    expect(adviser.get_by_text("Sacha Relance").first).to_be_visible()
    assert_accessible(adviser)
    with app.app_context():
        live = db.session.scalars(
            select(Appointment.starts_at)
            .join(Beneficiary, Beneficiary.id == Appointment.beneficiary_id)
            .where(
                Beneficiary.email == EMAIL,
                Appointment.unit_id.is_not(None),
                Appointment.status == AppointmentStatus.BOOKED,
            )
        ).all()
    assert live == [scene.moved_to]
    desk.close()

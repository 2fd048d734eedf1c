"""A person books their first appointment in a real browser, reads the confirmation e-mail in
the development mailbox, moves the appointment with its link; then the operator's manager
signs in and finds it in the delay indicator. Every page visited passes an axe scan."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select, update
from werkzeug.security import generate_password_hash

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_front_door_journey import FR, answer_situation

MANAGER = "manager@lot10.cep-demo.example"
PASSWORD = "journey-password-2026"
EMAIL = "camille.journey@example.org"


@pytest.fixture
def manager(app: Flask) -> Iterator[str]:
    from portal.extensions import db
    from portal.network.models import StaffMember

    with app.app_context():
        db.session.execute(
            update(StaffMember)
            .where(StaffMember.email == MANAGER)
            .values(password_hash=generate_password_hash(PASSWORD))
        )
        db.session.commit()
    yield MANAGER
    with app.app_context():
        from portal.auth.models import LoginAttempt

        db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == MANAGER))
        db.session.commit()


def test_book_read_the_mail_move_then_the_manager_sees_the_delay(
    live_server: str, page: Page, manager: str, app: Flask
) -> None:
    # The front door: Rennes, an employee, the regional operator's answer.
    page.goto(live_server + "/?lang=fr")
    page.get_by_label(FR["home"]).fill("35000")
    answer_situation(
        page,
        situation="Salarié(e) d'une entreprise ou d'une association",
        cadre="Non",
        age="41",
        rqth="Non",
        suivi="Non",
        groups=FR,
    )
    page.get_by_role("button", name=FR["submit"]).click()
    page.get_by_role("link", name=re.compile("Prendre rendez-vous près de Rennes")).click()

    # The search: the deadline is stated; a slot next week leaves time to move it online.
    expect(page.get_by_text("Votre premier rendez-vous aura lieu au plus tard le")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Semaine suivante →").click()
    expect(page).to_have_url(re.compile("semaine="))
    page.locator(".day").first.get_by_role("link").first.click()

    # The form: first a mistake, then the booking.
    expect(page.get_by_role("heading", name="Confirmer votre rendez-vous")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Nom", exact=True).fill("Journey")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Adresse e-mail").fill("camille@")
    page.get_by_label("Téléphone", exact=True).fill("06 12 34 56 78")
    page.get_by_label("Date de naissance").fill("1985-07-14")
    page.get_by_role(
        "group", name="Comment souhaitez-vous échanger avec le conseiller ?"
    ).get_by_label("Sur place").check()
    page.get_by_label(re.compile("J'accepte que mes données")).check()
    page.get_by_role("button", name="Réserver ce rendez-vous").click()
    expect(page.get_by_role("alert")).to_contain_text("Cette adresse e-mail n'est pas valide")
    expect(page.get_by_label("Prénom")).to_have_value("Camille")
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill(EMAIL)
    page.get_by_label(re.compile("J'accepte que mes données")).check()
    page.get_by_role("button", name="Réserver ce rendez-vous").click()
    expect(page.get_by_text("Votre rendez-vous est réservé.")).to_be_visible()
    first_time = page.get_by_role("main").get_by_role("heading", level=2).inner_text()
    assert_accessible(page)

    # The e-mail goes through the outbox; the development mailbox delivers it.
    page.goto(live_server + "/dev/mailbox")
    page.get_by_role("button", name="Distribuer maintenant").click()
    page.get_by_role("link", name=re.compile("Rendez-vous confirmé")).first.click()
    expect(page.get_by_text(EMAIL)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Télécharger .*\.ics"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"rendez-vous.gerer")).first.click()

    # Move it with the link from the e-mail.
    page.get_by_role("link", name="Déplacer le rendez-vous").click()
    assert_accessible(page)
    page.get_by_role("link", name="Semaine suivante →").click()
    expect(page).to_have_url(re.compile("semaine="))
    page.locator(".day").last.get_by_role("link").last.click()
    assert_accessible(page)
    page.get_by_role("button", name="Déplacer mon rendez-vous").click()
    expect(page.get_by_text("Votre rendez-vous est déplacé.")).to_be_visible()
    assert page.get_by_role("main").get_by_role("heading", level=2).inner_text() != first_time

    # The manager of the lot signs in and sees the request in indicator 8.4.
    page.goto(live_server + "/pro/connexion")
    assert_accessible(page)
    page.get_by_label("Adresse e-mail professionnelle").fill(manager)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connecter", re.IGNORECASE)).click()
    page.get_by_role("navigation", name="Espace professionnel").get_by_role(
        "link", name="Délai du premier rendez-vous"
    ).click()
    expect(page.get_by_role("heading", name="Délai du premier rendez-vous")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"\d+ demandes? du"))).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Délais par lieu"))
    expect(table).to_be_visible()
    assert_accessible(page)

    from portal.booking.models import AppointmentRequest
    from portal.extensions import db
    from portal.people.models import Beneficiary

    with app.app_context():
        request = db.session.scalar(
            select(AppointmentRequest).join(Beneficiary).where(Beneficiary.email == EMAIL)
        )
        assert request is not None
        live = [a for a in request.appointments if a.status == "booked"]
        assert len(live) == 1 and live[0].sequence == 1
        site_name = live[0].site.name if live[0].site else "À distance"
    expect(table.get_by_role("rowheader", name=site_name)).to_be_visible()

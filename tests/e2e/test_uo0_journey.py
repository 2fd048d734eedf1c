"""Issue 15 §2 end to end, in a real browser on a phone-sized screen: a chargé d'information
takes a call, records the UO0 (a forgotten answer first, then the whole form), records a
second one from the focused « Enregistrer un autre contact », and for the caller who wants an
appointment types their identity and lands on « Proposer un rendez-vous ». Every page visited
passes an axe scan."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.network.models import StaffMember, StaffRole
from portal.orientation.models import OrientationContact
from tests import workspace_data as ws
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff_booking_journey import nav, sign_in_as_staff


def contact_form(page: Page, mode: str, situation: str, route: str) -> None:
    page.get_by_role("group", name="Mode de contact").get_by_label(mode, exact=True).check()
    page.get_by_role("group", name="Situation de la personne").get_by_label(situation).check()
    page.get_by_role("group", name="Aiguillage").get_by_label(route).check()


def test_a_call_recorded_as_uo0_then_an_appointment_request(
    app: Flask, browser: Browser, live_server: str
) -> None:
    with app.app_context():
        email = ws.staff(db.session, "16", StaffRole.INFORMATION, name="Lou Accueil").email
        db.session.commit()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in_as_staff(page, live_server, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Lou Accueil")
    assert_accessible(page)

    # 1. A forgotten answer is said at the top, and what was chosen stays chosen.
    shortcut = page.get_by_role("region", name="Un appel, une visite ?")
    shortcut.get_by_role("link", name="Enregistrer un contact (UO0)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un contact (UO0)")
    assert_accessible(page)
    page.get_by_role("group", name="Mode de contact").get_by_label("Téléphone").check()
    page.get_by_role("button", name="Enregistrer le contact").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Choisissez la situation de la personne.")
    expect(summary).to_contain_text("Choisissez vers qui la personne est orientée.")
    expect(page.get_by_label("Téléphone", exact=True)).to_be_checked()
    assert_accessible(page)

    # 2. The whole form: recorded, and the next call is one key press away.
    contact_form(
        page, "Téléphone", "Salarié(e) d'une entreprise", "Opérateur régional du CEP (nous)"
    )
    page.get_by_role("group", name="Motif (facultatif)").get_by_label(
        "Changer de métier ou de secteur"
    ).check()
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact enregistré")
    another = page.get_by_role("link", name="Enregistrer un autre contact")
    expect(another).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enregistrer un contact (UO0)")
    contact_form(page, "Présentiel (à l'accueil)", "Intérimaire", "Opérateur régional du CEP")

    # 3. This caller wants an appointment: their identity, then « Proposer un rendez-vous ».
    page.get_by_role("button", name="Enregistrer le contact").click()
    page.get_by_role("link", name="La personne souhaite un rendez-vous").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La personne souhaite un rendez-vous")
    assert_accessible(page)
    page.get_by_label("Nom", exact=True).fill("Morel")
    page.get_by_label("Prénom").fill("Jade")
    page.get_by_label("Date de naissance").fill("1991-04-12")
    page.get_by_label("Adresse e-mail").fill("jade.morel@example.org")
    page.get_by_label("Téléphone").fill("06 98 76 54 32")
    page.get_by_label("Commune ou code postal de résidence").fill("35000")
    page.get_by_label(re.compile("^La personne accepte")).check()
    page.get_by_role("button", name="Enregistrer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Proposer un rendez-vous à Jade Morel"
    )
    expect(page.get_by_text(re.compile(r"UO0 n° 16\d{4}00\d{6}"))).to_be_visible()
    assert_accessible(page)

    # 4. Today's contacts, most recent first; the waiting list has Jade Morel.
    page.goto(live_server + "/pro/uo0")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Présentiel")
    expect(rows.nth(1)).to_contain_text("Demande de rendez-vous")
    expect(rows.nth(2)).to_contain_text("Téléphone")
    assert_accessible(page)
    nav(page, "Demandes en attente")
    expect(page.get_by_role("heading", name="Jade Morel")).to_be_visible()
    assert_accessible(page)
    with app.app_context():
        numbers = db.session.scalars(
            select(OrientationContact.number)
            .join(StaffMember, StaffMember.id == OrientationContact.recorded_by_id)
            .where(StaffMember.email == email)
            .order_by(OrientationContact.id)
        ).all()
    assert numbers[0] is None  # the first call went no further: anonymous, not billed
    assert numbers[1] is not None and re.fullmatch(r"16\d{4}00\d{6}", numbers[1])

"""The advisor's agenda in a real browser (issue 14 §3): the week as columns on a desktop and
as a list on a phone, moving an appointment to a free slot; each page passes an axe scan."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect

from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.e2e.conftest import assert_accessible
from tests.web.test_agenda import a_week


def test_an_advisor_reads_their_week_and_moves_an_appointment(
    app: Flask, browser: Browser, live_server: str, clock: FrozenClock
) -> None:
    week = a_week(app, clock.today)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server + "/pro/connexion?lang=fr")
    page.get_by_label("Adresse e-mail professionnelle").fill(str(week["email"]))
    page.get_by_label("Mot de passe").fill(ws.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("navigation", name="Espace professionnel").get_by_role(
        "link", name="Agenda", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    assert_accessible(page)
    for _ in range(2):  # the test's week is two weeks ahead
        page.get_by_role("link", name="Semaine suivante →").click()
    expect(page.get_by_text("Camille Dupont").first).to_be_visible()
    expect(page.get_by_text("Premier rendez-vous")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Déplacer — Camille Dupont").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déplacer un rendez-vous")
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_label("Modalité").select_option("telephone")
    page.get_by_role("button", name="Déplacer sur le créneau choisi").click()
    expect(page.get_by_role("status")).to_contain_text("Le rendez-vous est déplacé")
    assert_accessible(page)

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(live_server + "/pro/connexion?lang=fr")
    phone.get_by_label("Adresse e-mail professionnelle").fill(str(week["email"]))
    phone.get_by_label("Mot de passe").fill(ws.PASSWORD)
    phone.get_by_role("button", name="Se connecter").click()
    phone.goto(live_server + f"/pro/agenda?week={week['monday']}")
    expect(phone.get_by_text("Camille Dupont").first).to_be_visible()
    assert_accessible(phone)

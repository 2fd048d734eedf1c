"""The mediator reads the annual report in a real browser: the charts beside their tables,
a wrong year told and kept, the national view of 8.7; each page passes an axe scan. With
SHOTS_DIR set, screenshots are written there."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.extensions import db
from portal.network.models import StaffRole
from tests import workspace_data as ws
from tests.e2e.conftest import assert_accessible
from tests.web.test_reporting_pages import seed

YEAR = 2024  # the web report tests use 2021 and 2022


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_mediator_reads_the_annual_report(
    app: Flask,
    browser: Browser,
    live_server: str,
) -> None:
    seed(app, YEAR)
    with app.app_context():
        email = ws.staff(db.session, role=StaffRole.MEDIATOR).email
        db.session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server + "/pro/connexion?lang=fr")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(ws.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    menu = page.get_by_role("navigation", name="Espace professionnel")
    menu.get_by_role("link", name="Rapport annuel du médiateur").click()
    page.get_by_label("Année").fill(str(YEAR))
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("img", name="Motifs de non-recevabilité")).to_be_visible()
    expect(page.get_by_role("table", name="Motifs de non-recevabilité")).to_be_visible()
    assert_accessible(page)
    shot(page, "rapport-mediation")

    page.get_by_label("Année").fill("20x2")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez une année de 2019")
    expect(page.get_by_label("Année")).to_have_value("20x2")
    assert_accessible(page)

    menu.get_by_role("link", name="Réclamations, tous les lots (8.7)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Réclamations et saisines du médiateur, tous les lots"
    )
    assert_accessible(page)
    shot(page, "national-reclamations")

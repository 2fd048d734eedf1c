"""France compétences steers the lots in a real browser (issue 15 §3): the national view, a
trend chart and its table, a CSV downloaded; then a manager reads their lot's indicators on a
phone, nothing of another lot, and the detail by site of one table. Each page visited passes an
axe scan. With SHOTS_DIR set, screenshots are written there.

The dataset: in September 2019 (a month no other test uses), lot 16 engages four UO1 against
an order of 1,000 for the year: indicator 1.2 is 4/1,000, « 0,4 % », stored by the monthly job
(`flask cep indicators --month 2019-09`) before the pages read it."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.extensions import db
from portal.network.models import StaffRole
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.e2e.conftest import assert_accessible


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def seed(app: Flask) -> tuple[str, str]:
    with app.app_context():
        ws.ensure_orders(db.session, "16", (2019,))
        advisor = ws.staff(db.session, "16")
        for day in (3, 9, 17, 24):
            on = date(2019, 9, day)
            ws.engaged(db.session, advisor, engaged_on=on, today=on)
        fc = ws.staff(db.session, role=StaffRole.FRANCE_COMPETENCES).email
        manager = ws.staff(db.session, "16", StaffRole.MANAGER).email
        db.session.commit()
    # The pages read what the monthly job stored: September 2019 is reported (a run of the job
    # again, after another test, stores a revision of what changed).
    result = app.test_cli_runner().invoke(args=["cep", "indicators", "--month", "2019-09"])
    assert result.exit_code == 0, result.output
    return fc, manager


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/pro/connexion?lang=fr")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(ws.PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_france_competences_steers_and_a_manager_reads_their_lot(
    app: Flask, browser: Browser, live_server: str, clock: FrozenClock
) -> None:
    fc, manager = seed(app)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server, fc)
    menu = page.get_by_role("navigation", name="Espace professionnel")
    menu.get_by_role("link", name="Pilotage national").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage national des indicateurs")
    assert_accessible(page)

    page.get_by_label("Mois (indicateurs mensuels)").select_option(label="septembre 2019")
    page.get_by_label("Semestre (indicateurs semestriels)").select_option("2019-S2")
    lot = page.get_by_label("Lot comparé à la nation")
    lot.select_option(lot.locator("option", has_text="Lot 16 — ").get_attribute("value"))
    page.get_by_role("button", name="Afficher").click()

    chart = page.get_by_role("img", name="1.2 Engagements UO1", exact=False)
    expect(chart.first).to_be_visible()
    trend = page.get_by_role("table", name="Tendance : 1.2 Engagements UO1")
    row = trend.get_by_role("row", name="septembre 2019")
    expect(row).to_contain_text("0,4")
    engagements = page.get_by_role("table", name="Engagements — septembre 2019")
    expect(engagements.get_by_role("row", name="Lot 16", exact=False)).to_contain_text("0,4")
    assert_accessible(page)
    shot(page, "pilotage-national")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger tous les tableaux (CSV)").click()
    content = Path(download.value.path()).read_bytes().decode("utf-8")
    assert content.splitlines()[0].startswith("\ufeffTableau;Période;Code opérateur;Lot;Région")
    assert "2019-09" in content

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server, manager)
    phone_menu = phone.get_by_role("navigation", name="Espace professionnel")
    phone_menu.get_by_role("link", name="Indicateurs du lot").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Indicateurs du lot")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Lot 16")
    phone.get_by_label("Mois (indicateurs mensuels)").select_option(label="septembre 2019")
    phone.get_by_role("button", name="Afficher").click()
    expect(phone.get_by_role("table", name="Engagements — septembre 2019")).to_contain_text("0,4")
    expect(phone.get_by_text("Lot 10 —")).to_have_count(0)
    expect(phone.get_by_role("link", name="Délai du premier rendez-vous").first).to_be_visible()
    assert no_sideways_scroll(phone), "the page scrolls sideways on a phone"
    assert_accessible(phone)
    shot(phone, "pilotage-lot")

    # A table meaningful per site leads to its sites' detail, for the same month.
    phone.get_by_role(
        "link", name=re.compile(r"^Détail par site \(\d+ sites?\) : Parcours")
    ).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Indicateurs du lot par site")
    expect(phone.get_by_label("Tableau", exact=True)).to_have_value("famille-3")
    expect(phone.get_by_label("Mois (indicateurs mensuels)")).to_have_value("2019-09")
    expect(phone.get_by_role("table", name="Parcours — septembre 2019")).to_contain_text(
        "Lot 16 — "
    )
    assert no_sideways_scroll(phone), "the sites' detail scrolls sideways on a phone"
    assert_accessible(phone)
    shot(phone, "pilotage-lot-sites")

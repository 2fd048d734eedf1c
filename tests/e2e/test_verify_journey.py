"""Someone handed a signed livrable checks it at /verifier in a real browser, without an
account, on a phone and a desktop, in French then English (each page passes an axe scan),
and with JavaScript off. With SHOTS_DIR set, screenshots of each state are written there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.clock import today_in_france
from portal.esign.models import SealedDocument
from portal.extensions import db
from tests.e2e.conftest import assert_accessible
from tests.esign_data import signed_version
from tests.workspace_data import staff

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(scope="module")
def sealed_copy(app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with app.app_context():
        advisor = staff(db.session, "16", name="Dominique Martin")
        version = signed_version(db.session, advisor, today_in_france())
        row = db.session.get(SealedDocument, version.id)
        assert row is not None
        db.session.commit()
        path = tmp_path_factory.mktemp("copies") / "etat-des-lieux-partage.pdf"
        path.write_bytes(row.pdf)
        return path


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_sealed_copy_is_checked_in_french_and_english(
    browser: Browser, live_server: str, sealed_copy: Path, device: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    page.goto(f"{live_server}/verifier")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier un document signé")
    assert_accessible(page)
    shot(page, f"verifier-fr-{device}")
    page.get_by_label("Le document à vérifier (PDF)").set_input_files(str(sealed_copy))
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.get_by_role("heading", name="Document authentique et intact")).to_be_visible()
    expect(page.get_by_text("D. M., signé le")).to_be_visible()
    assert_accessible(page)
    shot(page, f"verifier-fr-{device}-intact")

    page.goto(f"{live_server}/verifier?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a signed document")
    page.get_by_role("button", name="Check", exact=True).click()  # no file chosen
    expect(page.get_by_text("Choose the PDF file to check.")).to_be_visible()
    assert_accessible(page)
    shot(page, f"verifier-en-{device}-no-file")
    page.get_by_label("The document to check (PDF)").set_input_files(str(sealed_copy))
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("heading", name="Authentic and intact document")).to_be_visible()
    assert_accessible(page)
    shot(page, f"verifier-en-{device}-intact")
    context.close()


def test_the_check_works_with_javascript_off(
    browser: Browser, live_server: str, sealed_copy: Path
) -> None:
    """(axe needs JavaScript: the scans run in the journey above.)"""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/verifier")
    page.get_by_label("Le document à vérifier (PDF)").set_input_files(str(sealed_copy))
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.get_by_role("heading", name="Document authentique et intact")).to_be_visible()
    context.close()

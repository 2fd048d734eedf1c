"""A livrable signed online, in a real browser (axe on every page):

1. at a distance: the advisor chooses online signing and signs with their password; the
   person opens the e-mailed link from the mailbox, reads the code in the development SMS
   box, types « Lu et approuvé » and signs; the unit closes, the sealed copy is in their
   space, and /verifier says « intact » for the downloaded file;
2. in the session, on a phone: the advisor shows the QR code; the person opens the page on
   their phone and signs with the code received by SMS.

With SHOTS_DIR set, screenshots of each state are written there."""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from portal.advisor.models import Unit, UnitKind, UnitStatus
from portal.clock import today_in_france
from portal.extensions import db
from portal.livrables.signing import freeze_for_signature
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_advisor_journey import sign_in_as_staff
from tests.unit.test_signing import livrable_of, noon
from tests.workspace_data import PASSWORD, engaged, staff

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Printed:
    unit_id: int
    advisor_email: str
    person_email: str
    person_name: str


def printed_unit(app: Flask) -> Printed:
    """A UO1 whose livrable was printed yesterday, for a person with a mobile on file."""
    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16", name="Dominique Martin")
        unit = engaged(
            db.session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
        )
        person = unit.dossier.beneficiary
        person.email = f"signe-{uuid.uuid4().hex[:8]}@example.org"
        person.first_name, person.last_name = "Noé", "Œuvray"
        freeze_for_signature(
            db.session,
            livrable_of(db.session, unit),
            by=advisor,
            now=noon(today - timedelta(days=1)),
        )
        db.session.commit()
        return Printed(unit.id, advisor.email, person.email, "Noé Œuvray")


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def local(live_server: str, href: str | None) -> str:
    """A link of an e-mail (built from the public address) or of a page, on this server."""
    return re.sub(r"^(https?://[^/]+)?/", live_server + "/", str(href), count=1)


def deliver(page: Page, live_server: str) -> None:
    page.goto(live_server + "/dev/mailbox")
    page.get_by_role("button", name="Distribuer maintenant").click()


def code_from_sms_box(page: Page, live_server: str) -> str:
    deliver(page, live_server)
    sms = page.get_by_role("region", name="SMS envoyés").locator(".sms-text").first
    found = re.search(r"\b(\d{6})\b", sms.inner_text())
    assert found, sms.inner_text()
    return found.group(1)


def advisor_signs_online(page: Page, live_server: str, printed: Printed) -> None:
    sign_in_as_staff(page, live_server, printed.advisor_email)
    page.goto(f"{live_server}/pro/unites/{printed.unit_id}/livrable")
    panel = page.get_by_role("region", name="Signature")
    panel.get_by_label("Signature en ligne").check()
    panel.get_by_role("button", name="Enregistrer la méthode").click()
    expect(page.get_by_text("La méthode de signature est enregistrée.")).to_be_visible()
    assert_accessible(page)
    panel.get_by_label("Votre mot de passe, pour confirmer votre signature").fill(PASSWORD)
    panel.get_by_role("button", name="Signer le document").click()
    expect(page.get_by_text("Votre signature est enregistrée.")).to_be_visible()
    assert_accessible(page)


def ask(page: Page, place: str) -> None:
    panel = page.get_by_role("region", name="Signature")
    panel.get_by_label(re.compile(place)).check()
    panel.get_by_label("Motif de clôture").select_option("objectif_atteint")
    panel.get_by_role("button", name="Demander la signature").click()


def person_signs(page: Page, live_server: str, link: str, name: str) -> None:
    page.goto(link)
    # The link opens a page with one button: a mail scanner opening it records nothing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Signer un document")
    assert_accessible(page)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signer votre état des lieux partagé")
    assert_accessible(page)
    page.get_by_role("button", name="Recevoir mon code").click()
    expect(page.get_by_text(re.compile(r"Code envoyé par SMS au \+336"))).to_be_visible()
    code = code_from_sms_box(page, live_server)
    page.goto(link)
    page.get_by_label("Recopiez la mention « Lu et approuvé »").fill("Lu et approuvé")
    page.get_by_label("Votre prénom et votre nom").fill(name)
    page.get_by_label(re.compile("je consens à le signer électroniquement")).check()
    page.get_by_label(re.compile("Code de confirmation reçu")).fill(code)
    page.get_by_role("button", name="Signer le document").click()
    expect(page.get_by_role("heading", name="Document signé")).to_be_visible()
    assert_accessible(page)


def assert_closed(app: Flask, unit_id: int) -> None:
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        assert unit is not None and unit.status == UnitStatus.CLOSED
        assert unit.closed_on == today_in_france()


def test_a_remote_person_signs_from_the_mailbox_and_the_sms_box_then_checks_the_copy(
    browser: Browser, live_server: str, app: Flask, tmp_path: Path
) -> None:
    printed = printed_unit(app)
    advisor = browser.new_context(viewport=DESKTOP).new_page()
    advisor_signs_online(advisor, live_server, printed)
    ask(advisor, "À distance")
    expect(advisor.get_by_text(re.compile("Le lien de signature est envoyé"))).to_be_visible()
    shot(advisor, "esign-advisor-requested-desktop")

    person = browser.new_context(viewport=DESKTOP).new_page()
    deliver(person, live_server)
    person.get_by_role("link", name=re.compile("prêt à signer")).first.click()
    link = person.get_by_role("link", name=re.compile(r"signer\/")).first.get_attribute("href")
    person_signs(person, live_server, local(live_server, link), printed.person_name)
    shot(person, "esign-person-signed-desktop")
    assert_closed(app, printed.unit_id)

    # The copy waits in their space; /verifier says it is intact.
    person.goto(live_server + "/mon-espace")
    person.get_by_label("Votre adresse e-mail").fill(printed.person_email)
    person.get_by_role("button", name="Recevoir mon lien").click()
    deliver(person, live_server)
    person.get_by_role("link", name=re.compile("Votre lien de connexion")).first.click()
    sign_in = person.get_by_role("link", name=re.compile("mon-espace.connexion")).first
    person.goto(local(live_server, sign_in.get_attribute("href")))
    person.get_by_role("button", name="Se connecter").click()
    expect(person.get_by_role("heading", name="Mes documents signés")).to_be_visible()
    assert_accessible(person)
    href = person.get_by_role("link", name="Document (PDF)").first.get_attribute("href")
    copy = tmp_path / "copie.pdf"
    copy.write_bytes(person.request.get(local(live_server, href)).body())
    person.goto(live_server + "/verifier")
    person.get_by_label("Le document à vérifier (PDF)").set_input_files(str(copy))
    person.get_by_role("button", name="Vérifier", exact=True).click()
    expect(person.get_by_role("heading", name="Document authentique et intact")).to_be_visible()
    expect(person.get_by_text("N. Œ., signé le")).to_be_visible()
    assert_accessible(person)


def test_in_session_the_person_signs_on_their_phone_through_the_qr_code(
    browser: Browser, live_server: str, app: Flask
) -> None:
    printed = printed_unit(app)
    advisor = browser.new_context(viewport=DESKTOP).new_page()
    advisor_signs_online(advisor, live_server, printed)
    ask(advisor, "pendant l'entretien")
    expect(advisor.get_by_role("heading", name="Signature pendant l'entretien")).to_be_visible()
    expect(advisor.get_by_role("img", name="Code QR du lien de signature")).to_be_visible()
    assert_accessible(advisor)
    shot(advisor, "esign-in-session-desktop")
    link = advisor.get_by_role("link", name="Ouvrir la page de signature").get_attribute("href")

    phone = browser.new_context(viewport=PHONE).new_page()
    person_signs(phone, live_server, local(live_server, link), printed.person_name)
    shot(phone, "esign-person-signed-phone")
    assert_closed(app, printed.unit_id)
    advisor.reload()
    expect(advisor.get_by_text(re.compile("Le bénéficiaire a signé"))).to_be_visible()


@pytest.mark.parametrize("lang", ["en"])
def test_the_signing_page_reads_in_english_with_javascript_off(
    browser: Browser, live_server: str, app: Flask, lang: str
) -> None:
    printed = printed_unit(app)
    advisor = browser.new_context(viewport=DESKTOP).new_page()
    advisor_signs_online(advisor, live_server, printed)
    ask(advisor, "pendant l'entretien")
    link = advisor.get_by_role("link", name="Ouvrir la page de signature").get_attribute("href")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(local(live_server, link) + f"?lang={lang}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign your shared assessment")
    page.get_by_role("button", name="Sign the document").click()
    expect(page.get_by_role("alert")).to_contain_text("Copy the words")
    shot(page, "esign-person-refused-en-phone")

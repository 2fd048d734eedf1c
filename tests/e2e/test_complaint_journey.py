"""A complaint from the person's space to the mediator's recommendation, in a real browser (axe
on every page), in three browser contexts — the person, the operator's manager, the mediator:

1. the person files a complaint from their space and the acknowledgement reaches the mailbox;
2. the manager answers it;
3. the person says the answer does not satisfy them and refers it to the mediator;
4. the mediator finds it, declares it admissible and asks for the dossier; the manager grants
   it; the mediator reads the dossier;
5. the person sees that read in their space;
6. the mediator closes the referral with an accepted recommendation;
7. indicator 8.7 on the manager's page counts one more complaint followed by a referral.

With SHOTS_DIR set, screenshots of each step are written there."""

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

from portal.advisor.models import UnitKind
from portal.clock import today_in_france
from portal.extensions import db
from portal.network.models import StaffRole
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_advisor_journey import sign_in_as_staff
from tests.workspace_data import engaged, staff


@dataclass(frozen=True)
class Cast:
    person_email: str
    manager_email: str
    mediator_email: str


@pytest.fixture()
def cast(app: Flask) -> Cast:
    """A person followed in lot 16 (a UO1 under way), its manager, and the mediator."""
    today = today_in_france()
    with app.app_context():
        advisor = staff(db.session, "16", name="Dominique Martin")
        unit = engaged(
            db.session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=5), today=today
        )
        person = unit.dossier.beneficiary
        person.email = f"reclame-{uuid.uuid4().hex[:8]}@example.org"
        person.first_name, person.last_name = "Maëlle", "Quéré"
        manager = staff(db.session, "16", StaffRole.MANAGER, name="Claire Manager")
        mediator = staff(db.session, "16", StaffRole.MEDIATOR, name="Marc Médiateur")
        db.session.commit()
        return Cast(person.email, manager.email, mediator.email)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/complaint-{name}.png", full_page=True)


def visit(page: Page, name: str) -> None:
    """Every page the journey sees: no serious axe finding, and a screenshot."""
    assert_accessible(page)
    shot(page, name)


def deliver(page: Page, live_server: str) -> None:
    page.goto(live_server + "/dev/mailbox")
    page.get_by_role("button", name="Distribuer maintenant").click()


def person_signs_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/mon-espace")
    page.get_by_label("Votre adresse e-mail").fill(email)
    page.get_by_role("button", name="Recevoir mon lien").click()
    deliver(page, live_server)
    page.get_by_role("link", name=re.compile("Votre lien de connexion")).first.click()
    link = page.get_by_role("link", name=re.compile("mon-espace.connexion")).first
    page.goto(re.sub(r"^https?://[^/]+", live_server, str(link.get_attribute("href"))))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace", level=1)).to_be_visible()


def referred_share(page: Page, live_server: str) -> int:
    """The manager's 8.7 page: complaints of the current semester followed by a referral."""
    page.goto(live_server + "/pro/indicateurs/reclamations")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Réclamations suivies d'une saisine du médiateur"
    )
    visit(page, "7-indicator")
    current = page.get_by_role("row").filter(has_text="(en cours)")
    return int(current.get_by_role("cell").nth(1).inner_text().strip())


def test_a_complaint_goes_from_the_space_to_the_mediators_recommendation(
    browser: Browser, live_server: str, cast: Cast
) -> None:
    person = browser.new_context(locale="fr-FR").new_page()
    manager = browser.new_context(locale="fr-FR").new_page()
    mediator = browser.new_context(locale="fr-FR").new_page()
    sign_in_as_staff(manager, live_server, cast.manager_email)
    sign_in_as_staff(mediator, live_server, cast.mediator_email)
    referred_before = referred_share(manager, live_server)

    # 1. The person files from their space: the form knows them and their operator.
    person_signs_in(person, live_server, cast.person_email)
    visit(person, "1-space")
    person.get_by_role("link", name="Faire une réclamation").first.click()
    expect(person.get_by_role("heading", name=re.compile("Faire une réclamation"))).to_be_visible()
    expect(person.get_by_label("Adresse e-mail")).to_have_value(cast.person_email)
    visit(person, "1-form")
    person.get_by_label("Délai de rendez-vous").check()
    person.get_by_label("Votre réclamation").fill(
        "Mon deuxième rendez-vous a été annulé deux fois sans explication."
    )
    person.get_by_role("button", name="Envoyer ma réclamation").click()
    expect(person.get_by_role("heading", name="Votre réclamation est envoyée")).to_be_visible()
    visit(person, "1-filed")
    deliver(person, live_server)
    expect(person.get_by_text("Votre réclamation est bien reçue").first).to_be_visible()
    person.goto(live_server + "/mon-espace")
    person.get_by_role("link", name=re.compile(r"Réclamation n° \d+")).first.click()
    complaint_url = person.url
    number = re.search(r"/reclamations/(\d+)", complaint_url)
    assert number is not None

    # 2. The manager answers it from the operator's queue.
    manager.goto(live_server + "/pro/reclamations")
    visit(manager, "2-queue")
    manager.get_by_role("link", name=re.compile(rf"N° {number.group(1)}\b")).first.click()
    visit(manager, "2-complaint")
    manager.get_by_label("Votre réponse").fill(
        "Nous vous prions de nous excuser : un conseiller vous rappelle cette semaine."
    )
    manager.get_by_role("button", name="Envoyer la réponse").click()
    expect(manager.get_by_text("un conseiller vous rappelle cette semaine").first).to_be_visible()

    # 3. Not satisfied: the person refers it to the mediator in one click.
    person.goto(complaint_url)
    expect(person.get_by_text("un conseiller vous rappelle cette semaine")).to_be_visible()
    visit(person, "3-answered")
    person.get_by_role("button", name="Cette réponse ne me satisfait pas").click()
    person.get_by_role("button", name="Saisir le médiateur").click()
    expect(person.get_by_text(re.compile("médiateur", re.IGNORECASE)).first).to_be_visible()
    visit(person, "3-referred")

    # 4. The mediator finds it, declares it admissible and asks for the dossier.
    mediator.goto(live_server + "/pro/mediateur/saisines")
    visit(mediator, "4-queue")
    mediator.get_by_role("link", name=re.compile("Maëlle Quéré")).first.click()
    expect(mediator.get_by_role("heading", level=1)).to_contain_text("Saisine n°")
    visit(mediator, "4-referral")
    mediator.get_by_label("Recevable", exact=True).check()
    mediator.get_by_role("button", name="Enregistrer la décision").click()
    expect(mediator.get_by_text(re.compile("Opérateur informé le"))).to_be_visible()
    mediator.get_by_role("button", name="Demander l'accès au dossier").click()
    expect(mediator.get_by_text(re.compile("demandé", re.IGNORECASE)).first).to_be_visible()
    visit(mediator, "4-access-requested")
    # The operator's manager grants it from the complaint's page.
    manager.reload()
    visit(manager, "4-grant")
    manager.get_by_role("button", name="Accorder l'accès au médiateur").click()
    expect(manager.get_by_text("Accès au dossier accordé au médiateur")).to_be_visible()
    # The mediator reads the dossier.
    mediator.reload()
    mediator.get_by_role("link", name="Consulter le dossier").click()
    expect(mediator.get_by_text("Maëlle").first).to_be_visible()
    visit(mediator, "4-dossier")

    # 5. The person sees that the mediator read their dossier, and when.
    person.goto(live_server + "/mon-espace")
    reads = person.get_by_role("region", name="Le médiateur et votre dossier").first
    expect(reads).to_contain_text("consulté")
    visit(person, "5-space-reads")

    # 6. The mediator closes it with an accepted recommendation.
    mediator.go_back()
    mediator.get_by_label("Recommandation").check()
    mediator.get_by_role("group", name="Acceptée par les parties ?").get_by_label("Oui").check()
    mediator.get_by_role("button", name="Enregistrer l'issue et clore").click()
    expect(mediator.get_by_text("Recommandation").first).to_be_visible()
    expect(mediator.get_by_role("button", name="Enregistrer l'issue et clore")).to_have_count(0)
    visit(mediator, "6-closed")

    # 7. Indicator 8.7 counts the complaint followed by a referral.
    assert referred_share(manager, live_server) == referred_before + 1

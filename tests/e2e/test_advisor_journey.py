"""An advisor runs a UO1 from the appointment booked through the front door to the signed,
closed livrable; then the beneficiary signs in to their space with the e-mailed link,
downloads their copy and answers the survey. Every page visited passes an axe scan."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import clock as portal_clock
from portal.advisor.models import Dossier, Unit, UnitStatus
from portal.booking.models import RequestStatus
from portal.clock import today_in_france
from portal.extensions import db
from portal.satisfaction.models import Survey
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.e2e.conftest import assert_accessible
from tests.scan_files import real_pdf

EMAIL = "alix.parcours@example.org"
# The smallest PDF that is one: what a scanner would send back.
SCAN = real_pdf("The signed paper, scanned")


@pytest.fixture
def advisor_and_booking(app: Flask) -> Iterator[tuple[str, str]]:
    """An advisor of operator 16, and a first appointment booked with them through the front
    door (request + appointment), which started an hour ago."""
    with app.app_context():
        advisor = ws.staff(db.session, "16", name="Inès Journey")
        op = ws.operator(db.session, "16")
        request = booking.request_for(
            db.session, op, requested_on=today_in_france(), status=RequestStatus.BOOKED
        )
        request.beneficiary.email = EMAIL
        request.beneficiary.last_name = "Parcours"
        request.beneficiary.first_name = "Alix"
        start = portal_clock.now() - timedelta(hours=1)
        slot = booking.slot_at(db.session, advisor, advisor.sites[0], start)
        booking.book(db.session, slot, request)
        names = advisor.email, advisor.full_name
        db.session.commit()
    yield names


def sign_in_as_staff(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/pro/connexion?lang=fr")
    page.get_by_label("Adresse e-mail professionnelle").fill(email)
    page.get_by_label("Mot de passe").fill(ws.PASSWORD)
    page.get_by_role("button", name=re.compile("connecter", re.IGNORECASE)).click()


def form_with(page: Page, button: str):  # type: ignore[no-untyped-def]
    return page.locator("form").filter(has=page.get_by_role("button", name=button))


def test_an_advisor_runs_a_uo1_to_its_signed_closure_and_the_person_answers(
    live_server: str, page: Page, app: Flask, advisor_and_booking: tuple[str, str]
) -> None:
    email, advisor_name = advisor_and_booking
    today = today_in_france().isoformat()

    # The advisor finds the appointment booked through the front door on their home.
    sign_in_as_staff(page, live_server, email)
    page.get_by_role("navigation", name="Espace professionnel").get_by_role(
        "link", name="Mes dossiers"
    ).click()
    expect(page.get_by_role("heading", name="Mes dossiers", level=1)).to_be_visible()
    assert_accessible(page)
    row = page.get_by_role("listitem").filter(has_text="Parcours")
    row.get_by_role("button", name="Rendez-vous tenu").click()

    # The dossier: engage a UO1 with the person's consent and the Annex 2 entry data.
    expect(page.get_by_role("heading", name="Alix Parcours", level=1)).to_be_visible()
    assert_accessible(page)
    engage = form_with(page, "Engager l'unité")
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
    expect(page.get_by_text(re.compile(r"16 \d\d \d\d 01 \d{6}")).first).to_be_visible()
    assert_accessible(page)

    # The person's Annex 2 profile, due from the UO1: printing waits for it (issue 15 §1).
    page.get_by_role("link", name="Renseigner le profil").click()
    expect(page.get_by_role("heading", name=re.compile("Profil Annexe 2"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Femme").check()
    page.get_by_label("Niveau de formation").select_option("niveau_6")
    page.get_by_label("Statut au regard de l'emploi").select_option("cdi")
    page.get_by_label("Structure de rattachement").select_option(index=1)
    page.get_by_label("Nom de la voie").fill("des Écoles")
    page.get_by_label("Commune de résidence", exact=True).fill("35000")
    page.get_by_label("Catégorie sociale").select_option("4")
    page.get_by_label("Profession (libellé)").fill("Comptable")
    page.get_by_label("Secteur d'activité de l'entreprise (section NAF)").select_option("M")
    page.get_by_label("Secteur (libellé)").fill("Expertise comptable")
    page.get_by_label("Taille de l'entreprise").select_option("10_49")
    page.get_by_label("Entrée dans l'entreprise (mois)").fill("2014-09")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_text("Le profil est complet pour les unités du dossier.")).to_be_visible()

    # The État des lieux partagé, written with the person.
    page.get_by_role("link", name=re.compile("État des lieux partagé")).first.click()
    expect(page.get_by_role("heading", name=re.compile("État des lieux partagé"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Analyse partagée de la situation").fill(
        "Alix, comptable depuis douze ans, souhaite se tourner vers l'enseignement."
    )
    page.get_by_label("Informations échangées").fill(
        "Concours de professeur des écoles, VAE, compte personnel de formation."
    )
    page.get_by_label("Prochaines étapes de l'accompagnement").fill(
        "Poursuivre en UO2.1 avec le même opérateur, à raison d'un entretien par mois."
    )
    page.get_by_label("Poursuivre en UO2.1 (appui à la formalisation du projet)").check()
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.get_by_label("Informations échangées")).to_have_value(
        re.compile("Concours de professeur des écoles")
    )

    # Printed for signature: a PDF carrying its fingerprint.
    page.get_by_role("button", name="Imprimer pour signature").click()
    expect(page.get_by_text("Empreinte SHA-256").first).to_be_visible()
    assert_accessible(page)
    pdf_link = page.get_by_role("link", name=re.compile("Document à signer|PDF")).first
    pdf = page.request.get(live_server + str(pdf_link.get_attribute("href")))
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # Both signatures from the paper copy, then its scan: the unit closes.
    advisor_form = form_with(page, "Enregistrer la signature du conseiller")
    advisor_form.get_by_label("Date écrite à côté de la signature").fill(today)
    advisor_form.get_by_role("button", name="Enregistrer la signature du conseiller").click()
    person_form = form_with(page, "Enregistrer la signature du bénéficiaire")
    person_form.get_by_label("Date écrite à côté de la signature").fill(today)
    person_form.get_by_label("Nom du signataire").fill("Alix Parcours")
    person_form.get_by_label("Motif de clôture").select_option(
        label="Clôture volontaire : poursuite de l'accompagnement"
    )
    person_form.get_by_role("button", name="Enregistrer la signature du bénéficiaire").click()
    scan_form = form_with(page, "Envoyer la copie signée")
    scan_form.get_by_label("Copie signée, numérisée (PDF, JPEG ou PNG)").set_input_files(
        {"name": "etat-des-lieux-signe.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    scan_form.get_by_role("button", name="Envoyer la copie signée").click()
    expect(page.get_by_text("Livrable signé.")).to_be_visible()
    assert_accessible(page)
    with app.app_context():
        unit = db.session.scalar(
            select(Unit)
            .join(Dossier, Unit.dossier_id == Dossier.id)
            .where(Dossier.advisor.has(full_name=advisor_name))
        )
        assert unit is not None and unit.status == UnitStatus.CLOSED
        assert unit.closed_on == today_in_france()
        assert db.session.scalar(select(Survey).where(Survey.unit_id == unit.id)) is not None

    # The beneficiary asks for a sign-in link; the mailbox delivers it.
    page.goto(live_server + "/mon-espace")
    expect(page.get_by_role("heading", name="Mon espace", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Votre adresse e-mail").fill(EMAIL)
    page.get_by_role("button", name="Recevoir mon lien").click()
    expect(page.get_by_text(re.compile("Si cette adresse est connue"))).to_be_visible()
    page.goto(live_server + "/dev/mailbox")
    page.get_by_role("button", name="Distribuer maintenant").click()
    page.get_by_role("link", name=re.compile("Votre lien de connexion")).first.click()
    link = page.get_by_role("link", name=re.compile("mon-espace.connexion")).first
    page.goto(re.sub(r"^https?://[^/]+", live_server, str(link.get_attribute("href"))))
    # Opening the link uses nothing up (mail scanners open links): the person confirms.
    expect(page.get_by_role("heading", name="Ouvrir mon espace", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Se connecter").click()

    # Their space: the signed copy to download, and the survey.
    expect(page.get_by_role("heading", name="Mes documents signés")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Copie signée")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    # A paper copy by post, too (CCTP 2.1.2).
    page.get_by_role("link", name="Recevoir une copie papier par la poste").first.click()
    expect(
        page.get_by_role("heading", name="Recevoir une copie papier par la poste")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Numéro et voie").fill("12 rue des Lilas")
    page.get_by_label("Code postal").fill("35000")
    page.get_by_label("Commune").fill("Rennes")
    page.get_by_role("button", name="Demander la copie papier").click()
    expect(page.get_by_text(re.compile("Copie papier demandée le"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Votre avis nous intéresse|Répondre")).first.click()
    expect(page.get_by_role("heading", name="Votre avis sur votre accompagnement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Comment jugez-vous la qualité du service rendu ?").get_by_label(
        "Très satisfait"
    ).check()
    page.get_by_role("group", name="Ce service vous a-t-il été utile ?").get_by_label(
        "Très utile"
    ).check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text(re.compile("Merci"))).to_be_visible()
    assert_accessible(page)
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.unit_id == unit.id))
        assert survey is not None and (survey.quality, survey.usefulness) == (4, 4)

"""The printed livrable: what the signed paper carries, on every page, whatever was typed."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from pypdf import PdfReader
from sqlalchemy.orm import Session

from portal import clock as portal_clock
from portal.advisor.models import UnitKind
from portal.clock import today_in_france
from portal.livrables.models import Livrable, LivrableKind
from portal.livrables.pdf import PrintedLivrable, WishedService, livrable_pdf, render
from tests.workspace_data import engaged, staff

SHA = "3f" * 32
BASE = PrintedLivrable(
    kind=LivrableKind.PROJET_PROFESSIONNEL,
    version=2,
    sha256=SHA,
    frozen_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
    operator_name="Opérateur CEP de Corse",
    operator_contact=("1 cours Napoléon, 20000 Ajaccio", "04 95 00 00 00"),
    person_name="Camille Lefèvre",
    advisor_name="Dominique Martin",
    unit_label="UO2.1",
    unit_number="16 25 03 21 000042",
    purchase_order_ref="2025-Lot16-UO2.1-01-00042",
    engaged_on=date(2025, 3, 1),
    deadline=date(2025, 9, 1),
    sections=(
        ("Le projet d'évolution professionnelle", "Devenir aide-soignante. " * 400),
        ("Analyse de la situation au regard du projet", "Compétences relationnelles."),
    ),
    step_headings=("Objectif", "Action à conduire", "Qui", "Échéance", "Financement"),
    steps=(("Obtenir le DEAS", "S'inscrire à l'IFAS", "Camille", "1 septembre 2025", "PTP"),),
    services=(
        WishedService(
            "Action de formation",
            (("IFAS d'Ajaccio", "Ajaccio", False), ("Croix-Rouge formation", "Bastia", True)),
            "Croix-Rouge formation",
        ),
        WishedService("Bilan de compétences", (("Bilan Corse", "Corte", False),), None),
    ),
    wants_uo22=True,
    mediator_url="https://www.francecompetences.fr/mediateur/",
    mediator_address="France compétences — Le Médiateur, 11 rue Scribe, 75009 Paris",
)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_carries_the_title_the_mention_the_mediator_and_the_whole_list() -> None:
    texts = pages(render(BASE))
    everything = flat(" ".join(texts))
    assert "Projet professionnel" in texts[0]
    assert "Opérateur CEP de Corse" in texts[0] and "Camille Lefèvre" in texts[0]
    assert "16 25 03 21 000042" in texts[0] and "2025-Lot16-UO2.1-01-00042" in texts[0]
    assert "1 mars 2025" in everything and "1 septembre 2025" in everything
    assert "Lu et approuvé" in everything
    assert "Le conseiller" in everything and "Le bénéficiaire" in everything
    assert "médiateur de France compétences" in everything
    assert BASE.mediator_url in everything and "11 rue Scribe, 75009 Paris" in everything
    # CCTP 2.1.3: every organisation of the region, and the person's own choice.
    for name in ("IFAS d'Ajaccio", "Croix-Rouge formation", "Bilan Corse"):
        assert name in everything
    assert "Choix de la personne : Croix-Rouge formation" in everything
    assert "Choix de la personne : pas encore fait." in everything
    assert "S'inscrire à l'IFAS" in everything


def test_every_page_carries_the_version_the_hash_and_its_number() -> None:
    texts = pages(render(BASE))
    assert len(texts) >= 3  # the long section runs over several pages
    for number, text in enumerate(texts, start=1):
        assert f"Empreinte SHA-256 : {SHA}" in text
        assert "Version 2" in text
        assert f"Page {number}/{len(texts)}" in text


def test_the_etat_des_lieux_shows_its_decision() -> None:
    doc = replace(
        BASE,
        kind=LivrableKind.ETAT_DES_LIEUX,
        sections=(("Analyse partagée de la situation", "Texte"),),
        decision="Poursuivre en UO2.1 (appui à la formalisation du projet)",
        services=(),
        steps=(),
    )
    everything = flat(" ".join(pages(render(doc))))
    assert "État des lieux partagé" in everything
    assert "Décision Poursuivre en UO2.1" in everything
    assert "Plan d'actions" not in everything


def test_the_same_content_prints_the_same_bytes() -> None:
    assert render(BASE) == render(BASE)
    later = replace(BASE, frozen_at=BASE.frozen_at + timedelta(days=1))
    assert render(later) != render(BASE)


def test_text_the_font_cannot_draw_never_prevents_the_printing() -> None:
    odd = "Жанна 😀 中文 ő ﬁ œuvre « ok » ’ € \u200b\x07 " + "x" * 600
    doc = replace(
        BASE,
        person_name="Zoë Ørsted-Дмитриева 🙂",
        sections=(("Projet ✨", odd),),
        steps=((odd, "a " * 2500, "moi", "", "€"),),  # a step taller than a page
        services=(WishedService("Бilan", (("Организация", "Ville", True),), "Организация"),),
    )
    everything = flat(" ".join(pages(render(doc))))
    assert "Zoë Ørsted-Дмитриева" in everything and "œuvre « ok » ’ €" in everything
    assert "Жанна 😀 ?? ő ﬁ" in everything  # only the ideograms have no glyph in the font
    assert "Организация" in everything
    assert "Lu et approuvé" in everything


def test_every_character_typed_in_french_or_a_name_from_overseas_prints_as_typed() -> None:
    """The hash covers the exact text: the paper must show the exact text (no « ? »)."""
    doc = replace(
        BASE,
        person_name="Thị Lan Nguyễn",
        advisor_name="Tĕvita Fifita",
        sections=(
            ("Le projet d'évolution professionnelle", "Œuvre pour l’avenir : budget 12 € ; cœur."),
            ("Analyse de la situation au regard du projet", "Ça « marche »… — oui."),
        ),
    )
    texts = pages(render(doc))
    everything = flat(" ".join(texts))
    for typed in ("Œuvre", "12 €", "l’avenir", "cœur", "Nguyễn", "Tĕvita", "Ça « marche »… — oui"):
        assert typed in everything, typed
    assert "?" not in texts[0]


def test_a_frozen_livrable_prints_its_operator_and_the_configured_mediator(
    app: Flask, session: Session
) -> None:
    today = today_in_france()
    advisor = staff(session, "16", name="Dominique Martin")
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    content = {
        "sections": {"situation": "S", "informations": "I", "next_steps": "N"},
        "decision": "stop",
    }
    livrable = Livrable(unit=unit, kind=LivrableKind.ETAT_DES_LIEUX, content=content)
    session.add(livrable)
    session.flush()
    pdf = livrable_pdf(
        session, livrable, number=1, sha256=SHA, at=portal_clock.now(), content=content
    )
    everything = flat(" ".join(pages(pdf)))
    assert unit.operator.name in everything
    assert "Dominique Martin" in everything and unit.formatted_number in everything
    assert app.config["MEDIATOR_URL"] in everything
    assert "Ne pas poursuivre l'accompagnement" in everything

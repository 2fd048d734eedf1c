"""The steering views (issue 15 §3): the national view for France compétences (every lot side
by side, the trend, a CSV of every table), the lot view
for a manager (their lot only), the chooser's bad input told and the other choices kept.

The dataset is written here: in March 2020, lot 16 engages three UO1 and lot 10 two, each
against a purchase order of 1,000 UO1 for the year (`ensure_orders`); indicator 1.2 (UO1
engaged since January / the year's ordered quantity) is then 3/1,000 and 2/1,000."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask

from portal.extensions import db
from portal.network.models import StaffRole
from tests import workspace_data as ws

MONTH, SEMESTER = "2020-03", "2020-S1"
NATIONAL, NATIONAL_CSV = "/pro/pilotage", "/pro/pilotage.csv"
LOT, LOT_CSV = "/pro/pilotage/lot", "/pro/pilotage/lot.csv"
CHOSEN = f"?month={MONTH}&semester={SEMESTER}"


@dataclass
class People:
    france_competences: str
    mediator: str
    manager16: str
    advisor16: str
    lot16: int
    lot10: int


@pytest.fixture(scope="module")
def people(app: Flask) -> People:
    with app.app_context():
        session = db.session
        ws.ensure_orders(session, "16", (2020,))
        ws.ensure_orders(session, "10", (2020,))
        advisor16, advisor10 = ws.staff(session, "16"), ws.staff(session, "10")
        for advisor, days in ((advisor16, (2, 10, 31)), (advisor10, (5, 20))):
            for day in days:
                on = date(2020, 3, day)
                ws.engaged(session, advisor, engaged_on=on, today=on)
        found = People(
            france_competences=ws.staff(session, role=StaffRole.FRANCE_COMPETENCES).email,
            mediator=ws.staff(session, role=StaffRole.MEDIATOR).email,
            manager16=ws.staff(session, "16", StaffRole.MANAGER).email,
            advisor16=advisor16.email,
            lot16=ws.operator(session, "16").id,
            lot10=ws.operator(session, "10").id,
        )
        session.commit()
    return found


def text_of(body: bytes) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body.decode())))


def csv_rows(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel opens the accents right only with a BOM"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_national_view_puts_every_lot_side_by_side(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.france_competences)
    response = client.get(NATIONAL + CHOSEN)
    assert response.status_code == 200
    page = text_of(response.data)
    assert "Pilotage national des indicateurs" in page
    for lot in ("Lot 10 — ", "Lot 16 — ", "Ensemble des lots"):
        assert lot in page
    assert "Bretagne" in page or "Occitanie" in page  # the lots' regions are named
    assert "<caption>Engagements — mars 2020</caption>" in response.data.decode()
    assert 'scope="col"' in response.data.decode() and 'scope="row"' in response.data.decode()
    # The indicators the portal cannot compute are listed apart, with what is missing.
    assert "Indicateurs non calculés : données manquantes" in page
    assert "ETP" in page


def test_the_csv_gives_codes_labels_and_both_terms_of_each_figure(
    app: Flask, people: People
) -> None:
    client = ws.sign_in(app.test_client(), people.france_competences)
    response = client.get(NATIONAL_CSV + CHOSEN)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="pilotage-2020-03-2020-S1.csv"' in response.headers["Content-Disposition"]
    rows = csv_rows(response.data)
    assert list(rows[0])[:3] == ["Tableau", "Période", "Code opérateur"]
    uo1 = {
        r["Code opérateur"]: r
        for r in rows
        if r["Indicateur"] == "1.2"
        and r["Période"] == MONTH
        and r["Tableau"] == "Engagements (mars 2020)"
    }
    assert uo1["16"]["Numérateur"] == "3"
    assert uo1["16"]["Dénominateur"] == "1000"
    assert uo1["16"]["Valeur"] == "0,3"  # per cent, with a decimal comma
    assert uo1["16"]["Libellé"] == "Engagements UO1"
    assert uo1["10"]["Numérateur"] == "2"
    assert uo1["10"]["Valeur"] == "0,2"
    # The page's own address gives the same file with ?format=csv.
    same = client.get(NATIONAL + CHOSEN + "&format=csv")
    assert same.mimetype == "text/csv" and same.data == response.data


def test_one_table_downloads_alone(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.france_competences)
    page = client.get(NATIONAL + CHOSEN).data.decode()
    found = re.search(r'href="([^"]*table=famille-1[^"]*)"', page)
    assert found, "each table has its own download link"
    link = htmllib.unescape(found[1])
    rows = csv_rows(client.get(link).data)
    assert rows and {r["Tableau"] for r in rows} == {"Engagements (mars 2020)"}
    assert client.get(NATIONAL_CSV + CHOSEN + "&table=nope").status_code == 404


def test_the_trend_is_a_chart_followed_by_its_table(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.france_competences)
    body = client.get(NATIONAL + CHOSEN + f"&lot={people.lot16}").data.decode()
    chart = body.index('role="img"')
    table = body.index("<caption>Tendance : 1.2 Engagements UO1</caption>")
    assert chart < table
    assert "<title" in body[chart : chart + 400]
    # Nation and lot told apart in words (the legend), not by colour alone.
    legend = body[chart:table]
    assert "Ensemble des lots" in legend and "Lot 16 — " in legend
    assert "style=" not in legend  # the CSP forbids inline styles


def test_a_wrong_month_is_told_and_the_semester_kept(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.france_competences)
    response = client.get(f"{NATIONAL}?month=2020-13&semester={SEMESTER}")
    assert response.status_code == 422
    body = response.data.decode()
    assert 'role="alert"' in body
    assert "Choisissez un mois de la liste" in text_of(response.data)
    assert f'<option value="{SEMESTER}" selected>' in body
    assert client.get(f"{NATIONAL_CSV}?month=x").status_code == 422


def test_the_mediator_reads_the_national_view(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.mediator)
    assert client.get(NATIONAL + CHOSEN).status_code == 200


def test_a_manager_sees_their_lot_only(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.manager16)
    response = client.get(LOT + CHOSEN)
    assert response.status_code == 200
    page = text_of(response.data)
    assert "Indicateurs du lot" in page and "Lot 16 — " in page
    assert "Lot 10 — " not in page and "Ensemble des lots" not in page
    assert "/pro/indicateurs/delai" in response.data.decode()  # the delays page stays reachable
    rows = csv_rows(client.get(LOT_CSV + CHOSEN).data)
    assert {r["Code opérateur"] for r in rows} == {"16"}
    # Another lot asked by hand does not exist for them; the national view neither.
    assert client.get(f"{LOT}{CHOSEN}&operator={people.lot10}").status_code == 404
    assert client.get(f"{LOT_CSV}{CHOSEN}&operator={people.lot10}").status_code == 404
    assert client.get(f"{LOT}{CHOSEN}&operator={people.lot16}").status_code == 200
    assert client.get(NATIONAL + CHOSEN).status_code == 404


def test_an_advisor_opens_neither_view(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.advisor16)
    assert client.get(LOT).status_code == 404
    assert client.get(NATIONAL).status_code == 404


def test_the_menu_leads_each_role_to_its_view(app: Flask, people: People) -> None:
    fc = ws.sign_in(app.test_client(), people.france_competences)
    assert "Pilotage national" in text_of(fc.get("/pro/").data)
    manager = ws.sign_in(app.test_client(), people.manager16)
    assert "Indicateurs du lot" in text_of(manager.get("/pro/").data)


def test_the_categories_read_with_their_labels(app: Flask, people: People) -> None:
    """2.3 and 2.4 count the beneficiaries by category: the columns name each category as the
    reference lists word it, in the person's language, never by its bare code."""
    client = ws.sign_in(app.test_client(), people.france_competences)
    french = text_of(client.get(NATIONAL + CHOSEN).data)
    assert "Taux de recours au CEP selon la catégorie sociale — Ouvriers" in french
    assert "Taux de recours au CEP selon le statut — Salarié en CDI" in french
    english = text_of(client.get(NATIONAL + CHOSEN + "&lang=en").data)
    assert "— Manual workers" in english
    assert "— Employee on a permanent contract" in english

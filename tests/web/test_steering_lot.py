"""A lot's indicators for its manager (issue 15 §3): the lot page reads down, one indicator a
row, and names the sites beyond a rule of the contract; a table meaningful per site links to
its sites' detail, where the lot and its sites stand side by side; the lot's CSV keeps every
site's row. A wrong choice is told and the others are kept; nobody else opens these pages.

The figures are written here, as the monthly job would have stored them for October 2020 and
the second semester of 2020 (periods no other test uses): over the semester (8.4 is
semestrial), lot 16 held 9 of its 10 first appointments within 30 jours ouvrés (90 %), its
first site 4 of 4 (100 %), its second 5 of 6 (83,3 %: beyond the rule), its third had no
case; its other sites have no figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.network.models import Site, StaffRole
from portal.reporting.indicators import WITHIN_30, Period
from portal.reporting.indicators.figures import figure
from portal.reporting.indicators.snapshots import store_figures
from portal.reporting.steering_tables import table_shapes
from tests import workspace_data as ws
from tests.web.test_steering_views import csv_rows, text_of

LOT, LOT_CSV, SITES = "/pro/pilotage/lot", "/pro/pilotage/lot.csv", "/pro/pilotage/lot/sites"
MONTH, SEMESTER = Period.parse("2020-10"), Period.parse("2020-S2")
CHOSEN = f"month={MONTH.key}&semester={SEMESTER.key}"
WITHIN = "8.4 Premiers rendez-vous dans les 30 jours ouvrés"
# The table of 8.4 (family 8, « Qualité »), as the pages name it.
DELAYS = next(s.id for s in table_shapes() if any(d.number == "8.4" for d in s.definitions))


@dataclass
class People:
    manager16: str
    advisor16: str
    france_competences: str
    lot10: int
    on_time: str  # the site with every first appointment within 30 jours ouvrés
    late: str  # the site beyond the rule
    silent: str  # a site with no case


@pytest.fixture(scope="module")
def people(app: Flask) -> People:
    with app.app_context():
        session = db.session
        lot16 = ws.operator(session, "16").id
        sites = list(
            session.scalars(select(Site).where(Site.operator_id == lot16).order_by(Site.name))
        )
        assert len(sites) >= 3, "lot 16's demo network has several sites"
        on_time, late, silent = sites[0], sites[1], sites[2]
        stored_at = datetime(2020, 11, 2, 4, tzinfo=UTC)
        store_figures(
            session, MONTH, [figure("1.2", MONTH, lot16, None, 3.0, 1000.0)], now=stored_at
        )
        store_figures(  # 8.1 and 8.4 are semestrial
            session,
            SEMESTER,
            [
                figure("8.4", SEMESTER, lot16, None, 9.0, 10.0, WITHIN_30),
                figure("8.4", SEMESTER, lot16, on_time.id, 4.0, 4.0, WITHIN_30),
                figure("8.4", SEMESTER, lot16, late.id, 5.0, 6.0, WITHIN_30),
                figure("8.4", SEMESTER, lot16, silent.id, 0.0, 0.0, WITHIN_30),  # no case
                figure("8.4", SEMESTER, lot16, None, 120.0, 10.0),  # 12 days on average
                figure("8.1", SEMESTER, lot16, None, 17.0, 20.0),
            ],
            now=stored_at,
        )
        found = People(
            manager16=ws.staff(session, "16", StaffRole.MANAGER).email,
            advisor16=ws.staff(session, "16").email,
            france_competences=ws.staff(session, role=StaffRole.FRANCE_COMPETENCES).email,
            lot10=ws.operator(session, "10").id,
            on_time=on_time.name,
            late=late.name,
            silent=silent.name,
        )
        session.commit()
    return found


def _flagged(page: str) -> str:
    """The text of the section « Sous le seuil du contrat »."""
    return page.split("Sous le seuil du contrat", 1)[1].split("Tendance sur 13 mois", 1)[0]


def test_the_lot_page_reads_down_and_names_the_sites_beyond_the_rule(
    app: Flask, people: People
) -> None:
    client = ws.sign_in(app.test_client(), people.manager16)
    response = client.get(f"{LOT}?{CHOSEN}")
    assert response.status_code == 200
    body = response.data.decode()
    page = text_of(response.data)
    # One row per indicator, the lot's figure beside it; no site's row on this page.
    assert f"{WITHIN} (taux, semestriel) 90 % ▼ sous le seuil" in page
    assert "8.1 Qualité et utilité perçues (taux, semestriel) 85 %" in page
    assert "1.2 Engagements UO1 (taux) 0,3 %" in page
    assert 'class="steer-site"' not in body
    flagged = _flagged(page)
    assert f"{people.late} — {WITHIN} : 83,3 %" in flagged
    assert "Lot 16 — " in flagged and people.on_time not in flagged
    # The table of 8.4 leads to its sites' detail, for the same periods.
    assert f'href="{SITES}?table={DELAYS}&amp;month=2020-10&amp;semester=2020-S2"' in body
    assert "Détail par site (" in page


def test_the_sites_detail_puts_the_lot_and_its_sites_side_by_side(
    app: Flask, people: People
) -> None:
    client = ws.sign_in(app.test_client(), people.manager16)
    response = client.get(f"{SITES}?table={DELAYS}&{CHOSEN}")
    assert response.status_code == 200
    page = text_of(response.data)
    assert "Indicateurs du lot par site" in page
    # The menu marks its section: the lot's indicators, which the page details.
    assert 'href="/pro/pilotage/lot" aria-current="true"' in response.data.decode()
    assert f"Site : {people.on_time}" in page and f"Site : {people.late}" in page
    assert people.silent not in page  # no case in this table: left out of the page
    late_row = page.split(f"Site : {people.late}", 1)[1].split("Site :", 1)[0]
    assert "83,3 % ▼ sous le seuil" in late_row
    on_time_row = page.split(f"Site : {people.on_time}", 1)[1].split("Site :", 1)[0]
    assert "100 %" in on_time_row and "sous le seuil" not in on_time_row
    assert f"{people.late} — {WITHIN} : 83,3 %" in _flagged(page + "Tendance sur 13 mois")
    assert '<option value="2020-10" selected>' in response.data.decode()


def test_a_wrong_choice_is_told_and_the_others_kept(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.manager16)
    response = client.get(f"{SITES}?table=famille-99&{CHOSEN}")
    assert response.status_code == 422
    page = text_of(response.data)
    assert "Erreur :" in page and "Choisissez un tableau de la liste." in page
    assert '<option value="2020-10" selected>' in response.data.decode()
    english = client.get(f"{SITES}?table={DELAYS}&month=2020-13&semester=2020-S2&lang=en")
    assert english.status_code == 422
    assert "Choose a month from the list" in text_of(english.data)
    assert f'<option value="{DELAYS}" selected>' in english.data.decode()


def test_nobody_else_opens_a_lot_s_sites(app: Flask, people: People) -> None:
    manager = ws.sign_in(app.test_client(), people.manager16)
    assert manager.get(f"{SITES}?{CHOSEN}&operator={people.lot10}").status_code == 404
    for email in (people.advisor16, people.france_competences):
        assert ws.sign_in(app.test_client(), email).get(f"{SITES}?{CHOSEN}").status_code == 404


def test_the_lot_csv_keeps_every_site_s_row(app: Flask, people: People) -> None:
    client = ws.sign_in(app.test_client(), people.manager16)
    rows = csv_rows(client.get(f"{LOT_CSV}?{CHOSEN}&table={DELAYS}").data)
    within = {r["Site"]: r["Valeur"] for r in rows if r["Catégorie"] == WITHIN_30}
    assert within == {"": "90", people.on_time: "100", people.late: "83,3", people.silent: ""}


def test_a_table_reads_only_the_periods_it_needs(app: Flask, people: People) -> None:
    """« Parcours » is monthly: a semester never stored is not computed for it, nor said to
    be; « Qualité » is semestrial and says it is computed now."""
    client = ws.sign_in(app.test_client(), people.manager16)
    semester_note = "ce semestre n'a pas encore été arrêté"
    unstored = f"month={MONTH.key}&semester=2019-S2"
    journeys = text_of(client.get(f"{SITES}?table=famille-3&{unstored}").data)
    assert "Parcours — octobre 2020" in journeys and semester_note not in journeys
    quality = text_of(client.get(f"{SITES}?table={DELAYS}&{unstored}").data)
    assert semester_note in quality

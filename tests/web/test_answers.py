"""Issue 13 §2: answers that are right on every screen — one story per page, in French and
in English."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.clock import PARIS
from portal.extensions import db
from portal.network.models import OpeningHours, Site
from tests.conftest import FrozenClock
from tests.web.test_front_door import ANSWERS, text_of

RENNES = "35238"
CONTRADICTION = "est fait pour vous"


def answer_for(client: FlaskClient, lang: str = "fr", **data: str) -> str:
    client.get(f"/langue/{lang}")
    sent = client.post("/", data={**ANSWERS, "key": uuid.uuid4().hex, **data})
    assert sent.status_code == 303, sent.data
    page = text_of(client.get("/resultat").data)
    client.get("/langue/fr")
    return page


@pytest.mark.parametrize(
    ("postal_code", "territory"),
    [
        ("98800", "Nouvelle-Calédonie"),
        ("97500", "Saint-Pierre-et-Miquelon"),
        ("97133", "Saint-Barthélemy"),
        ("97150", "Saint-Martin"),
        ("98600", "Wallis-et-Futuna"),
        ("98714", "Polynésie française"),
    ],
)
def test_a_collectivite_d_outre_mer_gets_one_answer_pointing_to_the_national_operators(
    client: FlaskClient, postal_code: str, territory: str
) -> None:
    page = answer_for(client, home=postal_code)
    assert f"Aucun opérateur régional ne couvre {territory}" in page
    assert "les opérateurs nationaux peuvent vous accompagner" in page
    assert CONTRADICTION not in page
    assert "est là pour vous" not in page  # the regional operator's promise
    assert "Si vous choisissez l'opérateur régional" not in page
    for national in ("Apec", "France Travail", "Cap emploi", "Mission locale"):
        assert national in page


def test_noumea_in_english_is_one_answer_too(client: FlaskClient) -> None:
    page = answer_for(client, lang="en", home="98800")
    assert "No regional provider covers Nouvelle-Calédonie" in page
    assert "is right for you" not in page
    assert "France Travail" in page


def test_a_cadre_in_noumea_is_not_offered_the_regional_operator_as_a_choice(
    client: FlaskClient,
) -> None:
    page = answer_for(client, home="98800", cadre="1")
    assert "Nous vous conseillons d'abord : Apec" in page
    assert "vous pouvez aussi vous adresser à l'opérateur régional" not in page
    assert "Aucun opérateur régional ne couvre Nouvelle-Calédonie" in page
    assert "Si vous choisissez l'opérateur régional" not in page


def test_working_in_a_covered_region_keeps_the_regional_answer(client: FlaskClient) -> None:
    page = answer_for(client, home="98800", work="Brest")
    assert CONTRADICTION in page
    assert "CEP Bretagne — opérateur de démonstration" in page


def _sites_listed(html: str) -> list[tuple[str, str]]:
    """(site name, « near » label) of each site card, in order."""
    cards = re.findall(
        r'<li class="site card"[^>]*>(.*?)</li>\s*(?=<li class="site card"|</ol>)', html, re.S
    )
    listed = []
    for card in cards:
        name = re.search(r'<h4 class="site-name">(.*?)</h4>', card, re.S)
        near = re.search(r'<span class="near">(.*?)</span>', card, re.S)
        assert name
        listed.append((name[1].strip(), near[1].strip() if near else ""))
    return listed


def _distances(html: str) -> list[float]:
    return [
        float(km.replace(",", ".")) for km in re.findall(r"<strong>([\d,]+)\s*km</strong>", html)
    ]


@pytest.mark.parametrize("url", ["/lieux?home=Rennes&work=Saint-Malo", "result"])
def test_home_and_work_in_one_lot_list_each_site_once_nearest_first(
    client: FlaskClient, url: str
) -> None:
    if url == "result":
        client.post(
            "/", data={**ANSWERS, "home": "Rennes", "work": "Saint-Malo", "key": uuid.uuid4().hex}
        )
        url = "/resultat"
    html = client.get(url).get_data(as_text=True)
    listed = _sites_listed(html)
    names = [name for name, _ in listed]
    assert len(names) == len(set(names)) == 5
    assert {near for _, near in listed} == {"près de chez vous", "près de votre travail"}
    assert ("CEP Rennes", "près de chez vous") in listed
    assert _distances(html) == sorted(_distances(html))
    page = text_of(html.encode())
    assert page.count("CEP Bretagne — opérateur de démonstration") == 1
    assert "Prendre rendez-vous près de Rennes" in page
    assert "Prendre rendez-vous près de Saint-Malo" in page


def test_home_and_work_in_one_lot_in_english(client: FlaskClient) -> None:
    client.get("/langue/en")
    html = client.get("/lieux?home=Rennes&work=Saint-Malo").get_data(as_text=True)
    client.get("/langue/fr")
    labels = {near for _, near in _sites_listed(html)}
    assert labels == {"near your home", "near your work"}


def test_home_and_work_in_two_lots_keep_two_lists(client: FlaskClient) -> None:
    html = client.get("/lieux?home=Compi%C3%A8gne&work=75008").get_data(as_text=True)
    assert 'class="near"' not in html
    assert "deux régions différentes" in text_of(html.encode())


# The slot page.


@pytest.mark.parametrize("days_ahead", range(7))
def test_the_first_week_offers_no_previous_week(
    client: FlaskClient, clock: FrozenClock, days_ahead: int
) -> None:
    """Whatever the day the person comes (a weekend included), late in the evening."""
    evening = datetime.combine(clock.today + timedelta(days=days_ahead), time(21, 30), PARIS)
    clock.set(evening)
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    first = re.search(r'href="([^"]+semaine=[^"]+)"[^>]*>Semaine suivante', html)
    assert first
    monday = re.search(r"semaine=(\d{4}-\d\d-\d\d)", first[1])
    assert monday
    # The week the page opens on, and a week asked for before it, show no « previous ».
    for url in (
        f"/rendez-vous?commune={RENNES}&semaine=2000-01-03",
        f"/rendez-vous?commune={RENNES}",
    ):
        page = client.get(url).get_data(as_text=True)
        shown = re.search(r"Semaine du ([^<]+)</h3>", page)
        assert shown
        if "Semaine précédente" in page:
            pytest.fail(f"{url} offers a previous week on {shown[1]}")
    later = client.get(first[1].replace("&amp;", "&")).get_data(as_text=True)
    assert "Semaine précédente" in later


@pytest.fixture
def no_evening_near_rennes(app: Flask, client: FlaskClient) -> Iterator[None]:
    """The sites of Rennes' area close at 16:00 for one test."""
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    names = re.findall(r'<option value="(\d+)"', html.split('name="site"')[1].split("</select>")[0])
    ids = [int(i) for i in names]
    assert ids
    with app.app_context():
        hours = db.session.scalars(select(OpeningHours).where(OpeningHours.site_id.in_(ids))).all()
        kept = {h.id: (h.opens, h.closes) for h in hours}
        for h in hours:
            h.opens, h.closes = min(h.opens, time(15, 0)), min(h.closes, time(16, 0))
        _touch(ids)  # a cached network reloads the edited sites
        db.session.commit()
    yield
    with app.app_context():
        for h in db.session.scalars(select(OpeningHours).where(OpeningHours.id.in_(kept))):
            h.opens, h.closes = kept[h.id]
        _touch(ids)
        db.session.commit()


def _touch(site_ids: list[int]) -> None:
    for site in db.session.scalars(select(Site).where(Site.id.in_(site_ids))):
        site.version += 1


@pytest.mark.usefixtures("no_evening_near_rennes")
def test_an_evening_filter_where_no_site_opens_in_the_evening_says_so(client: FlaskClient) -> None:
    page = text_of(client.get(f"/rendez-vous?commune={RENNES}&moment=soir").data)
    assert "Aucun site de votre secteur n'ouvre le soir ; les créneaux à distance" in page
    client.get("/langue/en")
    english = text_of(client.get(f"/rendez-vous?commune={RENNES}&moment=soir").data)
    client.get("/langue/fr")
    assert "No site in your area opens in the evening; remote appointments" in english
    remote = text_of(
        client.get(f"/rendez-vous?commune={RENNES}&moment=soir&modalite=telephone").data
    )
    assert "n'ouvre le soir" not in remote


def test_an_evening_filter_where_a_site_opens_in_the_evening_says_nothing(
    client: FlaskClient,
) -> None:
    page = text_of(client.get(f"/rendez-vous?commune={RENNES}&moment=soir").data)
    assert "n'ouvre le soir" not in page


def test_the_motive_given_at_the_front_door_is_not_asked_again(client: FlaskClient) -> None:
    client.post(
        "/", data={**ANSWERS, "home": "Rennes", "motif": "changer_metier", "key": uuid.uuid4().hex}
    )
    html = client.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    slot = re.search(r'href="(/rendez-vous/creneau/[^"]+)"', html)
    assert slot
    form = client.get(slot[1].replace("&amp;", "&")).get_data(as_text=True)
    assert 'name="motif" value="changer_metier"' in form
    assert '<select id="motif"' not in form
    assert "Changer de métier ou de secteur" in text_of(form.encode())
    client.get("/langue/en")
    english = client.get(slot[1].replace("&amp;", "&")).get_data(as_text=True)
    client.get("/langue/fr")
    assert "What brings you, as you told us:" in text_of(english.encode())


def test_without_a_front_door_motive_the_booking_form_asks_it(app: Flask) -> None:
    fresh = app.test_client()
    html = fresh.get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    slot = re.search(r'href="(/rendez-vous/creneau/[^"]+)"', html)
    assert slot
    form = fresh.get(slot[1].replace("&amp;", "&")).get_data(as_text=True)
    assert '<select id="motif" name="motif"' in form


# Focus after a failed submit.


def test_a_failed_submit_shows_the_summary_first_and_loads_the_focus_script(
    client: FlaskClient,
) -> None:
    html = client.post("/", data={"home": "", "key": "k"}).get_data(as_text=True)
    summary = html.index('id="error-summary"')
    assert summary < html.index('<form method="post"')
    assert 'src="/static/js/error-summary.js"' in html
    assert "<script>" not in html  # no inline script (CSP)


def test_the_focus_script_focuses_the_error_summary(client: FlaskClient) -> None:
    response = client.get("/static/js/error-summary.js")
    script = response.get_data(as_text=True)
    response.close()
    assert "error-summary" in script and ".focus(" in script

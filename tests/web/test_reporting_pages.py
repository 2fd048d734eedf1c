"""The reports' pages: the mediator's annual report (page with charts and tables, CSV), its
year checked, indicator 8.7 for a manager (own operator only) and the national view, and who
may open each."""

from __future__ import annotations

import html as htmllib
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.mediation.complaints import acknowledge_complaint, answer_complaint
from portal.mediation.models import Complaint, Outcome, Referral, ReferralChannel
from portal.mediation.referrals import decide_admissibility, record_outcome, record_referral
from portal.network.models import Operator, StaffMember, StaffRole
from tests.conftest import FrozenClock
from tests.mediation_data import at, letter
from tests.workspace_data import operator, sign_in, staff

YEAR = 2022  # the other tests work around today: this year is ours (2021 for its eve)
REPORT = "/pro/rapports/mediation"
CSV = "/pro/rapports/mediation.csv"
INDICATOR = "/pro/indicateurs/reclamations"
NATIONAL = "/pro/national/reclamations"


def text_of(body: bytes) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", body.decode())))


@dataclass
class People:
    mediator: str
    france_competences: str
    manager: str
    advisor: str
    lot16: int
    lot16_number: int


def _complaint(
    manager: StaffMember, received_on: date, motive: str, ack_after: int, answer_after: int | None
) -> Complaint:
    made = letter(db.session, manager, received_on=received_on)
    made.motive = motive
    acknowledge_complaint(db.session, made, by=manager, now=at(received_on + timedelta(ack_after)))
    if answer_after is not None:
        when = at(received_on + timedelta(answer_after))
        answer_complaint(db.session, made, by=manager, answer="Réponse.", now=when)
    return made


def _referral(mediator: StaffMember, made: Complaint, on: datetime) -> Referral:
    return record_referral(
        db.session,
        by=mediator,
        channel=ReferralChannel.LETTER,
        operator_id=made.operator_id,
        last_name="Lefèvre",
        first_name="Camille",
        email=None,
        text=None,
        referred_at=on,
        now=on,
        complaint=made,
    )


def seed(app: Flask, year: int) -> People:
    """Lot 16: two complaints of `year` referred (one not admissible, one settled by an accepted
    recommendation) and one of the year before; lot 10: one referred complaint, pending."""
    with app.app_context():
        mediator = staff(db.session, role=StaffRole.MEDIATOR)
        manager = staff(db.session, "16", StaffRole.MANAGER)
        foreign_manager = staff(db.session, "10", StaffRole.MANAGER)
        first = _complaint(manager, date(year, 2, 1), "accueil", 3, 20)
        refused = _referral(mediator, first, at(date(year, 4, 1)))
        decide_admissibility(
            db.session,
            refused,
            by=mediator,
            admissible=False,
            reason="Pas de réclamation préalable écrite",
            now=at(date(year, 4, 2)),
        )
        second = _complaint(manager, date(year, 3, 1), "delai_rendez_vous", 9, None)
        heard = _referral(mediator, second, at(date(year, 5, 1)))
        decide_admissibility(
            db.session,
            heard,
            by=mediator,
            admissible=True,
            reason=None,
            now=at(date(year, 5, 2)),
        )
        record_outcome(
            db.session,
            heard,
            by=mediator,
            outcome=Outcome.RECOMMENDATION,
            accepted=True,
            now=at(date(year, 5, 31)),
        )
        _complaint(manager, date(year - 1, 12, 20), "accueil", 1, 2)
        other = _complaint(foreign_manager, date(year, 1, 10), "livrable", 2, None)
        _referral(mediator, other, at(date(year, 2, 20)))
        lot16 = operator(db.session, "16")
        found = People(
            mediator=mediator.email,
            france_competences=staff(db.session, role=StaffRole.FRANCE_COMPETENCES).email,
            manager=manager.email,
            advisor=staff(db.session, "16").email,
            lot16=lot16.id,
            lot16_number=lot16.lot_number,
        )
        db.session.commit()
    return found


@pytest.fixture(scope="module")
def people(app: Flask) -> People:
    return seed(app, YEAR)


def as_(client: FlaskClient, email: str) -> FlaskClient:
    return sign_in(client, email)


# The annual report


def test_the_report_of_one_lot_shows_its_figures_charts_and_reasons(
    client: FlaskClient, people: People, clock: FrozenClock
) -> None:
    page = as_(client, people.mediator).get(
        REPORT, query_string={"year": YEAR, "lot": people.lot16}
    )
    assert page.status_code == 200
    text = text_of(page.data)
    assert "Saisines reçues dans l'année 2 " in text
    assert "Recevables 1 " in text and "Non recevables 1 " in text
    assert "Pas de réclamation préalable écrite 1 " in text
    assert "Accueil 1 " in text and "Délai de rendez-vous 1 " in text
    # Acknowledged after 3 and 9 days (the year before's complaint left out), answered once.
    assert "accusé de réception (7 jours) 2 6 6 9 50 % 0 " in text
    assert "réponse (45 jours) 1 20 20 20 100 % 1 " in text
    assert "Saisine du médiateur → issue 1 30 30 30 — 0 " in text
    assert "Recommandation 1 0 0 1 " in text
    body = page.data.decode()
    assert body.count('<svg class="chart"') == 5 and body.count('<title id="chart-') == 5
    assert 'aria-labelledby="chart-referrals-title"' in body and "<caption" in body
    assert "rapports/mediation.csv?year=2022&amp;lot=" in body
    national = text_of(client.get(REPORT, query_string={"year": YEAR}).data)
    assert "Saisines reçues dans l'année 3 " in national and "En attente de décision 1 " in national


def test_the_csv_has_one_figure_a_line_for_french_spreadsheets(
    client: FlaskClient, people: People, clock: FrozenClock
) -> None:
    answer = as_(client, people.france_competences).get(
        CSV, query_string={"year": YEAR, "lot": people.lot16}
    )
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="rapport-mediation-{YEAR}-lot-{people.lot16_number}.csv"'
    )
    assert answer.data.startswith("\ufeff".encode())
    lines = answer.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Rubrique;Élément;Mesure;Valeur"
    assert f"Rapport annuel du médiateur;Année;;{YEAR}" in lines
    assert "Saisines reçues et recevabilité;Non recevables;Nombre;1" in lines
    assert "Motifs de non-recevabilité;Pas de réclamation préalable écrite;Saisines;1" in lines
    ack = (
        "Délais (en jours calendaires);Réception de la réclamation → accusé de réception (7 jours)"
    )
    assert f"{ack};Part dans le délai du CCTP;50" in lines
    assert f"{ack};Médiane;6" in lines


def test_a_wrong_year_is_told_and_kept(
    client: FlaskClient, people: People, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 6, 15, 10, tzinfo=UTC))
    as_(client, people.mediator)
    for typed in ("20x2", "2018", "2027"):
        page = client.get(REPORT, query_string={"year": typed, "lot": ""})
        assert page.status_code == 422
        text = text_of(page.data)
        assert "Indiquez une année de 2019 à 2026" in text and 'role="alert"' in page.data.decode()
        assert f'value="{typed}"' in page.data.decode()
    assert client.get(CSV, query_string={"year": "deux mille"}).status_code == 422
    assert client.get(REPORT, query_string={"year": "2022", "lot": "x"}).status_code == 422


# Indicator 8.7


def test_the_manager_sees_8_7_for_their_own_operator(
    client: FlaskClient, people: People, clock: FrozenClock
) -> None:
    page = as_(client, people.manager).get(INDICATOR, query_string={"until": f"{YEAR}-1"})
    assert page.status_code == 200
    text = text_of(page.data)
    assert "Indicateur 8.7 du CCTP" in text and "tous les six mois" in text
    # Lot 10's complaint of the same semester is not counted.
    assert f"1er semestre {YEAR} 2 2 100 % " in text
    assert f"2e semestre {YEAR - 1} 1 0 0 % " in text
    assert "Réclamations et médiateur (8.7)" in text  # the staff menu
    wrong = client.get(INDICATOR, query_string={"until": "2022-7"})
    assert wrong.status_code == 422 and "Choisissez un semestre de la liste." in text_of(wrong.data)


def test_the_national_view_lists_every_operator_and_the_total(
    client: FlaskClient, people: People, clock: FrozenClock
) -> None:
    page = as_(client, people.france_competences).get(NATIONAL, query_string={"until": f"{YEAR}-1"})
    assert page.status_code == 200
    text = text_of(page.data)
    with client.application.app_context():
        operators = db.session.scalars(select(Operator)).all()
        lot10 = operator(db.session, "10")
        lot16 = operator(db.session, "16")
    for op in operators:
        assert f"Lot {op.lot_number} — {op.name}" in text
    section = text.split(f"Indicateur 8.7 par opérateur, 1er semestre {YEAR}")[1].split(
        "Total national"
    )[0]
    assert f"Lot {lot16.lot_number} — {lot16.name} 2 2 100 % " in section
    assert f"Lot {lot10.lot_number} — {lot10.name} 1 1 100 % " in section
    assert f"Total national 3 3 100 % 2e semestre {YEAR - 1}" in text


# Who may open what


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("advisor", set()),
        ("manager", {INDICATOR}),
        ("mediator", {REPORT, CSV, NATIONAL}),
        ("france_competences", {REPORT, CSV, NATIONAL}),
    ],
)
def test_each_role_opens_only_its_reports(
    client: FlaskClient, people: People, clock: FrozenClock, role: str, allowed: set[str]
) -> None:
    as_(client, getattr(people, role))
    for url in (REPORT, CSV, INDICATOR, NATIONAL):
        expected = 200 if url in allowed else 404
        assert client.get(url).status_code == expected, url


def test_the_pages_have_one_title_ordered_headings_and_captioned_tables(
    client: FlaskClient, people: People, clock: FrozenClock
) -> None:
    """An axe-like check: one h1, no heading level skipped, every table captioned and its
    headers scoped, every chart an image with its title."""
    pages = [
        (people.mediator, f"{REPORT}?year={YEAR}"),
        (people.mediator, NATIONAL),
        (people.manager, INDICATOR),
    ]
    for email, url in pages:
        body = as_(client, email).get(url).data.decode()
        levels = [int(n) for n in re.findall(r"<h([1-6])\b", body)]
        assert levels.count(1) == 1 and levels[0] == 1, url
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (url, levels)
        assert body.count("<table") == body.count("<caption") > 0, url
        assert len(re.findall(r"<th\b(?![^>]*scope=)[^>]*>", body)) == 0, url
        charts = re.findall(r'<svg class="chart"[^>]*>', body)
        assert all('role="img"' in c and "aria-labelledby=" in c for c in charts), url

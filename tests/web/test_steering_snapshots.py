"""The steering views read the figures as they were reported (issue 15 §3): what the monthly
job stored, with its revisions, and compute now only a month never stored — saying so. With
the months stored, each page reads in at most 20 SQL statements.

Months used by no other test: the job runs for January 2021 to January 2022 (December 2021
stores the second semester of 2021 too). April 2022 holds hand-made figures only, stored twice
by `store_figures` (a first report, then a revision): lot 16's indicator 1.2 reported 7/1,000,
then revised to 9/1,000, where `compute` would now find no order and no figure. March 2022 is
never stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from portal.extensions import db
from portal.network.models import StaffRole
from portal.reporting.indicators import Period, reported_figures
from portal.reporting.indicators.figures import figure
from portal.reporting.indicators.snapshots import store_figures
from tests import workspace_data as ws
from tests.conftest import FrozenClock
from tests.web.test_steering_views import csv_rows, text_of

NATIONAL, LOT, LOT_CSV = "/pro/pilotage", "/pro/pilotage/lot", "/pro/pilotage/lot.csv"
STATEMENT_BUDGET = 20  # issue 15: the national view in at most 20 SQL statements (the lot's too)
STORED = "?month=2022-01&semester=2021-S2"
HAND_MADE = Period.parse("2022-04")
FIRST_REPORT = datetime(2022, 5, 2, 4, tzinfo=UTC)
REVISED = datetime(2022, 6, 1, 4, tzinfo=UTC)
LIVE = "Calculé à l'instant : ce mois n'a pas encore été arrêté par le calcul mensuel."


@dataclass
class People:
    france_competences: str
    manager16: str
    lot16: int


def _months(first: Period, last: Period) -> list[Period]:
    months = [first]
    while months[-1] != last:
        months.append(Period.month_of(months[-1].end))
    return months


@pytest.fixture(scope="module")
def people(app: Flask) -> People:
    with app.app_context():
        session = db.session
        ws.ensure_orders(session, "16", (2021,))
        advisor = ws.staff(session, "16")
        for day in (4, 11):
            on = date(2021, 12, day)
            ws.engaged(session, advisor, engaged_on=on, today=on)
        lot16 = ws.operator(session, "16").id
        found = People(
            france_competences=ws.staff(session, role=StaffRole.FRANCE_COMPETENCES).email,
            manager16=ws.staff(session, "16", StaffRole.MANAGER).email,
            lot16=lot16,
        )
        session.commit()
        for month in _months(Period.parse("2021-01"), Period.parse("2022-01")):
            result = app.test_cli_runner().invoke(args=["cep", "indicators", "--month", month.key])
            assert result.exit_code == 0, result.output
        for at, numerator in ((FIRST_REPORT, 7.0), (REVISED, 9.0)):
            made = [
                figure("1.2", HAND_MADE, lot16, None, numerator, 1000.0),
                figure("1.2", HAND_MADE, None, None, numerator, 1000.0),
            ]
            store_figures(session, HAND_MADE, made, now=at)
        session.commit()
    return found


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_page_shows_the_figures_reported_and_their_revision(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    clock.set(datetime(2022, 6, 15, 9, tzinfo=UTC))
    client = ws.sign_in(app.test_client(), people.france_competences)
    response = client.get(f"{NATIONAL}?month=2022-04&semester=2021-S2&lot={people.lot16}")
    assert response.status_code == 200
    page = text_of(response.data)
    assert "0,9 %" in page  # the figure stored last, not what would be computed today
    assert "révisé le 1 juin 2022 : 0,7 % → 0,9 %" in page
    assert LIVE not in page
    rows = csv_rows(client.get("/pro/pilotage.csv?month=2022-04&semester=2021-S2").data)
    reported = next(
        r
        for r in rows
        if r["Indicateur"] == "1.2" and r["Code opérateur"] == "16" and r["Période"] == "2022-04"
    )
    assert reported["Numérateur"] == "9" and reported["Valeur"] == "0,9"
    assert reported["Révision"] == "2"
    assert reported["Calculé le"] == "2022-06-01 06:00"  # Paris time


def test_a_month_never_stored_is_computed_now_and_says_so(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    clock.set(datetime(2022, 6, 15, 9, tzinfo=UTC))
    client = ws.sign_in(app.test_client(), people.manager16)
    response = client.get(f"{LOT}?month=2022-03&semester=2021-S2")
    assert response.status_code == 200
    assert LIVE in text_of(response.data)
    stored = text_of(client.get(f"{LOT}{STORED}").data)
    assert LIVE not in stored
    rows = csv_rows(client.get(f"{LOT_CSV}?month=2022-03&semester=2021-S2").data)
    live = [r for r in rows if r["Période"] == "2022-03" and r["Valeur"]]
    assert live and all(r["Révision"] == "" for r in live)


def test_the_default_month_is_the_latest_stored(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    clock.set(datetime(2022, 6, 15, 9, tzinfo=UTC))
    client = ws.sign_in(app.test_client(), people.france_competences)
    body = client.get(NATIONAL).data.decode()
    # April 2022 is the latest month stored before June 2022; May is the last complete one.
    assert '<option value="2022-04" selected>' in body


def test_stored_figures_come_from_one_statement(
    app: Flask, people: People, clock: FrozenClock
) -> None:
    clock.set(datetime(2022, 6, 15, 9, tzinfo=UTC))
    months = _months(Period.parse("2021-01"), Period.parse("2022-01"))
    with app.app_context(), counted() as statements:
        reported = reported_figures(db.session, months, operator_ids=[people.lot16])
    assert len(statements) == 1 and reported.live == []
    december = next(
        f
        for f in reported.figures
        if f.number == "1.2" and f.period.key == "2021-12" and f.site_id is None
    )
    assert december.numerator == 2  # the two UO1 engaged in December 2021, as stored
    assert reported.about(december) is not None


@pytest.mark.parametrize("who", ["france_competences", "manager16"])
def test_each_view_reads_in_at_most_twenty_statements(
    app: Flask, people: People, clock: FrozenClock, who: str
) -> None:
    clock.set(datetime(2022, 6, 15, 9, tzinfo=UTC))
    client = ws.sign_in(app.test_client(), getattr(people, who))
    path = NATIONAL + STORED + f"&lot={people.lot16}" if who != "manager16" else LOT + STORED
    client.get(path)  # the session and the caches settled
    with app.app_context(), counted() as statements:
        response = client.get(path)
    assert response.status_code == 200
    assert LIVE not in text_of(response.data)
    print(f"{path}: {len(statements)} statements")
    assert len(statements) <= STATEMENT_BUDGET, "\n\n".join(statements)

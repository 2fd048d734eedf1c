"""The slot search answers every page, filtered ones included, in a handful of SQL statements,
and the filters applied in SQL keep exactly the choices the person had before."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from portal.booking.search import Criteria, PartOfDay, matches_part_of_day
from portal.booking.views.context import booking_place, run_search
from portal.extensions import db
from portal.network.models import Modality

RENNES = "35238"
STATEMENTS_TARGET = 10  # issue 13: every page of the slot search, filtered ones included

FILTERED = [
    "",
    "&moment=matin",
    "&moment=midi",
    "&moment=soir",
    "&modalite=presentiel",
    "&modalite=telephone",
    "&modalite=visio&moment=midi",
    "&modalite=telephone&moment=midi",
]


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def _next_week(html: str) -> str | None:
    found = re.search(r'href="([^"]+semaine=[^"]+)"[^>]*>Semaine suivante', html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.mark.parametrize("query", FILTERED)
def test_every_filtered_page_takes_a_handful_of_statements(
    client: FlaskClient, statements: list[str], query: str
) -> None:
    client.get(f"/rendez-vous?commune={RENNES}")  # the session's first visit is not measured
    statements.clear()
    response = client.get(f"/rendez-vous?commune={RENNES}{query}")
    assert response.status_code == 200
    first = len(statements)
    assert first <= STATEMENTS_TARGET, statements
    later = _next_week(response.get_data(as_text=True))
    assert later is not None
    statements.clear()
    assert client.get(later).status_code == 200
    assert len(statements) <= STATEMENTS_TARGET, statements


def _choices(app: Flask, criteria: Criteria) -> list[tuple[str, str, tuple[str, ...]]]:
    with app.test_request_context():
        where = booking_place(db.session, RENNES, None)
        assert where is not None
        result = run_search(db.session, where, criteria)
        return [
            (free.starts.isoformat(), str(free.place_key), tuple(free.modalities))
            for day in result.days.values()
            for free in day
        ]


def _week_of(app: Flask) -> Callable[..., Criteria]:
    with app.test_request_context():
        where = booking_place(db.session, RENNES, None)
        assert where is not None
        week = run_search(db.session, where).week

    def criteria(
        weeks_later: int, modality: Modality | None = None, part: PartOfDay | None = None
    ) -> Criteria:
        return Criteria(
            modality=modality, part_of_day=part, week=week + timedelta(weeks=weeks_later)
        )

    return criteria


@pytest.mark.parametrize("part", list(PartOfDay))
@pytest.mark.parametrize("modality", [None, Modality.PRESENTIEL, Modality.TELEPHONE])
def test_a_part_of_day_keeps_exactly_the_choices_of_that_part(
    app: Flask, part: PartOfDay, modality: Modality | None
) -> None:
    week_of = _week_of(app)
    for weeks_later in (0, 1):
        whole = _choices(app, week_of(weeks_later, modality))
        assert whole
        part_only = _choices(app, week_of(weeks_later, modality, part))

        expected = [
            choice
            for choice in whole
            if matches_part_of_day(datetime.fromisoformat(choice[0]), part)
        ]
        assert part_only == expected


def test_two_advisors_free_at_once_make_one_choice(app: Flask) -> None:
    week_of = _week_of(app)
    for weeks_later in (0, 1):
        choices = _choices(app, week_of(weeks_later))
        assert choices
        assert len({(when, place) for when, place, _ in choices}) == len(choices)


def test_a_site_filter_takes_a_handful_of_statements_and_keeps_to_the_site(
    app: Flask, client: FlaskClient, statements: list[str]
) -> None:
    with app.test_request_context():
        where = booking_place(db.session, RENNES, None)
        assert where is not None
        site = run_search(db.session, where).area[0].site
        site_id, site_name = site.id, site.name
    client.get(f"/rendez-vous?commune={RENNES}")
    for query in (f"&site={site_id}", f"&site={site_id}&moment=matin&modalite=presentiel"):
        statements.clear()
        response = client.get(f"/rendez-vous?commune={RENNES}{query}")
        assert response.status_code == 200
        assert len(statements) <= STATEMENTS_TARGET, statements
    html = client.get(f"/rendez-vous?commune={RENNES}&site={site_id}").get_data(as_text=True)
    assert site_name in html
    assert re.search(r"/rendez-vous/creneau/\d+\?", html)

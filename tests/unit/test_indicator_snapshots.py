"""The monthly snapshots: stored once, nothing stored when the figures are the same, a new
revision when they changed (the old one stays), and `flask cep indicators` refusing a bad or
unfinished month; `flask cep load-population` validating its file and loading it once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.models import ClosureKind, UnitKind
from portal.extensions import db
from portal.reporting.indicators import Period, compute
from portal.reporting.indicators.snapshots import periods_of_month, snapshots, store_figures
from portal.reporting.models import IndicatorSnapshot, PopulationRegion
from tests import indicator_data as data
from tests.conftest import FrozenClock

JUNE = Period.parse("2031-06")
FIRST_RUN = datetime(2031, 7, 1, 4, tzinfo=UTC)


def cli(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["cep", *args])


def abandons(figures: list[object], operator_id: int) -> list[object]:
    return [
        f
        for f in figures
        if f.number == "6.5" and f.operator_id == operator_id and f.site_id is None  # type: ignore[attr-defined]
    ]


def test_a_second_run_stores_nothing_and_a_change_is_a_new_revision(session: Session) -> None:
    za = data.network(session, "ZA")
    za.order(UnitKind.UO1, 2031, 10, date(2031, 1, 2))
    za.unit(UnitKind.UO1, date(2031, 1, 5), closed_on=date(2031, 6, 3), closure=ClosureKind.ABANDON)
    periods = periods_of_month(JUNE)
    assert [p.key for p in periods] == ["2031-06", "2031-S1"]

    def run(at: datetime) -> list[tuple[int, int, int]]:
        figures = compute(session, periods, operator_ids=[za.id], by_site=True)
        return [
            (s.new, s.revised, s.unchanged)
            for s in (store_figures(session, p, figures, now=at) for p in periods)
        ]

    first = run(FIRST_RUN)
    assert first[0][0] > 30 and first[0][1:] == (0, 0)
    assert run(datetime(2031, 7, 2, 4, tzinfo=UTC)) == [(0, 0, first[0][0]), (0, 0, first[1][0])]
    # a late closure in June: 6.5 goes from 1 to 2 (and the figures that count closures)
    za.unit(
        UnitKind.UO1, date(2031, 1, 6), closed_on=date(2031, 6, 20), closure=ClosureKind.ABANDON
    )
    third = run(datetime(2031, 7, 3, 4, tzinfo=UTC))
    assert third[0][0] == 0 and 0 < third[0][1] < first[0][0]
    stored = snapshots(session, JUNE, operator_ids=[za.id])
    (lot,) = [r for r in stored if r.number == "6.5" and r.site_id is None]
    assert (lot.value, lot.revision, lot.computed_at) == (2, 2, datetime(2031, 7, 3, 4, tzinfo=UTC))
    assert [(r.revision, r.value, r.computed_at) for r in lot.revisions] == [(1, 1, FIRST_RUN)]
    (site,) = [r for r in stored if r.number == "6.5" and r.site_id == za.sites[0].id]
    assert (site.value, site.revision, len(site.revisions)) == (2, 2, 1)
    untouched = [r for r in stored if r.number == "1.1"]  # no UO0 order: not computable
    assert [(r.value, r.revision, r.revisions) for r in untouched] == [(None, 1, ())]
    semester = snapshots(session, Period.parse("2031-S1"), operator_ids=[za.id])
    assert {r.number for r in semester} >= {"8.1", "8.7", "6.5"}


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2031-13", "must be written YYYY-MM"),
        ("juin", "must be written YYYY-MM"),
        ("2031-S1", "must be written YYYY-MM"),
        ("2031-07", "is not over yet"),
        ("2032-01", "is not over yet"),
    ],
)
def test_a_bad_or_unfinished_month_is_refused(
    app: Flask, clock: FrozenClock, month: str, message: str
) -> None:
    clock.set(datetime(2031, 7, 15, 8, tzinfo=UTC))
    result = cli(app, "indicators", "--month", month)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        stored = db.session.scalar(
            select(func.count()).where(IndicatorSnapshot.period == month.strip())
        )
    assert stored == 0


def test_the_monthly_job_runs_twice_without_storing_twice(app: Flask, clock: FrozenClock) -> None:
    clock.set(datetime(2033, 2, 1, 3, tzinfo=UTC))
    first = cli(app, "indicators", "--month", "2033-01")
    assert first.exit_code == 0, first.output
    assert "2033-01:" in first.output and " 0 revised, 0 unchanged" in first.output
    again = cli(app, "indicators", "--month", "2033-01")
    assert again.exit_code == 0, again.output
    assert "2033-01: 0 new, 0 revised," in again.output


def test_populations_are_validated_and_loaded_once(app: Flask, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "lot_number,year,active_population,cep_population,source,source_url\n"
        "25,2040,100,50,INSEE,\n"
        "17,2040,100,500,,ftp://x\n",
        encoding="utf-8",
    )
    refused = cli(app, "load-population", str(bad))
    assert refused.exit_code != 0
    for problem in (
        "line 2: lot_number must be between 1 and 19",
        "line 3: cep_population is larger than active_population",
        "line 3: source is required",
        "line 3: source_url must be a web address",
    ):
        assert problem in refused.output
    good = tmp_path / "good.csv"
    good.write_text(
        "lot_number,year,active_population,cep_population,source,source_url\n"
        "17,2040,120 000,70000,INSEE RP2040 (test),https://www.insee.fr/\n",
        encoding="utf-8",
    )
    assert "1 added, 0 changed" in cli(app, "load-population", str(good)).output
    assert "0 added, 0 changed, 1 same" in cli(app, "load-population", str(good)).output
    with app.app_context():
        row = db.session.get(PopulationRegion, (17, 2040))
        assert row is not None and (row.active_population, row.cep_population) == (120_000, 70_000)


def test_the_demo_says_its_population_figures_are_made_up() -> None:
    from portal.reporting.indicators.population import DEMO_FILE, read_population_csv

    rows = read_population_csv(DEMO_FILE.read_text(encoding="utf-8"))
    assert sorted(r.lot_number for r in rows) == list(range(1, 19))
    assert all(r.source.startswith("démonstration") for r in rows)

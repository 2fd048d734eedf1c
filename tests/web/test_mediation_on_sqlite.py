"""The mediator's and the reporting screens on the embedded default, SQLite, with the demo
(which holds a referred complaint on lot 16): the report's delays, 8.7 and the queues use
portable SQL. The annual report once used PostgreSQL-only functions and answered 500 in
`make run`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal.clock import today_in_france
from portal.extensions import db
from portal.network.models import StaffRole
from tests.conftest import demo_app
from tests.workspace_data import sign_in, staff


@pytest.fixture(scope="module")
def sqlite_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder: Path = tmp_path_factory.mktemp("sqlite-mediation")
    yield from demo_app(f"sqlite:///{folder / 'mediation.sqlite3'}", folder)


def test_the_mediators_and_national_screens_answer_on_sqlite(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        mediator = staff(db.session, role=StaffRole.MEDIATOR).email
        manager = staff(db.session, "16", StaffRole.MANAGER).email
        db.session.commit()
    client = sign_in(sqlite_app.test_client(), mediator)
    year = today_in_france().year
    report = client.get(f"/pro/rapports/mediation?year={year}")
    assert report.status_code == 200
    assert "Saisines reçues dans l&#39;année" in report.get_data(as_text=True)
    csv = client.get(f"/pro/rapports/mediation.csv?year={year}")
    assert csv.status_code == 200 and "Rubrique;Élément;Mesure;Valeur" in csv.get_data(as_text=True)
    assert client.get("/pro/national/reclamations").status_code == 200
    queue = client.get("/pro/mediateur/saisines?etat=toutes")
    assert queue.status_code == 200 and "Lot 16" in queue.get_data(as_text=True)
    manager_client = sign_in(sqlite_app.test_client(), manager)
    assert manager_client.get("/pro/indicateurs/reclamations").status_code == 200
    assert manager_client.get("/pro/reclamations").status_code == 200

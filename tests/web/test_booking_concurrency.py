"""No double booking, ever: 50 people submit the same slot at once on the real PostgreSQL
server; the database lets exactly one win, and everyone else gets alternatives. The same race
on SQLite (development) gives one winner and « créneau pris » answers, never a 500."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from portal.booking.models import Appointment, AppointmentRequest, Slot
from portal.people.models import Beneficiary
from tests.conftest import demo_app

CONTENDERS = 50
SQLITE_CONTENDERS = 20
RENNES = "35238"


def _race(app: Flask, contenders: int) -> tuple[int, list[tuple[int, str]]]:
    """`contenders` people post the booking form for one slot at the same moment."""
    first = app.test_client().get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    slot_id = int(re.findall(r"/rendez-vous/creneau/(\d+)\?", first)[0])
    barrier = threading.Barrier(contenders)

    def contend(index: int) -> tuple[int, str]:
        client = app.test_client()
        data = {
            "key": uuid.uuid4().hex,
            "slot": str(slot_id),
            "commune": RENNES,
            "last_name": f"Concurrent{index}",
            "first_name": "Alex",
            "email": f"race{index}@example.org",
            "phone": "06 12 34 56 78",
            "birth_date": "1988-02-03",
            "modality": "presentiel",
            "consent": "y",
        }
        barrier.wait()
        response = client.post("/rendez-vous/reserver", data=data)
        return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(max_workers=contenders) as pool:
        return slot_id, list(pool.map(contend, range(contenders)))


def test_fifty_simultaneous_bookings_of_one_slot(app: Flask, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race is run against the real PostgreSQL server")
    slot_id, results = _race(app, CONTENDERS)

    statuses = sorted(status for status, _ in results)
    assert statuses.count(303) == 1
    assert statuses.count(409) == CONTENDERS - 1
    for status, body in results:
        if status == 409:
            assert "vient d&#39;être pris" in body
            assert 'name="slot" value=' in body and 'type="radio"' in body  # alternatives
            assert re.search(r'value="Concurrent\d+"', body)  # what they typed is kept
    with app.app_context():
        from portal.extensions import db

        live = db.session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot_id)
        )
        assert live == 1
    _clean(app, slot_id)


def _clean(app: Flask, slot_id: int) -> None:
    """Free the slot again: remove the winner's booking and the mails of the race."""
    with app.app_context():
        from portal.extensions import db
        from portal.mail.models import OutboxMessage

        winner = db.session.scalar(select(Appointment).where(Appointment.slot_id == slot_id))
        assert winner is not None
        request_id, person_id = winner.request_id, winner.beneficiary_id
        db.session.execute(delete(Appointment).where(Appointment.slot_id == slot_id))
        db.session.execute(delete(AppointmentRequest).where(AppointmentRequest.id == request_id))
        db.session.execute(delete(Beneficiary).where(Beneficiary.id == person_id))
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.like("race%")))
        db.session.commit()
        assert db.session.get(Slot, slot_id) is not None


@pytest.fixture(scope="module")
def sqlite_app(
    app: Flask, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An application on a SQLite file, as in development (the suite's own when it runs on
    SQLite, else a fresh one with the demo network)."""
    if database_url.startswith("sqlite"):
        yield app
        return
    folder: Path = tmp_path_factory.mktemp("sqlite-race")
    yield from demo_app(f"sqlite:///{folder / 'race.sqlite3'}", folder)


def test_twenty_simultaneous_bookings_on_sqlite_give_one_winner_and_no_500(
    sqlite_app: Flask,
) -> None:
    with sqlite_app.app_context():
        from portal.extensions import db

        assert db.session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    slot_id, results = _race(sqlite_app, SQLITE_CONTENDERS)
    statuses = sorted(status for status, _ in results)
    assert statuses.count(303) == 1, statuses
    assert statuses.count(409) == SQLITE_CONTENDERS - 1, statuses
    for status, body in results:
        if status == 409:
            assert "vient d&#39;être pris" in body
            assert 'name="slot" value=' in body and 'type="radio"' in body  # alternatives
    with sqlite_app.app_context():
        from portal.extensions import db

        live = db.session.scalar(
            select(func.count()).select_from(Appointment).where(Appointment.slot_id == slot_id)
        )
        assert live == 1
    _clean(sqlite_app, slot_id)

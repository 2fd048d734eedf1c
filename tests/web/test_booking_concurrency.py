"""No double booking, ever: 50 people submit the same slot at once on the real PostgreSQL
server; the database lets exactly one win, and everyone else gets alternatives."""

from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from portal.booking.models import Appointment, AppointmentRequest, Beneficiary, Slot

CONTENDERS = 50
RENNES = "35238"


def test_fifty_simultaneous_bookings_of_one_slot(app: Flask, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race is run against the real PostgreSQL server")
    first = app.test_client().get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    slot_id = int(re.findall(r"/rendez-vous/creneau/(\d+)\?", first)[0])
    barrier = threading.Barrier(CONTENDERS)

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

    with ThreadPoolExecutor(max_workers=CONTENDERS) as pool:
        results = list(pool.map(contend, range(CONTENDERS)))

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
        winner = db.session.scalar(select(Appointment).where(Appointment.slot_id == slot_id))
        assert winner is not None
        request_id, person_id = winner.request_id, winner.beneficiary_id
        db.session.execute(delete(Appointment).where(Appointment.slot_id == slot_id))
        db.session.execute(delete(AppointmentRequest).where(AppointmentRequest.id == request_id))
        db.session.execute(delete(Beneficiary).where(Beneficiary.id == person_id))
        from portal.mail.models import OutboxMessage

        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address.like("race%")))
        db.session.commit()
        assert db.session.get(Slot, slot_id) is not None

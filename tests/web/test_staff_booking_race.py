"""A staff booking and a public booking race for the same slot (issue 14), on the real
PostgreSQL server: a manager books it for a waiting request while a person books it online,
both at once. The database lets exactly one win; the other is told the slot was just taken
and keeps what they typed."""

from __future__ import annotations

import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.clock import today_in_france
from portal.extensions import db
from portal.network.models import Operator, StaffRole
from portal.people.models import Beneficiary
from tests import staff_booking_data as data
from tests import workspace_data as ws
from tests.conftest import FrozenClock

RENNES = "35238"
ROUNDS = 3
STAFF_NOTE = "Rappelée ce matin, préfère le matin."


def public_form(slot_id: int, email: str) -> dict[str, str]:
    return {
        "key": uuid.uuid4().hex,
        "slot": str(slot_id),
        "commune": RENNES,
        "last_name": "Concurrente",
        "first_name": "Alex",
        "email": email,
        "phone": "06 12 34 56 78",
        "birth_date": "1988-02-03",
        "modality": "presentiel",
        "consent": "y",
    }


def free_slots(app: Flask) -> list[int]:
    """The first free slots the public search offers in Rennes."""
    page = app.test_client().get(f"/rendez-vous?commune={RENNES}").get_data(as_text=True)
    found = list(dict.fromkeys(int(i) for i in re.findall(r"/rendez-vous/creneau/(\d+)\?", page)))
    assert len(found) >= ROUNDS, "the demo network offers slots in Rennes"
    return found[:ROUNDS]


def race(
    staff: FlaskClient, request_id: int, slot_id: int, email: str
) -> dict[str, tuple[int, str]]:
    """The manager and the person submit at the same moment."""
    barrier = threading.Barrier(2)
    person = staff.application.test_client()

    def by_staff() -> tuple[int, str]:
        form = {
            "book-slot": str(slot_id),
            "book-modality": "presentiel",
            "book-late_reason": STAFF_NOTE,
        }
        barrier.wait()
        response = staff.post(f"/pro/demandes-en-attente/{request_id}/rendez-vous", data=form)
        return response.status_code, response.get_data(as_text=True)

    def by_person() -> tuple[int, str]:
        barrier.wait()
        response = person.post("/rendez-vous/reserver", data=public_form(slot_id, email))
        return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(max_workers=2) as pool:
        staff_future, person_future = pool.submit(by_staff), pool.submit(by_person)
        return {"staff": staff_future.result(), "person": person_future.result()}


def test_a_staff_booking_and_a_public_booking_race_for_one_slot(
    app: Flask, database_url: str, clock: FrozenClock
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race is run against the real PostgreSQL server")
    slots = free_slots(app)
    made_requests: list[int] = []
    winners: dict[str, int] = {"staff": 0, "person": 0}
    with app.app_context():
        operator_id = db.session.get_one(Slot, slots[0]).operator_id
        code = db.session.get_one(Operator, operator_id).code
        manager = ws.staff(db.session, code, StaffRole.MANAGER)
        db.session.commit()
        manager_email = manager.email
    staff = ws.sign_in(app.test_client(), manager_email)
    try:
        for slot_id in slots:
            with app.app_context():
                op = db.session.get_one(Operator, operator_id)
                request = data.request_for(
                    db.session, op, requested_on=today_in_france(), status=RequestStatus.WAITING
                )
                db.session.commit()
                request_id = request.id
                made_requests.append(request_id)
            email = f"race-staff-{uuid.uuid4().hex[:8]}@example.org"
            results = race(staff, request_id, slot_id, email)
            statuses = sorted(status for status, _ in results.values())
            assert statuses == [303, 409], results
            for who, (status, body) in results.items():
                if status == 303:
                    winners[who] += 1
                    continue
                assert "vient d&#39;être pris" in body
                if who == "staff":
                    assert f"{STAFF_NOTE}</textarea>" in body.replace("&#39;", "'")
                else:
                    assert 'value="Concurrente"' in body and f'value="{email}"' in body
            with app.app_context():
                live = db.session.scalar(
                    select(func.count())
                    .select_from(Appointment)
                    .where(Appointment.slot_id == slot_id)
                )
                assert live == 1
                kept = db.session.get_one(AppointmentRequest, request_id).status
                assert kept == (
                    RequestStatus.BOOKED if results["staff"][0] == 303 else RequestStatus.WAITING
                )
                made_requests.extend(
                    db.session.scalars(
                        select(AppointmentRequest.id)
                        .join(Beneficiary)
                        .where(Beneficiary.email == email)
                    )
                )
        assert sum(winners.values()) == ROUNDS
    finally:
        with app.app_context():
            data.remove(db.session, requests=made_requests, emails=[manager_email])

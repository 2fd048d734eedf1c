"""The bookings: people at once, each booking distinct free slots of lot 1 through gunicorn
with the form's session and CSRF token, then the database checked for double bookings."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bench.app import server_timing
from bench.booking_http import CSRF, Client, Server, Throughput, run_threads
from bench.machine import CpuMeter


def free_slots(today: date, count: int) -> list[tuple[int, str]]:
    """Distinct free slots of lot 1 a person may book today: (slot id, modality)."""
    from sqlalchemy import select

    from bench.app import app
    from bench.booking_data import LOT
    from portal.booking.calendar import METROPOLE, first_appointment_deadline
    from portal.booking.models import LIVE_STATUSES, Appointment, Slot
    from portal.extensions import db
    from portal.network.models import Operator

    deadline = first_appointment_deadline(today, METROPOLE)
    earliest = datetime.now(UTC) + timedelta(hours=6)  # well past the 3 hours' notice
    with app.app_context():
        taken = select(Appointment.slot_id).where(Appointment.status.in_(LIVE_STATUSES))
        rows = db.session.execute(
            select(Slot.id, Slot.site_id, Slot.offers_presentiel, Slot.offers_telephone)
            .join(Operator, Operator.id == Slot.operator_id)
            .where(
                Operator.lot_number == LOT,
                Slot.withdrawn_at.is_(None),
                Slot.starts_at >= earliest,
                Slot.starts_at < datetime.combine(deadline, datetime.min.time(), UTC),
                Slot.id.not_in(taken),
            )
            .order_by(Slot.id)
        ).all()
    chosen = random.Random(2026).sample(rows, count)
    return [
        (
            r.id,
            "presentiel"
            if r.offers_presentiel and r.site_id
            else "telephone"
            if r.offers_telephone
            else "visio",
        )
        for r in chosen
    ]


def book(
    server: Server, today: date, clients: int, per_client: int, commune: str = "75056"
) -> Throughput:
    """`clients` people at once, each booking `per_client` distinct free slots in turn."""
    slots = free_slots(today, clients * per_client)
    keys = [uuid.uuid4().hex for _ in slots]
    meter = CpuMeter(server)
    cpu: list[dict[str, float]] = []
    barrier = threading.Barrier(clients, action=lambda: cpu.append(meter.read()))
    marks: list[tuple[float, float]] = []

    def person(index: int) -> list[tuple[int, float, float, int, str]]:
        client = Client(server.port)
        mine = range(index * per_client, (index + 1) * per_client)
        # The booking form of the first slot: a session cookie and its CSRF token (untimed).
        status, _, page, _ = client.get(
            f"/rendez-vous/creneau/{slots[mine[0]][0]}?commune={commune}"
        )
        assert status == 200, status
        token = CSRF.search(page)
        assert token, "no CSRF token on the booking form"
        results = []
        barrier.wait()
        client.connection.close()  # idle past gunicorn's keep-alive while others got ready
        began = time.perf_counter()
        for n in mine:
            slot_id, modality = slots[n]
            form = {
                "csrf_token": token.group(1),
                "key": keys[n],
                "slot": str(slot_id),
                "commune": commune,
                "last_name": f"Banc{n}",
                "first_name": "Camille",
                "email": f"banc.{keys[n][:12]}@exemple.example",
                "phone": "06 12 34 56 78",
                "birth_date": "1985-07-14",
                "modality": modality,
                "consent": "y",
            }
            # The 303 would set a flash in the session: keep the session of the form page.
            status, headers, _, elapsed = client.request(
                "POST", "/rendez-vous/reserver", form, keep=False
            )
            ok = status == 303 and "/rendez-vous/gerer/" in headers.get("Location", "")
            server_ms, _, queries = server_timing(headers["Server-Timing"])
            worker = headers.get("X-Bench-Worker", "")
            results.append((status if not ok else 0, elapsed * 1000, server_ms, queries, worker))
        marks.append((began, time.perf_counter()))
        return results

    per_client_results = run_threads(clients, person)
    cpu.append(meter.read())
    flat = [r for results in per_client_results for r in results]
    errors: dict[str, int] = {}
    for status, *_ in flat:
        if status:
            errors[f"HTTP {status}"] = errors.get(f"HTTP {status}", 0) + 1
    seconds = max(end for _, end in marks) - min(start for start, _ in marks)
    outcome = Throughput(
        f"{clients} client{'s' if clients > 1 else ''} booking (POST /rendez-vous/reserver)",
        sum(1 for status, *_ in flat if not status),
        seconds,
        [r[1] for r in flat],
        [r[2] for r in flat],
        [r[3] for r in flat],
        errors,
    )
    workers = sorted(Counter(r[4] for r in flat).values(), reverse=True)
    outcome.checks = [
        CpuMeter.describe(*cpu),
        f"requests served per gunicorn worker: {workers}",
        *check_database([s for s, _ in slots], keys),
    ]
    return outcome


def check_database(slot_ids: list[int], keys: list[str]) -> list[str]:
    """Every booked slot has exactly one live appointment, the one of its own form."""
    from sqlalchemy import func, select

    from bench.app import app
    from portal.booking.models import LIVE_STATUSES, Appointment, AppointmentRequest
    from portal.extensions import db

    with app.app_context():
        doubles = db.session.execute(
            select(Appointment.slot_id)
            .where(Appointment.status.in_(LIVE_STATUSES))
            .group_by(Appointment.slot_id)
            .having(func.count() > 1)
        ).all()
        rows = db.session.execute(
            select(Appointment.slot_id, AppointmentRequest.idempotency_key)
            .join(AppointmentRequest, AppointmentRequest.id == Appointment.request_id)
            .where(AppointmentRequest.idempotency_key.in_(keys))
        ).all()
    expected = dict(zip(keys, slot_ids, strict=True))
    right = sum(1 for slot_id, key in rows if expected[key] == slot_id)
    return [
        f"database: {len(doubles)} slots with more than one live appointment (whole table); "
        f"{len(rows)} appointments for the {len(keys)} forms sent, {right} on the slot "
        f"their form named; {len({s for s, _ in rows})} distinct slots"
    ]

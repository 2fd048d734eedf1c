"""The operator's complaint queue reads its complaints in a fixed number of SQL statements,
however many are open and in whatever state (issue 12: ≤ 15 statements a page; the timed
figures are `bench/complaints.py`'s, statement counts are deterministic and tested here)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Flask

from portal.extensions import db
from portal.mediation import complaints as core
from portal.mediation.models import Complaint, ComplaintStatus
from portal.mediation.referrals import refer_to_mediator
from portal.network.models import StaffMember, StaffRole
from tests.conftest import FrozenClock
from tests.mediation_data import at, complainant, letter
from tests.web.test_advisor_workspace import counted_queries
from tests.workspace_data import sign_in, staff

QUEUE_STATEMENTS_MAX = 15


def thirty_complaints(manager: StaffMember, clock: FrozenClock) -> list[Complaint]:
    """Received over the last 80 days, in every state the queue shows (and closed ones)."""
    session, today = db.session, clock.today
    made = []
    for i in range(30):
        received = today - timedelta(days=(i * 11) % 80)
        complaint = letter(session, manager, received_on=received)
        complaint.last_name = f"Nom-{uuid.uuid4().hex[:8]}"
        step = i % 6
        if step >= 1:
            core.acknowledge_complaint(session, complaint, by=manager, now=at(received))
        if step == 2:
            core.add_message(session, complaint, text="Des nouvelles ?", now=at(received, 11))
        if step >= 3 and received <= today - timedelta(days=2):
            core.answer_complaint(
                session, complaint, by=manager, answer="Notre réponse.", now=at(received, 12)
            )
            satisfied = step == 4
            core.state_satisfaction(session, complaint, satisfied=satisfied, now=at(received, 13))
            if not satisfied:
                refer_to_mediator(session, complaint, text=None, now=at(today), today=today)
            if step == 5 and i % 4 == 1:
                core.close_complaint(session, complaint, by=manager, now=at(received, 14))
        made.append(complaint)
    core.file_complaint(
        session,
        operator_id=manager.operator_id or 0,
        complainant=complainant(),
        motive="accueil",
        text="Personne à l'accueil.",
        now=at(today),
    )
    return made


def test_the_queue_of_thirty_complaints_takes_at_most_fifteen_statements(
    app: Flask, clock: FrozenClock
) -> None:
    with app.app_context():
        manager = staff(db.session, "14", StaffRole.MANAGER)
        complaints = thirty_complaints(manager, clock)
        shown = [c.last_name for c in complaints if c.status != ComplaintStatus.CLOSED]
        states = {c.status for c in complaints}
        email = manager.email
        db.session.commit()
    assert states == set(ComplaintStatus)
    client = sign_in(app.test_client(), email)
    client.get("/pro/reclamations")  # the first request of a client loads what it caches
    with counted_queries(app) as statements:
        page = client.get("/pro/reclamations")
    assert page.status_code == 200
    html = page.data.decode()
    assert all(name in html for name in shown) and len(shown) >= 25
    assert len(statements) <= QUEUE_STATEMENTS_MAX, "\n".join(statements)

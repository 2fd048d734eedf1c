"""The retention purge: who is pseudonymised when, and a second run changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, UnitKind
from portal.auth.models import LoginAttempt
from portal.beneficiary.models import SignInLink
from portal.booking.models import AppointmentStatus, RequestStatus
from portal.extensions import db
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.services import enqueue_mail
from portal.people.models import Beneficiary
from portal.privacy.erasure import PSEUDONYM_DOMAIN
from portal.privacy.models import ErasureReason, ErasureRecord
from portal.privacy.purge import (
    PurgeContext,
    delete_expired_sign_in_links,
    pseudonymise_inactive_people,
    years_before,
)
from tests import staff_booking_data as booking
from tests import workspace_data as ws

TODAY = date(2026, 12, 4)
NOW = datetime.combine(TODAY, time(3), UTC)
SETTINGS = {
    "RETENTION_CONTACT_YEARS": 3,
    "RETENTION_ACCOMPANIMENT_YEARS": 5,
    "RETENTION_SIGN_IN_LINK_DAYS": 7,
}
CONTEXT = PurgeContext(now=NOW, today=TODAY, settings=SETTINGS)


def moment(day: date) -> datetime:
    return datetime.combine(day, time(10), UTC)


def booked_only(session: Session, last_seen: date) -> Beneficiary:
    """Someone who booked once, on `last_seen`, and was never accompanied."""
    op = booking.operator(session)
    advisor = ws.staff(session, "16")
    request = booking.request_for(
        session, op, requested_on=last_seen, status=RequestStatus.HONOURED
    )
    request.beneficiary.created_at = moment(last_seen)
    request.beneficiary.email = f"old-{uuid.uuid4().hex[:8]}@example.org"
    slot = booking.slot_at(session, advisor, None, moment(last_seen + timedelta(days=3)))
    booking.book(session, slot, request, status=AppointmentStatus.HELD)
    session.flush()
    return request.beneficiary


def accompanied(session: Session, closed_on: date) -> Beneficiary:
    """Someone accompanied through a UO1 closed on `closed_on`, nothing since."""
    advisor = ws.staff(session, "16")
    person = ws.person(session, email=f"acc-{uuid.uuid4().hex[:8]}@example.org")
    person.created_at = moment(closed_on - timedelta(days=40))
    engaged_on = closed_on - timedelta(days=30)
    dossier = ws.dossier(session, advisor, opened_on=engaged_on, who=person)
    ws.ensure_orders(session, "16", (engaged_on.year,))
    unit = ws.engaged(
        session, advisor, UnitKind.UO1, engaged_on=engaged_on, today=closed_on, in_dossier=dossier
    )
    close_unit(
        session,
        unit,
        kind=ClosureKind.SIGNED,
        closed_on=closed_on,
        reason="objectif_atteint",
        today=closed_on,
        by=advisor,
    )
    session.flush()
    return person


def erased(session: Session, person: Beneficiary) -> bool:
    session.expire(person)
    return person.email.endswith("@" + PSEUDONYM_DOMAIN)


def run_until_done(session: Session) -> int:
    total = 0
    while (changed := pseudonymise_inactive_people(session, CONTEXT, 50)) == 50:
        total += changed
    return total + changed


def test_people_are_pseudonymised_after_their_retention_period_and_once(
    session: Session,
) -> None:
    contact_cut = years_before(TODAY, 3)
    gone = booked_only(session, contact_cut - timedelta(days=10))
    kept = booked_only(session, contact_cut + timedelta(days=10))
    # Accompanied: 5 years, not 3.
    accompanied_4y = accompanied(session, years_before(TODAY, 4))
    accompanied_6y = accompanied(session, years_before(TODAY, 6))

    assert run_until_done(session) >= 2
    assert (erased(session, gone), erased(session, kept)) == (True, False)
    assert (erased(session, accompanied_6y), erased(session, accompanied_4y)) == (True, False)
    records = session.scalars(
        select(ErasureRecord).where(ErasureRecord.reason == ErasureReason.RETENTION)
    ).all()
    assert all(r.operator_id is None and r.erased_by_id is None for r in records)

    assert run_until_done(session) == 0  # idempotent: a second run changes nothing


def test_a_recent_appointment_keeps_an_old_record(session: Session) -> None:
    old = booked_only(session, years_before(TODAY, 4))
    # The same address booked again last month (another record).
    again = booked_only(session, TODAY - timedelta(days=30))
    again.email = old.email.upper()
    session.flush()
    run_until_done(session)
    assert (erased(session, old), erased(session, again)) == (False, False)


def test_expired_sign_in_links_go_after_a_week(session: Session) -> None:
    def link(expired_days_ago: int) -> SignInLink:
        row = SignInLink(
            email=f"link-{uuid.uuid4().hex[:8]}@example.org",
            token_sha256=uuid.uuid4().hex * 2,
            created_at=NOW - timedelta(days=expired_days_ago, minutes=30),
            expires_at=NOW - timedelta(days=expired_days_ago),
        )
        session.add(row)
        return row

    old, recent = link(8), link(6)
    session.flush()
    assert delete_expired_sign_in_links(session, CONTEXT, 1000) >= 1
    assert delete_expired_sign_in_links(session, CONTEXT, 1000) == 0
    remaining = set(session.scalars(select(SignInLink.id)))
    assert recent.id in remaining and old.id not in remaining


def test_the_purge_command_runs_every_step_and_a_second_run_changes_nothing(app: Flask) -> None:
    with app.app_context():
        person = booked_only(db.session, years_before(TODAY, 4))
        person_id, email = person.id, person.email
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cep", "purge", "--now", "2026-12-04T03:00:00", "--batch", "2"])
    assert first.exit_code == 0, first.output
    assert "sign-in links:" in first.output and "inactive people:" in first.output
    with app.app_context():
        assert db.session.get_one(Beneficiary, person_id).email.endswith("@" + PSEUDONYM_DOMAIN)
        assert (
            db.session.scalar(
                select(func.count()).where(func.lower(Beneficiary.email) == email.lower())
            )
            == 0
        )
    second = runner.invoke(args=["cep", "purge", "--now", "2026-12-04T03:00:00"])
    assert second.exit_code == 0
    assert "sign-in links: 0" in second.output and "inactive people: 0" in second.output


def test_the_purge_empties_e_mail_bodies_and_sign_in_traces_after_a_month(app: Flask) -> None:
    run_at = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    with app.app_context():
        for days in (31, 29):
            db.session.add(
                LoginAttempt(
                    email=f"trace-{days}@example.org",
                    remote_address="192.0.2.1",
                    succeeded=False,
                    attempted_at=run_at - timedelta(days=days),
                )
            )
        ids = {}
        for label, days in (("old", 31), ("recent", 29)):
            message = enqueue_mail(
                db.session,
                to=f"purge-{label}@example.org",
                subject="Votre rendez-vous",
                text=f"Bonjour, corps {label}",
            )
            message.status = OutboxStatus.SENT
            message.sent_at = run_at - timedelta(days=days)
            ids[label] = message.id
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["cep", "purge", "--now", "2026-12-04T03:00:00"])
    assert result.exit_code == 0, result.output
    assert "sent e-mail bodies:" in result.output
    with app.app_context():
        old = db.session.get_one(OutboxMessage, ids["old"])
        recent = db.session.get_one(OutboxMessage, ids["recent"])
        assert (old.body_text, old.body_purged_at is not None) == ("", True)
        assert old.to_address == "purge-old@example.org"  # the metadata stays
        assert recent.body_text == "Bonjour, corps recent" and recent.body_purged_at is None
        traces = db.session.scalars(
            select(LoginAttempt.email).where(LoginAttempt.email.like("trace-%"))
        ).all()
        assert traces == ["trace-29@example.org"]

"""The evidence chain of a signature: the paper path writes to it, and a row changed,
deleted or moved behind the portal's back is found and named."""

from __future__ import annotations

import itertools
import threading
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.advisor.models import UnitKind
from portal.esign.evidence import (
    GENESIS,
    BreakKind,
    Origin,
    event_hash,
    events_of,
    record_event,
    verify_chain,
)
from portal.esign.models import (
    ActorKind,
    AppendOnlyError,
    EventKind,
    SignatureChain,
    SignatureEvent,
)
from portal.livrables.models import LivrableVersion
from portal.livrables.signing import attach_scan, complete_if_signed, freeze_for_signature
from portal.network.models import StaffMember
from tests.unit.test_signing import PDF, livrable_of, noon, sign_both
from tests.workspace_data import engaged, staff


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16")


@pytest.fixture
def version(session: Session, advisor: StaffMember, today: date) -> LivrableVersion:
    """A livrable printed, signed by both and scanned: five events."""
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    origin = Origin(ip="192.0.2.7", user_agent="Firefox/140")
    frozen = freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(today), origin=origin
    )
    sign_both(session, frozen, advisor, today, today)
    attach_scan(session, frozen, filename="scan.pdf", data=PDF, by=advisor, origin=origin)
    return frozen


@pytest.fixture
def today(clock: object) -> date:
    from portal.clock import today_in_france

    return today_in_france()


def test_the_paper_path_writes_every_step_to_one_chain(
    session: Session, version: LivrableVersion, advisor: StaffMember
) -> None:
    events = events_of(session, version.id)
    assert [e.kind for e in events] == [
        EventKind.PAPER_PRINTED,
        EventKind.PAPER_DATES_RECORDED,
        EventKind.PAPER_DATES_RECORDED,
        EventKind.SCAN_UPLOADED,
    ]
    assert [e.sequence for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert all(e.document_sha256 == version.content_sha256 for e in events)
    first, advisor_dates, person_dates, scan = events
    assert first.actor_kind == ActorKind.STAFF and first.actor_staff_id == advisor.id
    assert (first.ip, first.user_agent) == ("192.0.2.7", "Firefox/140")
    assert advisor_dates.ip is None  # the signature was recorded without a request
    assert person_dates.detail["party"] == "beneficiary"
    assert person_dates.detail["signer_name"] == "Camille Lefèvre"
    assert scan.detail["sha256"] and scan.detail["bytes"] == len(PDF)
    assert verify_chain(session, version.id).intact


def test_closing_writes_the_delivery_of_the_copy(
    session: Session, version: LivrableVersion, advisor: StaffMember, today: date
) -> None:
    assert complete_if_signed(session, version.livrable, by=advisor, today=today)
    kinds = [e.kind for e in events_of(session, version.id)]
    assert kinds[-1] == EventKind.COPY_DELIVERED
    report = verify_chain(session, version.id)
    assert report.intact and report.length == len(kinds)


def test_the_mapper_refuses_to_change_or_delete_an_event(
    session: Session, version: LivrableVersion
) -> None:
    event = events_of(session, version.id)[1]
    event.detail = {"party": "advisor", "signed_on": "2020-01-01"}
    with pytest.raises(AppendOnlyError):
        session.flush()
    session.rollback()


def tamper(session: Session, event_id: int, **values: object) -> None:
    """What someone with write access to the database could do behind the portal's back."""
    session.execute(update(SignatureEvent).where(SignatureEvent.id == event_id).values(**values))
    session.expire_all()


def test_a_changed_row_is_found_and_named(session: Session, version: LivrableVersion) -> None:
    second = events_of(session, version.id)[1]
    tamper(session, second.id, detail={**second.detail, "signed_on": "2020-01-01"})
    report = verify_chain(session, version.id)
    assert report.broken is not None
    assert report.broken.kind == BreakKind.ALTERED
    assert report.broken.sequence == 2 and report.broken.event_id == second.id
    assert "content no longer matches its hash" in report.broken.describe()


def test_a_changed_time_is_found(session: Session, version: LivrableVersion) -> None:
    third = events_of(session, version.id)[2]
    tamper(session, third.id, at=third.at - timedelta(minutes=1))
    broken = verify_chain(session, version.id).broken
    assert broken is not None and (broken.kind, broken.sequence) == (BreakKind.ALTERED, 3)


def test_a_deleted_row_is_found_and_named(session: Session, version: LivrableVersion) -> None:
    second = events_of(session, version.id)[1]
    session.execute(delete(SignatureEvent).where(SignatureEvent.id == second.id))
    session.expire_all()
    broken = verify_chain(session, version.id).broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (BreakKind.DELETED, 2)
    assert broken.describe().startswith("deleted at event #2")
    assert "event #2 is missing" in broken.reason


def test_a_cut_tail_is_found(session: Session, version: LivrableVersion) -> None:
    last = events_of(session, version.id)[-1]
    session.execute(delete(SignatureEvent).where(SignatureEvent.id == last.id))
    session.expire_all()
    broken = verify_chain(session, version.id).broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (BreakKind.DELETED, 4)
    assert "at the end of the chain is missing" in broken.reason


def test_reordered_rows_are_found_and_named(session: Session, version: LivrableVersion) -> None:
    _first, second, third, _fourth = events_of(session, version.id)
    tamper(session, second.id, sequence=-1)
    tamper(session, third.id, sequence=2)
    tamper(session, second.id, sequence=3)
    broken = verify_chain(session, version.id).broken
    assert broken is not None
    assert (broken.kind, broken.sequence, broken.event_id) == (BreakKind.REORDERED, 2, third.id)
    assert "recorded as #3 now stands as #2" in broken.reason


def test_a_rewritten_row_with_a_fresh_hash_still_breaks_the_next_link(
    session: Session, version: LivrableVersion
) -> None:
    second = events_of(session, version.id)[1]
    second_copy = SignatureEvent(
        **{c.key: getattr(second, c.key) for c in SignatureEvent.__table__.columns}
    )
    second_copy.detail = {**second.detail, "signer_name": "Quelqu'un d'autre"}
    tamper(session, second.id, detail=second_copy.detail, hash=event_hash(second_copy))
    broken = verify_chain(session, version.id).broken
    assert broken is not None
    assert (broken.kind, broken.sequence) == (BreakKind.ALTERED, 3)
    assert "points to an event that is not #2" in broken.reason


def test_two_events_appended_at_once_never_fork_the_chain(
    app: Flask, session: Session, version: LivrableVersion
) -> None:
    """Two requests record an event on one version at the same moment: one waits for the
    other's lock on the chain's head, and the sequence stays 1, 2, 3…"""
    from portal.clock import now
    from portal.extensions import db

    if session.get_bind().dialect.name == "sqlite":
        pytest.skip("the race is run against the real PostgreSQL server")
    version_id = version.id
    session.commit()  # the version is visible to the other connections
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def append() -> None:
        try:
            with app.app_context():
                row = db.session.get(LivrableVersion, version_id)
                assert row is not None
                barrier.wait(timeout=10)
                record_event(
                    db.session,
                    version=row,
                    kind=EventKind.PAPER_COPY_REQUESTED,
                    now=now(),
                )
                db.session.commit()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=append) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    events = events_of(session, version_id)
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5, 6]
    assert verify_chain(session, version_id).intact
    head = session.get(SignatureChain, version_id)
    assert head is not None and head.length == 6


def test_the_command_checks_every_chain_names_the_break_and_fails(
    app: Flask, session: Session, version: LivrableVersion
) -> None:
    session.commit()
    runner = app.test_cli_runner()
    try:
        good = runner.invoke(args=["cep", "verify-evidence", "--version", str(version.id)])
        assert good.exit_code == 0, good.output
        assert f"version {version.id}: intact (4 events)" in good.output
        second = session.scalars(
            select(SignatureEvent).where(
                SignatureEvent.version_id == version.id, SignatureEvent.sequence == 2
            )
        ).one()
        tamper(session, second.id, ip="203.0.113.9")
        session.commit()
        bad = runner.invoke(args=["cep", "verify-evidence"])
        assert bad.exit_code == 1
        assert (
            f"version {version.id}: BROKEN, altered at event #2 (row id {second.id}): "
            "its content no longer matches its hash" in bad.output
        )
        assert bad.output.rstrip().endswith("broken")
    finally:
        session.execute(delete(SignatureEvent).where(SignatureEvent.version_id == version.id))
        session.execute(delete(SignatureChain).where(SignatureChain.version_id == version.id))
        session.commit()

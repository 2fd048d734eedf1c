"""Domain events and their subscribers (`portal.events`, `portal.subscribers`).

A closure invites to the survey, a signed livrable is sealed and then e-mailed: once each,
in the publisher's transaction, however often the event is published. The cores that publish
import neither the domains that react nor Flask.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import events
from portal.advisor.closing import close_expired_units, close_unit
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.advisor.session_subscribers import cancel_sessions_on_closure
from portal.clock import now, today_in_france
from portal.esign.certificates import SealUnavailableError
from portal.esign.evidence import events_of
from portal.esign.models import EventKind, SealedDocument
from portal.esign.subscribers import seal_signed_livrable
from portal.events import LivrableSigned, UnitClosed, publish, subscribers
from portal.livrables.models import LivrableVersion
from portal.livrables.subscribers import send_signed_copy
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.network.models import StaffMember
from portal.satisfaction.models import Survey
from portal.satisfaction.subscribers import invite_on_closure
from portal.subscribers import register
from tests.esign_data import signed_version
from tests.workspace_data import engaged, staff

ROOT = Path(__file__).resolve().parents[2]
# What reacts to a closure or a signature: a core that publishes must not reach it.
ABOVE = (
    "portal.satisfaction",
    "portal.beneficiary",
    "portal.booking.emails",
    "portal.livrables.emails",
    "portal.livrables.subscribers",
    "portal.mail.services",
    "portal.esign.seal",
    "portal.esign.subscribers",
    "portal.subscribers",
)


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16")


@pytest.fixture
def today(clock: object) -> date:
    return today_in_france()


def outbox(session: Session, topic: str) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.topic == topic)))


def surveys_of(session: Session, unit: Unit) -> list[Survey]:
    return list(session.scalars(select(Survey).where(Survey.unit_id == unit.id)))


# --- The import graph -------------------------------------------------------------------------


@pytest.mark.parametrize("core", ["portal.advisor.closing", "portal.livrables.signing"])
def test_a_core_that_publishes_reaches_neither_flask_nor_the_domains_that_react(
    core: str,
) -> None:
    """A fresh interpreter, no application: the import works, no module it loads imports
    Flask, WTForms or Werkzeug, and neither the import nor any import inside a function of
    what it loads (run at call time) brings the survey, the e-mails or the seal."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.import_graph", core],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    graph = json.loads(result.stdout)
    assert graph["web"] == []
    assert not {"flask_wtf", "wtforms"} & set(graph["imported"])
    reached = [m for m in graph["reached"] if m.startswith(ABOVE)]
    assert reached == []


# --- Registration -----------------------------------------------------------------------------


def test_subscribers_run_in_the_documented_order_registered_once(app: Flask) -> None:
    register()  # a second application factory run
    assert subscribers(UnitClosed) == (invite_on_closure, cancel_sessions_on_closure)
    assert subscribers(LivrableSigned) == (seal_signed_livrable, send_signed_copy)


# --- UnitClosed -------------------------------------------------------------------------------


def test_a_closure_invites_to_the_survey_once_however_often_it_is_published(
    session: Session, advisor: StaffMember, today: date
) -> None:
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    close_unit(
        session,
        unit,
        kind=ClosureKind.SIGNED,
        closed_on=today,
        reason="objectif_atteint",
        today=today,
        by=advisor,
    )
    (survey,) = surveys_of(session, unit)
    assert len(outbox(session, f"survey:{survey.id}")) == 1
    publish(session, UnitClosed(unit.id, ClosureKind.SIGNED, today, now()))
    assert surveys_of(session, unit) == [survey]
    assert len(outbox(session, f"survey:{survey.id}")) == 1


def test_the_automatic_abandon_publishes_one_closure_per_unit(
    session: Session, advisor: StaffMember, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[UnitClosed] = []
    listeners = [*subscribers(UnitClosed), lambda _s, event: published.append(event)]
    monkeypatch.setitem(events._subscribers, UnitClosed, listeners)
    today = date(2026, 11, 18)
    late = engaged(session, advisor, engaged_on=date(2026, 8, 1), today=today)
    assert late in close_expired_units(session, today=today)
    assert close_expired_units(session, today=today) == []  # a second run closes nothing
    mine = [(e.kind, e.closed_on) for e in published if e.unit_id == late.id]
    assert mine == [(ClosureKind.ABANDON, late.deadline)]
    (survey,) = surveys_of(session, late)
    assert len(outbox(session, f"survey:{survey.id}")) == 1


def test_a_refused_closure_publishes_nothing(
    session: Session, advisor: StaffMember, today: date
) -> None:
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    with pytest.raises(UnitError) as refused:
        close_unit(
            session,
            unit,
            kind=ClosureKind.SIGNED,
            closed_on=today + timedelta(days=1),
            reason="objectif_atteint",
            today=today,
            by=advisor,
        )
    assert refused.value.code == UnitErrorCode.DATE_IN_FUTURE
    assert unit.is_open and surveys_of(session, unit) == []


# --- LivrableSigned ---------------------------------------------------------------------------


def test_a_signed_livrable_is_sealed_then_sent_once(
    session: Session, advisor: StaffMember, today: date
) -> None:
    version = signed_version(session, advisor, today)
    (copy,) = outbox(session, f"livrable:{version.livrable_id}:signed")
    kinds = [e.kind for e in events_of(session, version.id)]
    assert kinds[-2:] == [EventKind.SEALED, EventKind.COPY_DELIVERED]
    assert events_of(session, version.id)[-1].detail["outbox_id"] == copy.id
    (survey,) = surveys_of(session, version.livrable.unit)  # the closure's own event
    assert len(outbox(session, f"survey:{survey.id}")) == 1

    publish(session, LivrableSigned(version.livrable_id, version.id, now()))
    assert len(outbox(session, f"livrable:{version.livrable_id}:signed")) == 1
    assert [e.kind for e in events_of(session, version.id)] == kinds
    count = select(func.count()).select_from(SealedDocument)
    assert session.scalar(count.where(SealedDocument.version_id == version.id)) == 1


def test_without_a_seal_the_printed_copy_goes_out_all_the_same(
    session: Session, advisor: StaffMember, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_certificate(*_args: object, **_kwargs: object) -> None:
        raise SealUnavailableError("no ESIGN_PKCS12_PATH")

    monkeypatch.setattr("portal.esign.subscribers.seal_version", no_certificate)
    version: LivrableVersion = signed_version(session, advisor, today)
    assert version.livrable.unit.closure_kind == ClosureKind.SIGNED
    assert session.get(SealedDocument, version.id) is None
    (copy,) = outbox(session, f"livrable:{version.livrable_id}:signed")
    pdfs = session.scalars(
        select(OutboxAttachment.content).where(
            OutboxAttachment.message_id == copy.id,
            OutboxAttachment.mimetype == "application/pdf",
        )
    ).all()
    assert version.scan is not None
    assert sorted(pdfs) == sorted([version.pdf, version.scan.data])  # printed copy and scan
    assert events_of(session, version.id)[-1].kind == EventKind.COPY_DELIVERED

"""The cores of issue 14 §4 on a bare session: who is the référent and what may be written
to them, a handover, and which units are warned before an abandon."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from portal.advisor import abandon, handover, messages
from portal.advisor.contact_models import MessageAuthor
from portal.advisor.models import ClosureKind, Unit, UnitKind, UnitStatus
from portal.clock import today_in_france
from portal.db import utcnow
from portal.network.models import StaffRole
from tests.workspace_data import engaged, staff


def _uo21(session: Session) -> Unit:
    """A UO2.1 engaged a month ago (so that its deadline may be moved to yesterday)."""
    today = today_in_france()
    advisor = staff(session, "16")
    start = today - timedelta(days=30)
    return engaged(session, advisor, UnitKind.UO21, engaged_on=start, today=today)


def test_the_referent_is_named_from_uo21_and_for_a_while_after(
    session: Session, clock: object
) -> None:
    today = today_in_france()
    advisor = staff(session, "16")
    uo1 = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    assert messages.referent_of(uo1.dossier, today) is None
    unit = _uo21(session)
    assert messages.referent_of(unit.dossier, today) == unit.dossier.advisor
    # Closed: named REFERENT_RECENT_DAYS more, then no longer.
    unit.status, unit.closure_kind, unit.closed_on = UnitStatus.CLOSED, ClosureKind.SIGNED, today
    later = today + timedelta(days=messages.REFERENT_RECENT_DAYS)
    assert messages.referent_of(unit.dossier, later) is not None
    assert messages.referent_of(unit.dossier, later + timedelta(days=1)) is None


def test_messages_are_checked_and_an_answer_reads_the_person_s(
    session: Session, clock: object
) -> None:
    today = today_in_france()
    advisor = staff(session, "16")
    early = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    with pytest.raises(messages.MessageError) as refused:
        messages.write_to_referent(
            session, early.dossier, text="Bonjour", today=today, now=utcnow()
        )
    assert refused.value.code == messages.MessageErrorCode.NO_REFERENT
    dossier = _uo21(session).dossier
    for text, code in (
        (" \n ", messages.MessageErrorCode.EMPTY),
        ("x" * (messages.MESSAGE_MAX_CHARS + 1), messages.MessageErrorCode.TOO_LONG),
    ):
        with pytest.raises(messages.MessageError) as bad:
            messages.write_to_referent(session, dossier, text=text, today=today, now=utcnow())
        assert bad.value.code == code
    written = messages.write_to_referent(
        session, dossier, text="  Bonjour  ", today=today, now=utcnow()
    )
    assert written.text == "Bonjour" and written.to_advisor_id == dossier.advisor_id
    assert [m.id for m in messages.unanswered(session, advisor_id=dossier.advisor_id)] == [
        written.id
    ]
    reply = messages.answer_person(session, dossier, text="Oui", by=dossier.advisor, now=utcnow())
    assert reply.author == MessageAuthor.STAFF
    assert messages.unanswered(session, advisor_id=dossier.advisor_id) == []
    assert [m.id for m in messages.thread(session, dossier.id)] == [written.id, reply.id]


def test_a_handover_moves_the_dossier_and_its_open_unit(session: Session, clock: object) -> None:
    unit = _uo21(session)
    first = unit.dossier.advisor
    second = staff(session, "16")
    manager = staff(session, "16", role=StaffRole.MANAGER)
    row = handover.hand_over(
        session, unit.dossier, to=second, by=manager, reason=" Congé ", now=utcnow()
    )
    assert (row.from_advisor_id, row.to_advisor_id, row.reason) == (first.id, second.id, "Congé")
    assert unit.dossier.advisor_id == second.id and unit.advisor_id == second.id
    assert handover.handovers_of(session, unit.dossier_id) == [row]
    assert handover.recent_handovers_to(session, advisor_id=second.id, now=utcnow()) == [row]


def test_a_handover_is_refused_to_the_same_advisor_another_operator_or_a_non_manager(
    session: Session, clock: object
) -> None:
    unit = _uo21(session)
    manager = staff(session, "16", role=StaffRole.MANAGER)
    stranger = staff(session, "10")
    colleague = staff(session, "16")
    cases = (
        (unit.dossier.advisor, manager, "", handover.HandoverErrorCode.SAME_ADVISOR),
        (stranger, manager, "", handover.HandoverErrorCode.NOT_AN_ADVISOR),
        (colleague, colleague, "", handover.HandoverErrorCode.NOT_A_MANAGER),
        (colleague, manager, "x" * 501, handover.HandoverErrorCode.REASON_TOO_LONG),
    )
    for to, by, reason, code in cases:
        with pytest.raises(handover.HandoverError) as refused:
            handover.hand_over(session, unit.dossier, to=to, by=by, reason=reason, now=utcnow())
        assert refused.value.code == code
    assert unit.dossier.advisor_id != colleague.id


def test_the_abandon_claim_takes_the_units_within_two_weeks_once(
    session: Session, clock: object
) -> None:
    today = today_in_france()
    units = {}
    for days_left in (10, abandon.ABANDON_WARNING_DAYS, abandon.ABANDON_WARNING_DAYS + 1, -1):
        unit = _uo21(session)
        unit.deadline = today + timedelta(days=days_left)
        units[days_left] = unit
    session.flush()
    claimed = set(abandon.claim_abandon_warnings(session, today=today, now=utcnow()))
    assert {units[10].id, units[abandon.ABANDON_WARNING_DAYS].id} <= claimed
    assert units[abandon.ABANDON_WARNING_DAYS + 1].id not in claimed
    assert units[-1].id not in claimed  # closes tonight as an abandon: too late to warn
    assert abandon.claim_abandon_warnings(session, today=today, now=utcnow()) == []
    assert abandon.in_warning(units[10], today) and not abandon.in_warning(units[-1], today)
    advisor_id = units[10].advisor_id
    assert [u.id for u in abandon.warned_units(session, advisor_id=advisor_id, today=today)] == [
        units[10].id
    ]

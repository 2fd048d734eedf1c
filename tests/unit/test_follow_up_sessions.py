"""Follow-up sessions inside a unit (issue 14 §2): the unit's deadline bounds the choice,
the référent unique from UO2.1 on, the video link, held → the exchange, move and cancel."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.errors import UnitError
from portal.advisor.models import Unit, UnitKind
from portal.advisor.session_rules import (
    SessionError,
    SessionErrorCode,
    check_video_template,
    free_slots,
)
from portal.advisor.sessions import (
    OneOff,
    book_session,
    cancel_session,
    current_session,
    hold_session,
    miss_session,
    move_session,
)
from portal.booking.email_content import calendar_uid
from portal.booking.emails import queue_due_reminders
from portal.booking.models import AppointmentStatus
from portal.mail.models import OutboxMessage
from portal.network.models import Modality, StaffMember
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock


def _unit(session: Session, clock: FrozenClock, kind: UnitKind = UnitKind.UO1) -> Unit:
    advisor = ws.staff(session, "16")
    today = clock.today
    return ws.engaged(session, advisor, kind, engaged_on=today - timedelta(days=1), today=today)


def _slot_in(session: Session, advisor: StaffMember, clock: FrozenClock, **delta: float) -> int:
    return booking.slot_at(session, advisor, advisor.sites[0], clock.now + timedelta(**delta)).id


def test_a_session_is_booked_on_the_advisors_free_slot(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    advisor = unit.advisor
    slot_id = _slot_in(session, advisor, clock, days=2)
    assert slot_id in {
        s.id for s in free_slots(session, advisor_id=advisor.id, unit=unit, now=clock.now)
    }
    appointment = book_session(
        session,
        unit=unit,
        slot_id=slot_id,
        modality=Modality.PRESENTIEL,
        advisor=advisor,
        staff=advisor,
        now=clock.now,
    )
    assert (appointment.unit_id, appointment.request_id) == (unit.id, None)
    assert appointment.booked_by_id == advisor.id
    assert appointment.beneficiary_id == unit.dossier.beneficiary_id
    assert slot_id not in {
        s.id for s in free_slots(session, advisor_id=advisor.id, unit=unit, now=clock.now)
    }
    other = _unit(session, clock)
    with pytest.raises(SessionError) as taken:
        book_session(
            session,
            unit=other,
            slot_id=slot_id,
            modality=Modality.TELEPHONE,
            advisor=advisor,
            staff=other.advisor,
            now=clock.now,
        )
    assert taken.value.code == SessionErrorCode.SLOT_TAKEN


def test_a_session_after_the_units_deadline_is_refused_with_the_deadline(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    late = unit.deadline - clock.today + timedelta(days=2)
    slot_id = _slot_in(session, unit.advisor, clock, days=late.days)
    with pytest.raises(SessionError) as refused:
        book_session(
            session,
            unit=unit,
            slot_id=slot_id,
            modality=Modality.TELEPHONE,
            advisor=unit.advisor,
            staff=unit.advisor,
            now=clock.now,
        )
    assert refused.value.code == SessionErrorCode.AFTER_DEADLINE
    assert refused.value.deadline == unit.deadline
    typed = datetime.combine(
        unit.deadline + timedelta(days=1), datetime.min.time(), clock.now.tzinfo
    )
    with pytest.raises(SessionError) as typed_late:
        book_session(
            session,
            unit=unit,
            one_off=OneOff(starts_at=typed.replace(hour=10), minutes=60),
            modality=Modality.TELEPHONE,
            advisor=unit.advisor,
            staff=unit.advisor,
            now=clock.now,
        )
    assert typed_late.value.code == SessionErrorCode.AFTER_DEADLINE


def test_from_uo21_another_advisor_needs_a_reason_which_is_recorded(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock, UnitKind.UO21)
    colleague = ws.staff(session, "16")
    slot_id = _slot_in(session, colleague, clock, days=3)
    with pytest.raises(SessionError) as refused:
        book_session(
            session,
            unit=unit,
            slot_id=slot_id,
            modality=Modality.TELEPHONE,
            advisor=colleague,
            staff=colleague,
            now=clock.now,
        )
    assert refused.value.code == SessionErrorCode.REASON_REQUIRED
    appointment = book_session(
        session,
        unit=unit,
        slot_id=slot_id,
        modality=Modality.TELEPHONE,
        advisor=colleague,
        staff=colleague,
        now=clock.now,
        other_advisor_reason="Référente en congé",
    )
    assert appointment.other_advisor_reason == "Référente en congé"
    uo1 = _unit(session, clock, UnitKind.UO1)  # before UO2.1, any advisor of the operator
    free = _slot_in(session, colleague, clock, days=4)
    plain = book_session(
        session,
        unit=uo1,
        slot_id=free,
        modality=Modality.TELEPHONE,
        advisor=colleague,
        staff=colleague,
        now=clock.now,
    )
    assert plain.other_advisor_reason is None


def test_a_video_session_gets_its_own_link_from_the_operators_template(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    unit.operator.video_url_template = "https://visio.example.fr/cep-{code}"
    links = []
    for days in (2, 3):
        start = (clock.now + timedelta(days=days)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        appointment = book_session(
            session,
            unit=unit,
            one_off=OneOff(starts_at=start, minutes=45),
            modality=Modality.VISIO,
            advisor=unit.advisor,
            staff=unit.advisor,
            now=clock.now,
        )
        links.append(appointment.video_url or "")
    assert all(link.startswith("https://visio.example.fr/cep-") for link in links)
    assert "{code}" not in links[0] and links[0] != links[1]
    unit.operator.video_url_template = None
    start = (clock.now + timedelta(days=4)).replace(hour=14, minute=0, second=0, microsecond=0)
    without = book_session(
        session,
        unit=unit,
        one_off=OneOff(starts_at=start, minutes=45),
        modality=Modality.VISIO,
        advisor=unit.advisor,
        staff=unit.advisor,
        now=clock.now,
    )
    assert without.video_url is None


@pytest.mark.parametrize(
    "text",
    [
        "http://visio.example.fr/{code}",
        "https://visio.example.fr/room",
        "visio/{code}",
        "https://{code}.example.fr/",
        "https://visio.example.fr/{code} x",
    ],
)
def test_a_video_template_must_be_https_with_a_code(text: str) -> None:
    with pytest.raises(SessionError) as refused:
        check_video_template(text)
    assert refused.value.code == SessionErrorCode.BAD_TEMPLATE


def test_a_good_video_template_is_kept_and_empty_clears_it() -> None:
    assert check_video_template(" https://visio.example.fr/r/{code}?x=1 ") == (
        "https://visio.example.fr/r/{code}?x=1"
    )
    assert check_video_template("") is None


def test_a_held_session_records_the_exchange_without_retyping(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    clock.set(clock.now.replace(hour=9, minute=0, second=0, microsecond=0))
    slot_id = _slot_in(session, unit.advisor, clock, hours=1)
    appointment = book_session(
        session,
        unit=unit,
        slot_id=slot_id,
        modality=Modality.TELEPHONE,
        advisor=unit.advisor,
        staff=unit.advisor,
        now=clock.now,
    )
    with pytest.raises(UnitError):  # not yet
        hold_session(
            session, appointment=appointment, by=unit.advisor, now=clock.now, today=clock.today
        )
    clock.advance(hours=2)
    interaction = hold_session(
        session, appointment=appointment, by=unit.advisor, now=clock.now, today=clock.today
    )
    assert appointment.status == AppointmentStatus.HELD
    assert (interaction.occurred_on, interaction.contact_mode) == (clock.today, "telephone")
    assert (interaction.duration_minutes, interaction.appointment_id) == (60, appointment.id)
    second = book_session(
        session,
        unit=unit,
        slot_id=_slot_in(session, unit.advisor, clock, minutes=30),
        modality=Modality.PRESENTIEL,
        advisor=unit.advisor,
        staff=unit.advisor,
        now=clock.now,
    )
    clock.advance(hours=1)
    shorter = hold_session(
        session,
        appointment=second,
        by=unit.advisor,
        now=clock.now,
        today=clock.today,
        duration_minutes=40,
    )
    assert (shorter.duration_minutes, shorter.contact_mode) == (40, "presentiel")


def test_a_missed_session_records_no_exchange(session: Session, clock: FrozenClock) -> None:
    unit = _unit(session, clock)
    clock.set(clock.now.replace(hour=9, minute=0, second=0, microsecond=0))
    appointment = book_session(
        session,
        unit=unit,
        slot_id=_slot_in(session, unit.advisor, clock, hours=1),
        modality=Modality.TELEPHONE,
        advisor=unit.advisor,
        staff=unit.advisor,
        now=clock.now,
    )
    clock.advance(hours=2)
    miss_session(session, appointment=appointment, now=clock.now)
    assert appointment.status == AppointmentStatus.MISSED
    assert unit.interactions == []


def test_the_person_moves_until_the_cutoff_and_staff_after(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    advisor = unit.advisor
    appointment = book_session(
        session,
        unit=unit,
        slot_id=_slot_in(session, advisor, clock, days=3),
        modality=Modality.TELEPHONE,
        advisor=advisor,
        staff=advisor,
        now=clock.now,
    )
    target = _slot_in(session, advisor, clock, days=4)
    moved = move_session(
        session,
        appointment=appointment,
        slot_id=target,
        modality=Modality.PRESENTIEL,
        now=clock.now,
        cutoff=timedelta(hours=24),
    )
    assert appointment.status == AppointmentStatus.MOVED
    assert (moved.slot_id, moved.unit_id, moved.booked_by_id) == (target, unit.id, advisor.id)
    assert current_session(session, appointment) is moved
    late = unit.deadline - clock.today + timedelta(days=1)
    with pytest.raises(SessionError) as after:
        move_session(
            session,
            appointment=moved,
            slot_id=_slot_in(session, advisor, clock, days=late.days),
            modality=Modality.TELEPHONE,
            now=clock.now,
            cutoff=timedelta(hours=24),
        )
    assert after.value.code == SessionErrorCode.AFTER_DEADLINE
    clock.advance(days=4, hours=-2)  # two hours before: too late for the person
    with pytest.raises(SessionError) as too_late:
        cancel_session(session, appointment=moved, now=clock.now, cutoff=timedelta(hours=24))
    assert too_late.value.code == SessionErrorCode.NOT_CHANGEABLE
    cancel_session(session, appointment=moved, now=clock.now)  # staff: until it starts
    assert moved.status == AppointmentStatus.CANCELLED


def test_a_cancelled_one_off_session_frees_no_slot_for_anyone(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    start = (clock.now + timedelta(days=2)).replace(hour=15, minute=0, second=0, microsecond=0)
    appointment = book_session(
        session,
        unit=unit,
        one_off=OneOff(starts_at=start, minutes=30),
        modality=Modality.TELEPHONE,
        advisor=unit.advisor,
        staff=unit.advisor,
        now=clock.now,
    )
    cancel_session(session, appointment=appointment, now=clock.now)
    offered = free_slots(session, advisor_id=unit.advisor_id, unit=unit, now=clock.now)
    assert appointment.slot_id not in {s.id for s in offered}


def test_the_reminder_links_to_the_sessions_page_and_a_move_keeps_its_calendar_entry(
    session: Session, clock: FrozenClock
) -> None:
    unit = _unit(session, clock)
    advisor = unit.advisor
    appointment = book_session(
        session,
        unit=unit,
        slot_id=_slot_in(session, advisor, clock, days=1),
        modality=Modality.TELEPHONE,
        advisor=advisor,
        staff=advisor,
        now=clock.now,
    )
    first_uid = calendar_uid(appointment)
    moved = move_session(
        session,
        appointment=appointment,
        slot_id=_slot_in(session, advisor, clock, days=1, hours=2),
        modality=Modality.TELEPHONE,
        now=clock.now,
        staff=advisor,
    )
    assert calendar_uid(moved) == first_uid
    queue_due_reminders(
        session, now=clock.now, days_before=2, base_url="https://cep.example", secret_key="k" * 16
    )
    reminder = session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == f"appointment:{moved.id}:reminder")
    ).one()
    assert "https://cep.example/rendez-vous/seance/" in reminder.body_text

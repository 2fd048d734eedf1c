"""The agenda's core (issue 14 §3): the week grouped by local day, the move's rules, and the
iCalendar feed's content (no personal data beyond initials and the unit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy.orm import Session

from portal.advisor.models import UnitKind
from portal.agenda import feed, moves
from portal.agenda.moves import MoveError, MoveErrorCode
from portal.agenda.week import advisor_week, initials
from portal.booking.models import Absence, AppointmentStatus
from portal.network.models import Modality, StaffRole
from tests import agenda_data as data
from tests import workspace_data as ws
from tests.conftest import FrozenClock


def test_initials_keep_compound_first_names() -> None:
    assert initials("Jeanne", "Dupont") == "J. D."
    assert initials("jean-pierre", "Le Gall") == "J.-P. L."


def test_the_week_groups_by_local_day_with_free_bands_and_absences(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    monday = data.later_monday(clock.today)
    first, _request = data.first_appointment(session, advisor, data.at(monday, 10))
    unit = data.unit(session, advisor, clock.today)
    # 00:30 in Paris on Tuesday is still Monday in UTC: the agenda shows it on Tuesday.
    late = data.session_of(session, unit, advisor, data.at(monday + timedelta(days=1), 0, 30))
    for hour in (14, 15):  # two free slots in a row: one band 14:00–16:00
        data.slot(session, advisor, data.at(monday, hour))
    data.slot(session, advisor, data.at(monday, 17))  # a gap: a second band
    session.add(
        Absence(advisor_id=advisor.id, starts_on=monday + timedelta(days=2),
                ends_on=monday + timedelta(days=2), reason="Formation")
    )  # fmt: skip
    session.flush()

    week = advisor_week(session, advisor_id=advisor.id, monday=monday, tz=data.PARIS)

    assert [day.day for day in week.days] == [monday + timedelta(days=n) for n in range(5)]
    lundi, mardi, mercredi = week.days[:3]
    assert [a.id for a in lundi.appointments] == [first.id]
    assert lundi.appointments[0].is_first and lundi.appointments[0].last_name == "Dupont"
    assert [a.id for a in mardi.appointments] == [late.id]
    assert mardi.appointments[0].unit_kind is UnitKind.UO1
    assert mardi.appointments[0].unit_number == unit.number
    assert mardi.appointments[0].dossier_id == unit.dossier_id
    assert [(b.starts_at.hour, b.ends_at.hour, b.slots) for b in lundi.free] == [
        (14, 16, 2),
        (17, 18, 1),
    ]
    assert mercredi.absence == "Formation" and lundi.absence is None
    assert week.count == 2


def test_the_week_shows_a_weekend_day_only_when_something_happens(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    monday = data.later_monday(clock.today)
    data.first_appointment(session, advisor, data.at(monday + timedelta(days=5), 10))
    week = advisor_week(session, advisor_id=advisor.id, monday=monday, tz=data.PARIS)
    assert [d.day.weekday() for d in week.days] == [0, 1, 2, 3, 4, 5]


def test_moving_a_first_appointment_after_its_deadline_needs_a_recorded_reason(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    appointment, request = data.first_appointment(
        session, advisor, data.at(data.later_monday(clock.today), 10)
    )
    beyond = data.slot(session, advisor, data.at(request.deadline + timedelta(days=2), 10))
    with pytest.raises(MoveError) as refused:
        moves.move_to_slot(
            session, appointment=appointment, slot_id=beyond.id,
            modality=appointment.modality, now=clock.now,
        )  # fmt: skip
    assert refused.value.code is MoveErrorCode.LATE_REASON_NEEDED
    assert refused.value.deadline == request.deadline
    assert appointment.status == AppointmentStatus.BOOKED

    moved = moves.move_to_slot(
        session, appointment=appointment, slot_id=beyond.id, modality=appointment.modality,
        now=clock.now, late_reason="La personne est hospitalisée jusqu'au 20.",
    )  # fmt: skip
    assert moved.late_reason == "La personne est hospitalisée jusqu'au 20."
    assert moved.request_id == request.id and moved.sequence == appointment.sequence + 1
    assert appointment.status == AppointmentStatus.MOVED
    assert appointment.replaced_by_id == moved.id


def test_a_session_cannot_move_after_its_units_deadline(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    unit = data.unit(session, advisor, clock.today)
    appointment = data.session_of(
        session, unit, advisor, data.at(data.later_monday(clock.today), 10)
    )
    beyond = data.slot(session, advisor, data.at(unit.deadline + timedelta(days=1), 10))
    with pytest.raises(MoveError) as refused:
        moves.move_to_slot(
            session, appointment=appointment, slot_id=beyond.id, modality=Modality.TELEPHONE,
            now=clock.now, late_reason="même avec un motif",
        )  # fmt: skip
    assert refused.value.code is MoveErrorCode.AFTER_UNIT_DEADLINE
    assert refused.value.deadline == unit.deadline


def test_a_uo21_session_with_another_advisor_needs_a_reason(
    session: Session, clock: FrozenClock
) -> None:
    referent, colleague = ws.staff(session), ws.staff(session)
    unit = data.unit(session, referent, clock.today, UnitKind.UO21)
    monday = data.later_monday(clock.today)
    appointment = data.session_of(session, unit, referent, data.at(monday, 10))
    elsewhere = data.slot(session, colleague, data.at(monday, 11))
    with pytest.raises(MoveError) as refused:
        moves.move_to_slot(
            session, appointment=appointment, slot_id=elsewhere.id,
            modality=Modality.TELEPHONE, now=clock.now,
        )  # fmt: skip
    assert refused.value.code is MoveErrorCode.OTHER_ADVISOR_REASON_NEEDED
    moved = moves.move_to_slot(
        session, appointment=appointment, slot_id=elsewhere.id, modality=Modality.TELEPHONE,
        now=clock.now, other_advisor_reason="Référente en congé maternité",
    )  # fmt: skip
    assert moved.advisor_id == colleague.id and moved.unit_id == unit.id
    assert moved.other_advisor_reason == "Référente en congé maternité"


def test_a_slot_taken_meanwhile_is_refused_and_the_appointment_stays(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    monday = data.later_monday(clock.today)
    appointment, _ = data.first_appointment(session, advisor, data.at(monday, 10))
    other, _ = data.first_appointment(session, advisor, data.at(monday, 11), last_name="Autre")
    with pytest.raises(MoveError) as refused:
        moves.move_to_slot(
            session, appointment=appointment, slot_id=other.slot_id,
            modality=appointment.modality, now=clock.now,
        )  # fmt: skip
    assert refused.value.code is MoveErrorCode.SLOT_TAKEN
    session.refresh(appointment)
    assert appointment.status == AppointmentStatus.BOOKED


def test_moving_to_a_typed_time_makes_a_one_off_slot(session: Session, clock: FrozenClock) -> None:
    advisor = ws.staff(session)
    manager = ws.staff(session, role=StaffRole.MANAGER)
    monday = data.later_monday(clock.today)
    appointment, _ = data.first_appointment(session, advisor, data.at(monday, 10))
    moved = moves.move_to_time(
        session, appointment=appointment, advisor=advisor, starts_at=data.at(monday, 16, 30),
        minutes=45, modality=Modality.TELEPHONE, site_id=None, created_by=manager, now=clock.now,
    )  # fmt: skip
    assert moved.starts_at == data.at(monday, 16, 30)
    assert moved.ends_at - moved.starts_at == timedelta(minutes=45)
    assert moved.slot.created_by_id == manager.id
    # A time that overlaps the advisor's own appointment is refused.
    with pytest.raises(MoveError) as refused:
        moves.move_to_time(
            session, appointment=moved, advisor=advisor, starts_at=data.at(monday, 16),
            minutes=60, modality=Modality.TELEPHONE, site_id=None, created_by=manager,
            now=clock.now,
        )  # fmt: skip
    assert refused.value.code is MoveErrorCode.SLOT_TAKEN


def test_the_feed_carries_initials_and_the_unit_but_no_personal_data(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    monday = data.later_monday(clock.today)
    _first, request = data.first_appointment(session, advisor, data.at(monday, 10))
    unit = data.unit(session, advisor, clock.today)
    data.session_of(
        session, unit, advisor, data.at(monday, 14), modality=Modality.VISIO,
        video_url="https://visio.example.fr/cep-secret",
    )  # fmt: skip
    person = request.beneficiary

    body = feed.feed_calendar(
        session, advisor=advisor, now=clock.now, name="Agenda",
        describe=lambda item: (f"RDV {item.initials} — {item.unit_number or 'premier'}", "lieu"),
    ).decode()  # fmt: skip

    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 2
    assert "RDV C. D." in body and unit.number in body
    for secret in (person.last_name, person.email, person.phone, "06 12 34 56 78",
                   "visio.example.fr", unit.dossier.beneficiary.email):  # fmt: skip
        assert secret not in body


def test_a_feed_token_is_stored_hashed_revoked_by_a_new_one_and_stamped_hourly(
    session: Session, clock: FrozenClock
) -> None:
    advisor = ws.staff(session)
    old = feed.new_feed(session, staff_member_id=advisor.id, now=clock.now)
    new = feed.new_feed(session, staff_member_id=advisor.id, now=clock.now)
    assert feed.feed_for_token(session, old, now=clock.now) is None
    found = feed.feed_for_token(session, new, now=clock.now)
    assert found is not None and found.token_sha256 != new and len(found.token_sha256) == 64
    first_read = found.last_read_at
    clock.advance(minutes=30)
    assert feed.feed_for_token(session, new, now=clock.now).last_read_at == first_read  # type: ignore[union-attr]
    clock.advance(minutes=31)
    assert feed.feed_for_token(session, new, now=clock.now).last_read_at == clock.now  # type: ignore[union-attr]
    assert feed.revoke_feed(session, staff_member_id=advisor.id, now=clock.now) == 1
    assert feed.feed_for_token(session, new, now=clock.now) is None

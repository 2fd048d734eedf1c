"""Staff book for a waiting request (issue 14): the operator's own slots, the deadline of
CCTP 3.3 passed only with a reason, the request booked once; and the week staff search in.
On the demo network, in a session rolled back after each test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.booking.calendar import monday
from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.booking.slots import operator_timezone
from portal.booking.staff_booking import (
    StaffBookingError,
    StaffBookingErrorCode,
    book_for_request,
    book_one_off_for_request,
)
from portal.booking.staff_search import staff_week
from portal.network.models import Modality, Operator, Site, StaffMember
from tests import staff_booking_data as data
from tests.conftest import FrozenClock

Code = BookingErrorCode


@pytest.fixture
def operator(session: Session) -> Operator:
    return data.operator(session)


@pytest.fixture
def site(session: Session, operator: Operator) -> Site:
    return data.sites(session, operator)[0]


@pytest.fixture
def advisor(session: Session, operator: Operator, site: Site) -> StaffMember:
    return data.new_advisor(session, operator, site)


@pytest.fixture
def waiting(session: Session, operator: Operator, clock: FrozenClock) -> AppointmentRequest:
    return data.request_for(
        session, operator, requested_on=clock.today, status=RequestStatus.WAITING
    )


def at_day(day_offset: int, clock: FrozenClock, hour: int = 9) -> datetime:
    day = clock.today + timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def after_deadline(request: AppointmentRequest) -> datetime:
    day = request.deadline + timedelta(days=3)
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def book(
    session: Session, request: AppointmentRequest, slot: Slot, staff: StaffMember, **kw: object
) -> Appointment:
    values: dict[str, object] = {
        "operator_id": request.operator_id,
        "request_id": request.id,
        "slot_id": slot.id,
        "modality": Modality.PRESENTIEL,
        "staff": staff,
        "late_reason": None,
        "now": kw.pop("now"),
    }
    values.update(kw)
    return book_for_request(session, **values)  # type: ignore[arg-type]


def test_staff_book_a_slot_before_the_deadline(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    clock: FrozenClock,
) -> None:
    slot = data.slot_at(session, advisor, site, at_day(2, clock))
    appointment = book(
        session, waiting, slot, advisor, now=clock.now, late_reason="not kept: in time"
    )
    assert appointment.slot_id == slot.id and appointment.request_id == waiting.id
    assert appointment.booked_by_id == advisor.id
    assert appointment.late_reason is None
    assert appointment.site_id == site.id
    assert waiting.status == RequestStatus.BOOKED


def test_after_the_deadline_a_reason_is_required_and_kept(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    clock: FrozenClock,
) -> None:
    slot = data.slot_at(session, advisor, site, after_deadline(waiting))
    for empty in (None, "", "   "):
        with pytest.raises(BookingError) as caught:
            book(session, waiting, slot, advisor, now=clock.now, late_reason=empty)
        assert caught.value.code == Code.AFTER_DEADLINE
    assert waiting.status == RequestStatus.WAITING
    appointment = book(
        session, waiting, slot, advisor, now=clock.now, late_reason="  Absente jusqu'au 20.  "
    )
    assert appointment.late_reason == "Absente jusqu'au 20."


def test_the_deadline_day_itself_needs_no_reason(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    operator: Operator,
    clock: FrozenClock,
) -> None:
    day = waiting.deadline
    # Late evening in Corsica is still the deadline day there, whatever the UTC date.
    local = datetime(day.year, day.month, day.day, 21, tzinfo=operator_timezone(operator))
    slot = data.slot_at(session, advisor, site, local.astimezone(UTC))
    assert book(session, waiting, slot, advisor, now=clock.now).late_reason is None


def test_another_operators_request_or_slot_is_not_found(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    clock: FrozenClock,
) -> None:
    other = data.operator(session, "10")
    stranger = data.new_advisor(session, other, data.sites(session, other)[0])
    foreign_slot = data.slot_at(session, stranger, data.sites(session, other)[0], at_day(2, clock))
    with pytest.raises(BookingError) as caught:
        book(session, waiting, foreign_slot, advisor, now=clock.now)
    assert caught.value.code == Code.WRONG_OPERATOR
    slot = data.slot_at(session, advisor, site, at_day(2, clock))
    with pytest.raises(StaffBookingError) as refused:
        book(session, waiting, slot, stranger, now=clock.now, operator_id=other.id)
    assert refused.value.code == StaffBookingErrorCode.NOT_FOUND
    assert waiting.status == RequestStatus.WAITING


def test_a_request_no_longer_waiting_is_not_booked_twice(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    clock: FrozenClock,
) -> None:
    book(
        session,
        waiting,
        data.slot_at(session, advisor, site, at_day(2, clock)),
        advisor,
        now=clock.now,
    )
    with pytest.raises(StaffBookingError) as caught:
        book(
            session,
            waiting,
            data.slot_at(session, advisor, site, at_day(3, clock)),
            advisor,
            now=clock.now,
        )
    assert caught.value.code == StaffBookingErrorCode.NOT_WAITING


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("past", Code.SLOT_UNAVAILABLE),
        ("withdrawn", Code.SLOT_UNAVAILABLE),
        ("visio", Code.MODALITY_NOT_OFFERED),
        ("taken", Code.SLOT_TAKEN),
    ],
)
def test_a_slot_that_cannot_be_booked_is_refused(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    operator: Operator,
    clock: FrozenClock,
    change: str,
    code: BookingErrorCode,
) -> None:
    starts = clock.now - timedelta(hours=2) if change == "past" else at_day(2, clock)
    slot = data.slot_at(session, advisor, site, starts)
    if change == "withdrawn":
        slot.withdrawn_at = clock.now
    if change == "taken":
        data.book(session, slot, data.request_for(session, operator, requested_on=clock.today))
    modality = Modality.VISIO if change == "visio" else Modality.PRESENTIEL
    with pytest.raises(BookingError) as caught:
        book(session, waiting, slot, advisor, now=clock.now, modality=modality)
    assert caught.value.code == code


def one_off(
    session: Session, request: AppointmentRequest, advisor: StaffMember, **kw: object
) -> Appointment:
    values: dict[str, object] = {
        "operator_id": request.operator_id,
        "request_id": request.id,
        "advisor_id": advisor.id,
        "site_id": None,
        "minutes": 60,
        "modality": Modality.TELEPHONE,
        "staff": advisor,
        "late_reason": None,
    }
    values.update(kw)
    return book_one_off_for_request(session, **values)  # type: ignore[arg-type]


def test_a_one_off_time_is_booked_under_the_same_rules(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    clock: FrozenClock,
) -> None:
    late = after_deadline(waiting)
    with pytest.raises(BookingError) as caught:
        one_off(session, waiting, advisor, starts_at=late, now=clock.now)
    assert caught.value.code == Code.AFTER_DEADLINE
    data.slot_at(session, advisor, site, at_day(2, clock, hour=9))
    with pytest.raises(BookingError) as overlap:
        one_off(session, waiting, advisor, starts_at=at_day(2, clock, hour=9), now=clock.now)
    assert overlap.value.code == Code.SLOT_TAKEN
    appointment = one_off(
        session, waiting, advisor, starts_at=late, now=clock.now, late_reason="Hospitalisée"
    )
    assert appointment.late_reason == "Hospitalisée"
    assert appointment.slot.created_by_id == advisor.id
    assert appointment.modality == Modality.TELEPHONE and appointment.site_id is None
    assert waiting.status == RequestStatus.BOOKED


def test_a_one_off_time_with_another_operators_advisor_or_site_is_not_found(
    session: Session, waiting: AppointmentRequest, advisor: StaffMember, clock: FrozenClock
) -> None:
    other = data.operator(session, "10")
    stranger = data.new_advisor(session, other)
    for changes in ({"advisor_id": stranger.id}, {"site_id": data.sites(session, other)[0].id}):
        with pytest.raises(StaffBookingError) as caught:
            one_off(session, waiting, advisor, starts_at=at_day(2, clock), now=clock.now, **changes)
        assert caught.value.code == StaffBookingErrorCode.NOT_FOUND


def test_the_week_lists_free_slots_with_the_deadline_in_few_statements(
    session: Session,
    waiting: AppointmentRequest,
    advisor: StaffMember,
    site: Site,
    operator: Operator,
    clock: FrozenClock,
) -> None:
    week = monday(waiting.deadline)
    before = data.slot_at(
        session,
        advisor,
        site,
        datetime.combine(waiting.deadline, datetime.min.time(), UTC) + timedelta(hours=8),
    )
    late = data.slot_at(session, advisor, site, before.starts_at + timedelta(days=1))
    taken = data.slot_at(session, advisor, site, before.starts_at + timedelta(hours=1))
    data.book(session, taken, data.request_for(session, operator, requested_on=clock.today))
    statements: list[str] = []
    engine = session.get_bind()

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        found = staff_week(
            session,
            operator_id=operator.id,
            timezone=operator_timezone(operator),
            deadline=waiting.deadline,
            monday=week,
            now=clock.now,
            advisor_id=advisor.id,
        )
        listed = {s.slot.id: s for _, day in found.days for s in day}
        _ = [(s.slot.site, s.slot.advisor.full_name) for s in listed.values()]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
    assert before.id in listed and not listed[before.id].after_deadline
    assert listed[late.id].after_deadline
    assert taken.id not in listed
    by_visio = staff_week(
        session,
        operator_id=operator.id,
        timezone=operator_timezone(operator),
        deadline=waiting.deadline,
        monday=week,
        now=clock.now,
        advisor_id=advisor.id,
        modality=Modality.VISIO,
    )
    assert by_visio.days == []

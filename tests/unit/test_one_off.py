"""One-off slots typed by staff (issue 14): the advisor must be free and present, the time in
the future and of a sensible length; the slot is for one person, never offered to the public.
On the demo network, in a session rolled back after each test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, true
from sqlalchemy.orm import Session

from portal.booking.errors import BookingError, BookingErrorCode
from portal.booking.models import Absence, Slot
from portal.booking.one_off import advisor_busy, create_one_off_slot
from portal.booking.search_queries import free_in
from portal.booking.slots import operator_timezone
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


def in_days(clock: FrozenClock, days: int, hour: int = 10) -> datetime:
    day = clock.today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def one_off(
    session: Session,
    operator: Operator,
    advisor: StaffMember,
    clock: FrozenClock,
    **changes: object,
) -> Slot:
    values: dict[str, object] = {
        "operator": operator,
        "advisor": advisor,
        "site_id": None,
        "starts_at": in_days(clock, 3),
        "minutes": 45,
        "modality": Modality.TELEPHONE,
        "created_by": advisor,
        "now": clock.now,
    }
    values.update(changes)
    return create_one_off_slot(session, **values)  # type: ignore[arg-type]


def refused(session: Session, *args: object, **changes: object) -> BookingError:
    with pytest.raises(BookingError) as caught:
        one_off(session, *args, **changes)  # type: ignore[arg-type]
    return caught.value


def test_a_one_off_slot_is_made_for_its_modality_only(
    session: Session, operator: Operator, advisor: StaffMember, site: Site, clock: FrozenClock
) -> None:
    slot = one_off(session, operator, advisor, clock, site_id=site.id, modality=Modality.PRESENTIEL)
    assert slot.modalities == [Modality.PRESENTIEL]
    assert slot.site_id == site.id
    assert slot.ends_at - slot.starts_at == timedelta(minutes=45)
    assert slot.created_by_id == advisor.id and slot.window_id is None
    remote = one_off(
        session, operator, advisor, clock, site_id=site.id, starts_at=in_days(clock, 4)
    )
    assert remote.modalities == [Modality.TELEPHONE] and remote.site_id is None


def test_a_one_off_slot_is_never_offered_to_the_public_search(
    session: Session, operator: Operator, advisor: StaffMember, clock: FrozenClock
) -> None:
    slot = one_off(session, operator, advisor, clock)
    offered = session.scalar(
        select(Slot.id).where(
            Slot.id == slot.id, *free_in(true(), clock.now, clock.now + timedelta(days=30))
        )
    )
    assert offered is None


def test_a_one_off_slot_overlapping_the_advisors_slot_or_appointment_is_refused(
    session: Session,
    operator: Operator,
    advisor: StaffMember,
    site: Site,
    clock: FrozenClock,
) -> None:
    existing = data.slot_at(session, advisor, site, in_days(clock, 3, hour=9))  # 9:00–10:00
    assert (
        refused(
            session,
            operator,
            advisor,
            clock,
            starts_at=in_days(clock, 3, 9) + timedelta(minutes=30),
        ).code
        == Code.SLOT_TAKEN
    )
    # Right after it: free.
    assert one_off(session, operator, advisor, clock, starts_at=in_days(clock, 3, 10))
    # A live appointment on a withdrawn slot still holds the advisor.
    request = data.request_for(session, operator, requested_on=clock.today)
    data.book(session, existing, request)
    existing.withdrawn_at = clock.now
    session.flush()
    busy = advisor_busy(
        session,
        advisor_id=advisor.id,
        starts_at=in_days(clock, 3, 9),
        ends_at=in_days(clock, 3, 9) + timedelta(minutes=15),
    )
    assert busy is True
    assert (
        refused(session, operator, advisor, clock, starts_at=in_days(clock, 3, 9)).code
        == Code.SLOT_TAKEN
    )


def test_a_one_off_slot_on_a_day_of_absence_is_refused(
    session: Session, operator: Operator, advisor: StaffMember, clock: FrozenClock
) -> None:
    starts_at = in_days(clock, 5)
    day = starts_at.astimezone(operator_timezone(operator)).date()
    session.add(Absence(advisor_id=advisor.id, starts_on=day, ends_on=day, reason="Formation"))
    session.flush()
    error = refused(session, operator, advisor, clock, starts_at=starts_at)
    assert error.code == Code.SLOT_UNAVAILABLE and "absent" in str(error)
    assert one_off(session, operator, advisor, clock, starts_at=in_days(clock, 6))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"minutes": 10}, Code.SLOT_UNAVAILABLE),
        ({"minutes": 241}, Code.SLOT_UNAVAILABLE),
        ({"modality": Modality.PRESENTIEL}, Code.MODALITY_NOT_OFFERED),  # no site
    ],
)
def test_a_one_off_slot_of_a_bad_shape_is_refused(
    session: Session,
    operator: Operator,
    advisor: StaffMember,
    clock: FrozenClock,
    changes: dict[str, object],
    code: BookingErrorCode,
) -> None:
    assert refused(session, operator, advisor, clock, **changes).code == code


def test_a_one_off_slot_in_the_past_or_with_another_operators_advisor_is_refused(
    session: Session, operator: Operator, advisor: StaffMember, clock: FrozenClock
) -> None:
    past = refused(session, operator, advisor, clock, starts_at=clock.now - timedelta(hours=1))
    assert past.code == Code.SLOT_UNAVAILABLE
    other = data.operator(session, "10")
    stranger = data.new_advisor(session, other)
    assert refused(session, operator, stranger, clock).code == Code.SLOT_UNAVAILABLE
    with pytest.raises(ValueError, match="aware"):
        one_off(session, operator, advisor, clock, starts_at=datetime(2030, 1, 7, 10))

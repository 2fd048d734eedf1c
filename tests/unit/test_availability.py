"""Availability windows and absences: each rule, the appointments an absence leaves to move,
and the slots that follow a change. On the demo network, in a session rolled back after
each test."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.booking import availability as service
from portal.booking import follow_up
from portal.booking.availability import AvailabilityError, AvailabilityErrorCode, WindowInput
from portal.booking.models import Slot
from portal.booking.slots import materialise_slots, operator_timezone
from portal.clock import now as clock_now
from portal.clock import today_in_france
from portal.network.models import Modality, Operator, Site, StaffMember
from tests import staff_booking_data as data
from tests.conftest import FrozenClock

Code = AvailabilityErrorCode


@pytest.fixture(autouse=True)
def _frozen(clock: FrozenClock) -> FrozenClock:
    """One day and one instant for the whole test, whenever it runs."""
    return clock


@pytest.fixture
def operator(session: Session) -> Operator:
    return data.operator(session)


@pytest.fixture
def site(session: Session, operator: Operator) -> Site:
    return data.sites(session, operator)[0]


@pytest.fixture
def advisor(session: Session, operator: Operator, site: Site) -> StaffMember:
    return data.new_advisor(session, operator, site)


def window(site: Site | None, **changes: object) -> WindowInput:
    values: dict[str, object] = {
        "site_id": site.id if site else None,
        "weekday": 0,  # every demo agence opens on Monday 9:00–12:30 and 13:30–17:00
        "starts": time(9, 0),
        "ends": time(12, 0),
        "modalities": frozenset({Modality.PRESENTIEL, Modality.TELEPHONE}),
        "slot_minutes": 60,
        "valid_from": today_in_france(),
        "valid_until": None,
    }
    values.update(changes)
    return WindowInput(**values)  # type: ignore[arg-type]


def refuses(session: Session, advisor: StaffMember, data_: WindowInput) -> AvailabilityError:
    with pytest.raises(AvailabilityError) as caught:
        service.add_window(session, advisor=advisor, data=data_)
    return caught.value


def test_a_valid_window_is_added(session: Session, advisor: StaffMember, site: Site) -> None:
    added = service.add_window(session, advisor=advisor, data=window(site))
    assert added.id is not None
    assert added.operator_id == advisor.operator_id
    assert added.modalities == [Modality.PRESENTIEL, Modality.TELEPHONE]
    assert service.advisor_windows(session, advisor.id) == [added]


def test_a_window_across_the_lunch_break_is_accepted(
    session: Session, operator: Operator, advisor: StaffMember, site: Site
) -> None:
    # The site closes 12:30–13:30 on Monday: no slot is made then, the window is fine.
    added = service.add_window(session, advisor=advisor, data=window(site, ends=time(17, 0)))
    assert (added.starts, added.ends) == (time(9, 0), time(17, 0))
    materialise(session, operator)
    tz = operator_timezone(operator)
    starts = {
        slot.astimezone(tz).time()
        for slot in session.scalars(select(Slot.starts_at).where(Slot.advisor_id == advisor.id))
    }
    assert starts == {time(9), time(10), time(11), time(13, 30), time(14, 30), time(15, 30)}


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"slot_minutes": 10}, Code.SLOT_LENGTH, "slot_minutes"),
        ({"slot_minutes": 241}, Code.SLOT_LENGTH, "slot_minutes"),
        ({"starts": time(11, 0), "ends": time(10, 0)}, Code.RANGE, "ends"),
        ({"starts": time(10, 0), "ends": time(10, 0)}, Code.RANGE, "ends"),
        ({"starts": time(9, 0), "ends": time(9, 30)}, Code.SHORTER_THAN_SLOT, "slot_minutes"),
        # A validity that ended yesterday (a day count, turned into a date when the test runs).
        ({"valid_until": -1}, Code.VALIDITY, "valid_until"),
        ({"modalities": frozenset()}, Code.NO_MODALITY, "modalities"),
        # Before opening, after closing, within the lunch break, on a closed day (Sunday).
        ({"starts": time(7, 0), "ends": time(9, 0)}, Code.OUTSIDE_OPENING_HOURS, "starts"),
        ({"starts": time(16, 0), "ends": time(18, 0)}, Code.OUTSIDE_OPENING_HOURS, "starts"),
        ({"starts": time(12, 0), "ends": time(14, 0)}, Code.OUTSIDE_OPENING_HOURS, "starts"),
        ({"weekday": 6}, Code.OUTSIDE_OPENING_HOURS, "starts"),
    ],
)
def test_each_rule_of_a_window(
    session: Session,
    advisor: StaffMember,
    site: Site,
    changes: dict[str, object],
    code: AvailabilityErrorCode,
    field: str,
) -> None:
    if isinstance(changes.get("valid_until"), int):
        changes = {**changes, "valid_until": today_in_france() + timedelta(days=-1)}
    error = refuses(session, advisor, window(site, **changes))
    assert (error.code, error.field) == (code, field)


def test_opening_hours_error_names_the_hours_of_that_day(
    session: Session, advisor: StaffMember, site: Site
) -> None:
    error = refuses(session, advisor, window(site, starts=time(7, 0), ends=time(9, 0)))
    assert error.params["site"] == site.name
    assert error.params["hours"] == [(time(9, 0), time(12, 30)), (time(13, 30), time(17, 0))]


def test_in_person_needs_a_site(session: Session, advisor: StaffMember) -> None:
    error = refuses(session, advisor, window(None))
    assert (error.code, error.field) == (Code.PRESENTIEL_NEEDS_SITE, "site")
    remote = window(
        None, modalities=frozenset({Modality.VISIO}), starts=time(18, 0), ends=time(20, 0)
    )
    assert service.add_window(session, advisor=advisor, data=remote).site_id is None


def test_the_site_must_be_the_operators_and_the_advisors(
    session: Session, operator: Operator, advisor: StaffMember
) -> None:
    foreign = data.sites(session, data.operator(session, "10"))[0]
    assert refuses(session, advisor, window(foreign)).code is Code.FOREIGN_SITE
    elsewhere = data.sites(session, operator)[1]
    assert elsewhere not in advisor.sites
    error = refuses(session, advisor, window(elsewhere))
    assert (error.code, error.params["site"]) == (Code.ADVISOR_NOT_AT_SITE, elsewhere.name)


def test_the_site_must_offer_the_modalities(
    session: Session, advisor: StaffMember, site: Site
) -> None:
    site.offers_visio = False
    error = refuses(session, advisor, window(site, modalities=frozenset({Modality.VISIO})))
    assert (error.code, error.field) == (Code.MODALITY_NOT_OFFERED, "modalities")


def test_windows_of_an_advisor_do_not_overlap_over_overlapping_validity(
    session: Session, advisor: StaffMember, site: Site
) -> None:
    first = service.add_window(
        session,
        advisor=advisor,
        data=window(site, valid_until=today_in_france() + timedelta(days=60)),
    )
    error = refuses(session, advisor, window(site, starts=time(11, 0), ends=time(12, 30)))
    assert (error.code, error.params["other"]) == (Code.OVERLAP, first)
    # Back to back, another weekday, or after the first one's validity: no overlap.
    service.add_window(
        session,
        advisor=advisor,
        data=window(site, starts=time(12, 0), ends=time(12, 30), slot_minutes=30),
    )
    service.add_window(session, advisor=advisor, data=window(site, weekday=1, starts=time(9, 0)))
    later = today_in_france() + timedelta(days=61)
    service.add_window(session, advisor=advisor, data=window(site, valid_from=later))


def test_remove_window_only_removes_the_advisors_own(
    session: Session, operator: Operator, advisor: StaffMember, site: Site
) -> None:
    added = service.add_window(session, advisor=advisor, data=window(site))
    colleague = data.new_advisor(session, operator, site)
    with pytest.raises(AvailabilityError) as caught:
        service.remove_window(session, advisor=colleague, window_id=added.id)
    assert caught.value.code is Code.NOT_FOUND
    service.remove_window(session, advisor=advisor, window_id=added.id)
    assert service.advisor_windows(session, advisor.id) == []


def test_only_an_advisor_of_the_operator_is_found(
    session: Session, operator: Operator, advisor: StaffMember
) -> None:
    assert service.operator_advisor(session, operator_id=operator.id, advisor_id=advisor.id)
    other = data.operator(session, "10")
    with pytest.raises(AvailabilityError):
        service.operator_advisor(session, operator_id=other.id, advisor_id=advisor.id)


def slots_of(session: Session, advisor: StaffMember, *, withdrawn: bool = False) -> int:
    query = select(func.count(Slot.id)).where(Slot.advisor_id == advisor.id)
    query = query.where(
        Slot.withdrawn_at.is_not(None) if withdrawn else Slot.withdrawn_at.is_(None)
    )
    return session.scalar(query) or 0


def materialise(session: Session, operator: Operator):  # type: ignore[no-untyped-def]
    return materialise_slots(
        session, today=today_in_france(), horizon_days=63, operator_id=operator.id
    )


def test_slots_follow_a_new_window_and_its_removal(
    session: Session, operator: Operator, advisor: StaffMember, site: Site
) -> None:
    added = service.add_window(session, advisor=advisor, data=window(site))
    materialise(session, operator)
    created = slots_of(session, advisor)
    assert created >= 3 * 6  # three one-hour slots each Monday of nine weeks, less holidays
    first = data.first_free_slot(session, advisor)
    local = first.starts_at.astimezone(operator_timezone(operator))
    assert (local.weekday(), local.time()) in {(0, time(9)), (0, time(10)), (0, time(11))}
    appointment = data.book(
        session, first, data.request_for(session, operator, requested_on=today_in_france())
    )

    service.remove_window(session, advisor=advisor, window_id=added.id)
    report = materialise(session, operator)
    assert slots_of(session, advisor) == 0
    assert report.conflicts == [appointment.id]  # the booked one stays, to be moved


def test_an_absence_over_a_booked_appointment_is_accepted_and_lists_it(
    session: Session, operator: Operator, advisor: StaffMember, site: Site
) -> None:
    service.add_window(session, advisor=advisor, data=window(site))
    materialise(session, operator)
    slot = data.first_free_slot(session, advisor)
    appointment = data.book(
        session, slot, data.request_for(session, operator, requested_on=today_in_france())
    )
    tz = operator_timezone(operator)
    day = slot.starts_at.astimezone(tz).date()
    now = clock_now()

    result = service.add_absence(
        session,
        advisor=advisor,
        starts_on=day,
        ends_on=day + timedelta(days=7),
        reason=" Formation ",
        timezone=tz,
        now=now,
    )
    assert result.absence.reason == "Formation"
    assert result.to_reschedule == [appointment]
    # Listed on the advisor's page before and after the slots are materialised again.
    assert service.appointments_to_reschedule(session, advisor.id, now=now, timezone=tz) == [
        appointment
    ]
    materialise(session, operator)
    assert session.get(Slot, slot.id).withdrawn_at is not None  # type: ignore[union-attr]
    assert slots_of(session, advisor, withdrawn=True) >= 2  # the two Mondays of the absence
    assert appointment in follow_up.withdrawn_slot_appointments(
        session, operator_id=operator.id, now=now
    )
    assert service.appointments_to_reschedule(session, advisor.id, now=now, timezone=tz) == [
        appointment
    ]

    service.remove_absence(session, advisor=advisor, absence_id=result.absence.id)
    materialise(session, operator)
    assert session.get(Slot, slot.id).withdrawn_at is None  # type: ignore[union-attr]
    assert service.appointments_to_reschedule(session, advisor.id, now=now, timezone=tz) == []


def test_an_absence_away_from_appointments_leaves_nothing_to_move(
    session: Session, operator: Operator, advisor: StaffMember
) -> None:
    far = today_in_france() + timedelta(days=200)
    result = service.add_absence(
        session,
        advisor=advisor,
        starts_on=far,
        ends_on=far,
        reason="",
        timezone=operator_timezone(operator),
        now=clock_now(),
    )
    assert result.to_reschedule == []


def test_an_absence_ends_after_it_starts(
    session: Session, operator: Operator, advisor: StaffMember
) -> None:
    with pytest.raises(AvailabilityError) as caught:
        service.add_absence(
            session,
            advisor=advisor,
            starts_on=date(2026, 5, 10),
            ends_on=date(2026, 5, 9),
            reason="",
            timezone=operator_timezone(operator),
            now=clock_now(),
        )
    assert (caught.value.code, caught.value.field) == (Code.ABSENCE_RANGE, "ends_on")

"""Materialising availability windows into slots: holidays, absences, time zones, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.booking.models import Absence, Appointment, AvailabilityWindow, Slot
from portal.booking.slots import materialise_slots
from portal.network.models import Modality, Operator, StaffMember, StaffRole

TODAY = date(2027, 3, 22)  # a Monday; Easter Monday is 29 March 2027
NOW = datetime(2027, 3, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def mayotte(session: Session) -> tuple[Operator, StaffMember]:
    """A new advisor of the Mayotte demo operator (UTC+3, holidays of Mayotte)."""
    operator = session.scalar(select(Operator).where(Operator.lot_number == 18))
    assert operator is not None
    site = operator.sites[0]
    advisor = StaffMember(
        operator=operator,
        email="test-slots@lot18.cep-demo.example",
        full_name="Test Slots",
        role=StaffRole.ADVISOR,
    )
    advisor.sites.append(site)
    session.add(advisor)
    session.flush()
    session.add(
        AvailabilityWindow(
            advisor_id=advisor.id,
            operator_id=operator.id,
            site_id=site.id,
            weekday=0,
            starts=time(9, 0),
            ends=time(12, 0),
            slot_minutes=60,
            offers_presentiel=True,
            offers_telephone=True,
            offers_visio=False,
            valid_from=TODAY,
        )
    )
    session.add(
        Absence(advisor_id=advisor.id, starts_on=date(2027, 4, 12), ends_on=date(2027, 4, 16))
    )
    session.flush()
    return operator, advisor


def _slots(session: Session, advisor: StaffMember) -> list[Slot]:
    return list(
        session.scalars(
            select(Slot)
            .where(Slot.advisor_id == advisor.id, Slot.withdrawn_at.is_(None))
            .order_by(Slot.starts_at)
        )
    )


def test_slots_skip_holidays_and_absences_in_local_time(
    session: Session, mayotte: tuple[Operator, StaffMember]
) -> None:
    operator, advisor = mayotte
    materialise_slots(session, today=TODAY, horizon_days=28, operator_id=operator.id, now=NOW)
    slots = _slots(session, advisor)
    days = sorted({s.starts_at.date() for s in slots})
    # 29 March: Easter Monday; 12 April: absent; 19 April: the next Monday after the absence.
    assert days == [date(2027, 3, 22), date(2027, 4, 5), date(2027, 4, 19)]
    # 9:00 in Mayotte is 6:00 UTC; three one-hour slots a morning.
    assert [s.starts_at.time() for s in slots[:3]] == [time(6, 0), time(7, 0), time(8, 0)]
    assert slots[0].modalities == [Modality.PRESENTIEL, Modality.TELEPHONE]


def test_materialising_again_changes_nothing(
    session: Session, mayotte: tuple[Operator, StaffMember]
) -> None:
    operator, advisor = mayotte
    materialise_slots(session, today=TODAY, horizon_days=28, operator_id=operator.id, now=NOW)
    again = materialise_slots(
        session, today=TODAY, horizon_days=28, operator_id=operator.id, now=NOW
    )
    assert (again.created, again.withdrawn, again.restored) == (0, 0, 0)
    assert len(_slots(session, advisor)) == 9


def test_a_new_absence_withdraws_slots_and_flags_booked_ones(
    session: Session, mayotte: tuple[Operator, StaffMember]
) -> None:
    operator, advisor = mayotte
    materialise_slots(session, today=TODAY, horizon_days=28, operator_id=operator.id, now=NOW)
    booked_slot = _slots(session, advisor)[3]  # 5 April, 9:00
    from portal.people.models import Beneficiary

    person = Beneficiary(
        last_name="Ali",
        first_name="Zaïna",
        email="z@example.org",
        phone="+262639000000",
        birth_date=date(1990, 1, 1),
        consent_at=NOW,
        consent_version="test",
    )
    session.add(person)
    session.flush()
    appointment = Appointment(
        slot_id=booked_slot.id,
        beneficiary_id=person.id,
        operator_id=operator.id,
        advisor_id=advisor.id,
        site_id=booked_slot.site_id,
        starts_at=booked_slot.starts_at,
        ends_at=booked_slot.ends_at,
        modality=Modality.PRESENTIEL,
    )
    session.add(appointment)
    session.add(
        Absence(advisor_id=advisor.id, starts_on=date(2027, 4, 5), ends_on=date(2027, 4, 5))
    )
    session.flush()
    report = materialise_slots(
        session, today=TODAY, horizon_days=28, operator_id=operator.id, now=NOW
    )
    assert report.withdrawn == 3
    assert report.conflicts == [appointment.id]
    assert [s.starts_at.date() for s in _slots(session, advisor)].count(date(2027, 4, 5)) == 0


def test_a_slot_never_leaves_the_site_opening_hours(
    session: Session, mayotte: tuple[Operator, StaffMember]
) -> None:
    operator, advisor = mayotte
    window = session.scalar(
        select(AvailabilityWindow).where(AvailabilityWindow.advisor_id == advisor.id)
    )
    assert window is not None
    window.starts, window.ends = time(11, 0), time(15, 0)  # the site closes 12:30-13:30
    session.flush()
    materialise_slots(session, today=TODAY, horizon_days=6, operator_id=operator.id, now=NOW)
    local = [(s.starts_at.hour + 3, s.ends_at.hour + 3) for s in _slots(session, advisor)]
    # 11-12 fits the morning range (7:30-12:30); 13:30-14:30 and 14:30-15:30 the afternoon's
    # (13:30-16:00), cut at the window's end of 15:00: only 13:30-14:30.
    assert local == [(11, 12), (13, 14)]

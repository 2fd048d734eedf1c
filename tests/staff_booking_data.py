"""Rows for the staff booking tests, built on the demo network (operator "16", Corse, is small:
four sites, so materialising its slots is quick)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import clock as portal_clock
from portal.auth.models import LoginAttempt
from portal.booking.calendar import first_appointment_deadline, territory_for_insee
from portal.booking.models import (
    Absence,
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    AvailabilityWindow,
    RequestStatus,
    Slot,
)
from portal.network.models import (
    Modality,
    Operator,
    Site,
    StaffMember,
    StaffRole,
    advisor_site,
)
from portal.people.models import Beneficiary

CODE = "16"  # the demo operator of lot 16


def operator(session: Session, code: str = CODE) -> Operator:
    found = session.scalar(select(Operator).where(Operator.code == code))
    assert found is not None
    return found


def sites(session: Session, op: Operator) -> list[Site]:
    return list(session.scalars(select(Site).where(Site.operator_id == op.id).order_by(Site.id)))


def new_advisor(session: Session, op: Operator, *attached: Site, name: str = "") -> StaffMember:
    advisor = StaffMember(
        operator_id=op.id,
        email=f"test-{uuid.uuid4().hex[:12]}@test.cep-demo.example",
        full_name=name or f"Testeur {uuid.uuid4().hex[:6]}",
        role=StaffRole.ADVISOR,
    )
    advisor.sites.extend(attached)
    session.add(advisor)
    session.flush()
    return advisor


def person(session: Session, last_name: str = "Martin") -> Beneficiary:
    beneficiary = Beneficiary(
        last_name=last_name,
        first_name="Camille",
        email=f"camille-{uuid.uuid4().hex[:8]}@example.org",
        phone="+33612345678",
        birth_date=date(1985, 6, 15),
        consent_at=portal_clock.now(),
        consent_version="test",
    )
    session.add(beneficiary)
    session.flush()
    return beneficiary


def request_for(
    session: Session,
    op: Operator,
    *,
    requested_on: date,
    status: RequestStatus = RequestStatus.BOOKED,
    commune_insee: str = "2A004",
    call_back_by: date | None = None,
    last_name: str = "Martin",
) -> AppointmentRequest:
    territory = territory_for_insee(commune_insee)
    request = AppointmentRequest(
        idempotency_key=uuid.uuid4().hex,
        beneficiary=person(session, last_name),
        operator_id=op.id,
        competent_operator_id=op.id,
        requested_on=requested_on,
        commune_insee=commune_insee,
        territory=territory.code,
        deadline=first_appointment_deadline(requested_on, territory),
        status=status,
        call_back_by=call_back_by,
    )
    session.add(request)
    session.flush()
    return request


def slot_at(session: Session, advisor: StaffMember, site: Site | None, starts_at: datetime) -> Slot:
    """A slot made by hand (a past one, say, which materialisation never makes)."""
    assert advisor.operator_id is not None
    slot = Slot(
        advisor_id=advisor.id,
        operator_id=advisor.operator_id,
        site_id=site.id if site else None,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        offers_presentiel=site is not None,
        offers_telephone=True,
        offers_visio=False,
    )
    session.add(slot)
    session.flush()
    return slot


def book(
    session: Session,
    slot: Slot,
    request: AppointmentRequest,
    *,
    status: AppointmentStatus = AppointmentStatus.BOOKED,
    modality: Modality | None = None,
) -> Appointment:
    appointment = Appointment(
        slot_id=slot.id,
        request_id=request.id,
        beneficiary_id=request.beneficiary_id,
        operator_id=slot.operator_id,
        advisor_id=slot.advisor_id,
        site_id=slot.site_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        modality=modality or (Modality.PRESENTIEL if slot.site_id else Modality.TELEPHONE),
        status=status,
    )
    session.add(appointment)
    session.flush()
    return appointment


def first_free_slot(session: Session, advisor: StaffMember) -> Slot:
    slot = session.scalar(
        select(Slot)
        .where(
            Slot.advisor_id == advisor.id,
            Slot.withdrawn_at.is_(None),
            Slot.starts_at > portal_clock.now(),
        )
        .order_by(Slot.starts_at)
        .limit(1)
    )
    assert slot is not None, "the advisor has no slot: was materialisation run?"
    return slot


def monday_morning(site: Site) -> tuple[time, time]:
    """The site's first Monday opening range (every demo agence opens 9:00–12:30)."""
    return next((h.opens, h.closes) for h in site.hours if h.weekday == 0)


def remove(
    session: Session,
    *,
    advisors: Sequence[int] = (),
    requests: Sequence[int] = (),
    emails: Sequence[str] = (),
) -> None:
    """Delete committed test rows, children first, and commit."""
    appointment_filter = Appointment.advisor_id.in_(advisors) | Appointment.request_id.in_(requests)
    beneficiaries = set(
        session.scalars(select(Appointment.beneficiary_id).where(appointment_filter))
    )
    beneficiaries |= set(
        session.scalars(
            select(AppointmentRequest.beneficiary_id).where(AppointmentRequest.id.in_(requests))
        )
    )
    session.execute(delete(Appointment).where(appointment_filter))
    session.execute(delete(AppointmentRequest).where(AppointmentRequest.id.in_(requests)))
    session.execute(delete(Beneficiary).where(Beneficiary.id.in_(beneficiaries)))
    session.execute(delete(Slot).where(Slot.advisor_id.in_(advisors)))
    session.execute(delete(AvailabilityWindow).where(AvailabilityWindow.advisor_id.in_(advisors)))
    session.execute(delete(Absence).where(Absence.advisor_id.in_(advisors)))
    session.execute(delete(advisor_site).where(advisor_site.c.staff_id.in_(advisors)))
    emails = [
        *emails,
        *session.scalars(select(StaffMember.email).where(StaffMember.id.in_(advisors))),
    ]
    session.execute(delete(StaffMember).where(StaffMember.id.in_(advisors)))
    session.execute(delete(LoginAttempt).where(LoginAttempt.email.in_(emails)))
    session.commit()

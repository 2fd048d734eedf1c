"""The named transitions of a dossier and its units (CCTP 1.2.6, 2.1).

    first appointment held ─▶ dossier ─▶ engage UO1 ─▶ (livrable signed) ─▶ engage UO2.1 ─▶ …
                                      └─▶ engage UO2.1 directly           UO2.2 only after UO2.1

Every function flushes, never commits, and raises `UnitError` with a code when the move is
not allowed. Closing (signature, written request, abandon) lives in `closing.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import (
    ClosureKind,
    ConsentMode,
    Dossier,
    Unit,
    UnitKind,
    UnitStatus,
)
from portal.advisor.numbering import consume_purchase_order, next_dossier_number
from portal.advisor.reference import check_values
from portal.advisor.rules import (
    REENGAGEMENT_MONTHS,
    add_months,
    unit_deadline,
)
from portal.booking.models import Appointment, AppointmentStatus, RequestStatus
from portal.clock import PARIS
from portal.network.models import StaffMember, StaffRole
from portal.orientation.uo0 import attach_contact_to_dossier
from portal.people.models import Beneficiary


@dataclass(frozen=True, slots=True)
class Consent:
    """The beneficiary's explicit consent to a unit: when they gave it, and how."""

    given_on: date
    mode: ConsentMode


@dataclass(frozen=True, slots=True)
class EntryData:
    """Annex 2 entry data, due at every engagement."""

    origine: str
    motif: str
    motif_detaille: str


# --- The first appointment --------------------------------------------------------------------


def mark_appointment_held(
    session: Session, appointment: Appointment, *, by: StaffMember, now: datetime
) -> Dossier:
    """The person came: the appointment is held, their request honoured, and their dossier
    opened (or found, when an earlier appointment of the request already opened it)."""
    _check_past_booked(appointment, now)
    appointment.status = AppointmentStatus.HELD
    if appointment.request is not None:
        appointment.request.status = RequestStatus.HONOURED
    # An earlier appointment of the same request (held, then a second one booked) already
    # opened the person's dossier: one request, one dossier.
    same_request = (
        Dossier.request_id == appointment.request_id
        if appointment.request_id is not None
        else Dossier.first_appointment_id == appointment.id
    )
    existing = session.scalar(
        select(Dossier)
        .where(same_request, Dossier.operator_id == appointment.operator_id)
        .order_by(Dossier.id)
        .limit(1)
    )
    if existing is not None:
        return existing
    dossier = open_dossier(
        session,
        beneficiary=appointment.beneficiary,
        operator_id=appointment.operator_id,
        advisor=by if by.role == StaffRole.ADVISOR else appointment.advisor,
        opened_on=appointment.starts_at.astimezone(PARIS).date(),
        site_id=appointment.site_id,
    )
    dossier.request_id = appointment.request_id
    dossier.first_appointment_id = appointment.id
    session.flush()
    attach_contact_to_dossier(session, dossier=dossier)  # its UO0, if any (issue 15 §2)
    return dossier


def mark_appointment_missed(session: Session, appointment: Appointment, *, now: datetime) -> None:
    """The person did not come; the request stays open for a new booking by the operator:
    back to « en attente » (so that it shows in the operator's waiting list, with its legal
    deadline unchanged) unless another appointment of the request is still booked or one
    was already held."""
    _check_past_booked(appointment, now)
    appointment.status = AppointmentStatus.MISSED
    request = appointment.request
    if request is not None and request.status == RequestStatus.BOOKED:
        others = [a for a in request.appointments if a.id != appointment.id]
        if not any(a.status in (AppointmentStatus.BOOKED, AppointmentStatus.HELD) for a in others):
            request.status = RequestStatus.WAITING
    session.flush()


def _check_past_booked(appointment: Appointment, now: datetime) -> None:
    if appointment.status != AppointmentStatus.BOOKED:
        raise UnitError(UnitErrorCode.APPOINTMENT_NOT_BOOKED, appointment.status)
    if appointment.starts_at > now:
        raise UnitError(UnitErrorCode.APPOINTMENT_IN_FUTURE)


# --- Dossiers and engagements -----------------------------------------------------------------


def open_dossier(
    session: Session,
    *,
    beneficiary: Beneficiary,
    operator_id: int,
    advisor: StaffMember,
    opened_on: date,
    site_id: int | None,
) -> Dossier:
    """A new accompaniment. Flagged as a re-engagement when the same person (e-mail and birth
    date) closed a unit with this operator in the three months before (indicator 6.8)."""
    dossier = Dossier(
        operator_id=operator_id,
        beneficiary=beneficiary,
        advisor_id=advisor.id,
        site_id=site_id,
        opened_on=opened_on,
        units=[],  # known empty: engaging its first unit needs no query to find out
    )
    dossier.reengagement_of_unit_id = _recent_closure(session, beneficiary, operator_id, opened_on)
    session.add(dossier)
    session.flush()
    return dossier


def _recent_closure(
    session: Session, beneficiary: Beneficiary, operator_id: int, on: date
) -> int | None:
    return session.scalar(
        select(Unit.id)
        .join(Dossier, Unit.dossier_id == Dossier.id)
        .join(Beneficiary, Dossier.beneficiary_id == Beneficiary.id)
        .where(
            Unit.operator_id == operator_id,
            Unit.status == UnitStatus.CLOSED,
            Unit.closed_on >= add_months(on, -REENGAGEMENT_MONTHS),
            Unit.closed_on <= on,
            func.lower(Beneficiary.email) == beneficiary.email.lower(),
            Beneficiary.birth_date == beneficiary.birth_date,
        )
        .order_by(Unit.closed_on.desc())
        .limit(1)
    )


def engage_unit(
    session: Session,
    dossier: Dossier,
    kind: UnitKind,
    *,
    engaged_on: date,
    consent: Consent,
    entry: EntryData,
    by: StaffMember,
    today: date,
    referent: StaffMember | None = None,
) -> Unit:
    """Engage UO1, UO2.1 or UO2.2 in this dossier, with the person's explicit consent.

    UO1 only opens a dossier; UO2.1 opens one or follows a signed UO1; UO2.2 only follows a
    signed UO2.1, with the same référent and the UO2.1's 18-month deadline. The référent
    unique is named at the UO2.1 engagement (the signed-in advisor unless another is named).
    """
    units = dossier.units
    if dossier.open_unit is not None:
        raise UnitError(UnitErrorCode.OPEN_UNIT, UnitKind(dossier.open_unit.kind).label)
    last = units[-1] if units else None
    uo21_engaged_on: date | None = None
    if kind == UnitKind.UO1 and last is not None:
        raise UnitError(UnitErrorCode.DOSSIER_HAS_UNITS)
    if kind == UnitKind.UO21 and last is not None and not _signed(last, UnitKind.UO1):
        raise UnitError(UnitErrorCode.UO21_NEEDS_SIGNED_UO1)
    if kind == UnitKind.UO22:
        if last is None or not _signed(last, UnitKind.UO21):
            raise UnitError(UnitErrorCode.UO22_NEEDS_SIGNED_UO21)
        uo21_engaged_on = last.engaged_on
        referent = last.advisor
    entry_values = {
        "origine": entry.origine,
        "motif": entry.motif,
        "motif_detaille": entry.motif_detaille,
    }
    empty = tuple(name for name, value in entry_values.items() if not value)
    if empty:  # Annex 2: the entry data is « Obligatoire » from the engagement on
        raise UnitError(UnitErrorCode.MISSING_FIELDS, ", ".join(empty), empty)
    start = max(dossier.opened_on, last.closed_on or dossier.opened_on) if last else None
    check_day(engaged_on, not_before=start or dossier.opened_on, today=today, field="engaged_on")
    check_day(consent.given_on, not_before=dossier.opened_on, today=today, field="consent_given_on")
    if consent.given_on > engaged_on:  # no unit is engaged before the person agreed to it
        raise UnitError(UnitErrorCode.DATE_BEFORE_START, "before consent", ("engaged_on",))
    deadline = unit_deadline(kind, engaged_on, uo21_engaged_on)
    if deadline < engaged_on:
        raise UnitError(UnitErrorCode.UO22_PAST_DEADLINE)
    check_values(session, entry_values)
    advisor = _advisor_for(kind, dossier, by, referent)
    operator = dossier.operator
    order, order_ref = consume_purchase_order(session, operator, kind, engaged_on)
    unit = Unit(
        dossier=dossier,
        operator_id=dossier.operator_id,
        advisor_id=advisor.id,
        kind=kind,
        number=next_dossier_number(session, operator, kind, engaged_on),
        purchase_order_id=order.id,
        purchase_order_ref=order_ref,
        engaged_on=engaged_on,
        deadline=deadline,
        status=UnitStatus.OPEN,
        consent_given_on=consent.given_on,
        consent_mode=consent.mode,
        consent_recorded_by_id=by.id,
        origine=entry.origine,
        motif=entry.motif,
        motif_detaille=entry.motif_detaille,
    )
    if kind == UnitKind.UO21:
        dossier.advisor_id = advisor.id  # the référent unique follows the person from now on
    session.add(unit)
    session.flush()
    return unit


def _signed(unit: Unit, kind: UnitKind) -> bool:
    return unit.kind == kind and unit.closure_kind == ClosureKind.SIGNED


def engageable_kinds(dossier: Dossier) -> tuple[UnitKind, ...]:
    """The units `engage_unit` would accept next in this dossier, dates aside: nothing while
    a unit is open; UO1 or UO2.1 in a new dossier; UO2.1 after a signed UO1; UO2.2 after a
    signed UO2.1. Empty when the accompaniment is over (a new start opens a new dossier)."""
    if dossier.open_unit is not None:
        return ()
    last = dossier.last_unit
    if last is None:
        return (UnitKind.UO1, UnitKind.UO21)
    if _signed(last, UnitKind.UO1):
        return (UnitKind.UO21,)
    if _signed(last, UnitKind.UO21):
        return (UnitKind.UO22,)
    return ()


def _advisor_for(
    kind: UnitKind, dossier: Dossier, by: StaffMember, referent: StaffMember | None
) -> StaffMember:
    chosen = referent or (by if by.role == StaffRole.ADVISOR else dossier.advisor)
    if (
        chosen.role != StaffRole.ADVISOR
        or not chosen.active
        or chosen.operator_id != dossier.operator_id
    ):
        raise UnitError(UnitErrorCode.REFERENT_NOT_ADVISOR)
    return chosen


def check_day(
    day: date, *, not_before: date, today: date, field: str, deadline: date | None = None
) -> None:
    """`field` names the date in the error, so that the view can say which one is wrong."""
    if day > today:
        raise UnitError(UnitErrorCode.DATE_IN_FUTURE, field, (field,))
    if day < not_before:
        raise UnitError(UnitErrorCode.DATE_BEFORE_START, field, (field,))
    if deadline is not None and day > deadline:
        raise UnitError(UnitErrorCode.DATE_AFTER_DEADLINE, field, (field,))

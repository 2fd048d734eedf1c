"""The named transitions of a dossier and its units (CCTP 1.2.6, 2.1).

    first appointment held ─▶ dossier ─▶ engage UO1 ─▶ (livrable signed) ─▶ engage UO2.1 ─▶ …
                                      └─▶ engage UO2.1 directly           UO2.2 only after UO2.1

Every function flushes, never commits, and raises `UnitError` with a code when the move is
not allowed. Closing (signature, written request, abandon) lives in `closing.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import (
    ClosureKind,
    ConsentMode,
    Dossier,
    Interaction,
    Unit,
    UnitKind,
    UnitStatus,
)
from portal.advisor.numbering import consume_purchase_order, next_dossier_number
from portal.advisor.reference import check_values, items
from portal.advisor.rules import (
    REENGAGEMENT_MONTHS,
    RULES_BY_NAME,
    Stage,
    add_months,
    required_fields,
    unit_deadline,
)
from portal.booking.models import Appointment, AppointmentStatus, Beneficiary, RequestStatus
from portal.clock import PARIS
from portal.network.models import StaffMember, StaffRole


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
    existing = session.scalar(select(Dossier).where(Dossier.first_appointment_id == appointment.id))
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
    return dossier


def mark_appointment_missed(session: Session, appointment: Appointment, *, now: datetime) -> None:
    """The person did not come; the request stays open for a new booking by the operator."""
    _check_past_booked(appointment, now)
    appointment.status = AppointmentStatus.MISSED
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
        raise UnitError(UnitErrorCode.OPEN_UNIT, dossier.open_unit.kind.label)
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
    start = max(dossier.opened_on, last.closed_on or dossier.opened_on) if last else None
    _check_day(engaged_on, not_before=start or dossier.opened_on, today=today)
    _check_day(consent.given_on, not_before=dossier.opened_on, today=today)
    deadline = unit_deadline(kind, engaged_on, uo21_engaged_on)
    if deadline < engaged_on:
        raise UnitError(UnitErrorCode.UO22_PAST_DEADLINE)
    check_values(
        session,
        {"origine": entry.origine, "motif": entry.motif, "motif_detaille": entry.motif_detaille},
    )
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


def _check_day(day: date, *, not_before: date, today: date, deadline: date | None = None) -> None:
    if day > today:
        raise UnitError(UnitErrorCode.DATE_IN_FUTURE)
    if day < not_before:
        raise UnitError(UnitErrorCode.DATE_BEFORE_START)
    if deadline is not None and day > deadline:
        raise UnitError(UnitErrorCode.DATE_AFTER_DEADLINE)


# --- What happens within a unit ---------------------------------------------------------------


def update_unit_data(session: Session, unit: Unit, values: dict[str, Any]) -> None:
    """Record Annex 2 fields (codes checked against the reference tables). A closed unit's
    data may still be completed or corrected: the exports need it right."""
    unknown = set(values) - set(RULES_BY_NAME) - {"motif_cloture"}
    if unknown or "motif_cloture" in values:
        raise ValueError(f"not editable here: {sorted(unknown | {'motif_cloture'} & set(values))}")
    check_values(session, values)
    for name, value in values.items():
        setattr(unit, name, value)
    session.flush()


def missing_fields(unit: Unit, stage: Stage) -> tuple[str, ...]:
    """Annex 2 fields required for this unit at this stage and still empty (the closure
    reason aside, which is chosen when closing)."""
    missing = []
    for rule in required_fields(unit.kind, stage):
        if rule.name == "motif_cloture":
            continue
        value = getattr(unit, rule.name)
        if value is None or value == "" or value == []:
            missing.append(rule.name)
    return tuple(missing)


def record_interaction(
    session: Session,
    unit: Unit,
    *,
    occurred_on: date,
    contact_mode: str,
    duration_minutes: int,
    by: StaffMember,
    today: date,
    service_type: str | None = None,
    notes: str = "",
    appointment: Appointment | None = None,
) -> Interaction:
    """An exchange of this unit, on a day between its engagement and its deadline."""
    if not unit.is_open:
        raise UnitError(UnitErrorCode.UNIT_CLOSED)
    _check_day(occurred_on, not_before=unit.engaged_on, today=today, deadline=unit.deadline)
    _check_code(session, "mode_contact", contact_mode)
    if service_type:
        _check_code(session, "type_service", service_type)
    interaction = Interaction(
        unit=unit,
        advisor_id=by.id,
        appointment_id=appointment.id if appointment else None,
        occurred_on=occurred_on,
        contact_mode=contact_mode,
        service_type=service_type or None,
        duration_minutes=duration_minutes,
        notes=notes,
    )
    session.add(interaction)
    session.flush()
    return interaction


def _check_code(session: Session, list_name: str, code: str) -> None:
    if code not in {item.code for item in items(session, list_name)}:
        raise UnitError(UnitErrorCode.UNKNOWN_CODE, list_name, (list_name,))

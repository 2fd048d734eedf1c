"""What happens within an engaged unit: its Annex 2 data, what is still missing, and its
interactions (Annex 2: « date(s) interaction(s) », « mode(s) de contact »)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import Interaction, Unit
from portal.advisor.reference import active_codes, check_values
from portal.advisor.rules import RULES_BY_NAME, Stage, required_fields
from portal.advisor.units import check_day
from portal.booking.models import Appointment
from portal.clock import now
from portal.network.models import StaffMember

# --- What happens within a unit ---------------------------------------------------------------


def update_unit_data(session: Session, unit: Unit, values: dict[str, Any]) -> None:
    """Record Annex 2 fields (codes checked against the reference tables). A closed unit's
    data may still be completed or corrected: the exports need it right."""
    unknown = set(values) - set(RULES_BY_NAME) - {"motif_cloture"}
    if unknown or "motif_cloture" in values:
        raise ValueError(f"not editable here: {sorted(unknown | {'motif_cloture'} & set(values))}")
    cleared = tuple(
        name
        for name, value in values.items()
        if value in (None, "", [])
        and RULES_BY_NAME[name].stage == Stage.ENGAGEMENT
        and unit.kind in RULES_BY_NAME[name].required_for
    )
    if cleared:  # the entry data, due since the engagement, may be corrected, not erased
        raise UnitError(UnitErrorCode.MISSING_FIELDS, ", ".join(cleared), cleared)
    # A detailed motive is checked against the motive the unit will have, changed or not.
    checked = dict(values)
    if "motif" in values or "motif_detaille" in values:
        checked.setdefault("motif", unit.motif)
        checked.setdefault("motif_detaille", unit.motif_detaille)
    check_values(session, checked)
    if any(getattr(unit, name) != value for name, value in values.items()):
        unit.data_updated_at = now()  # the daily Annex 2 export sends the dossier again
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
    check_day(
        occurred_on,
        not_before=unit.engaged_on,
        today=today,
        deadline=unit.deadline,
        field="occurred_on",
    )
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
    if code not in active_codes(session).get(list_name, {}):
        raise UnitError(UnitErrorCode.UNKNOWN_CODE, list_name, (list_name,))

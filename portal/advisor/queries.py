"""Read queries of the advisor's home and of the dossier page.

Each function is one SQL statement (eager loading, no lazy load afterwards), so that both
pages keep a fixed number of queries whatever the number of dossiers (issue 4 §8: at most
15). Plain queries over a Session; no Flask.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.advisor.models import Dossier, Unit, UnitStatus
from portal.booking.models import LIVE_STATUSES, Appointment, AppointmentStatus
from portal.livrables.models import Livrable, LivrableStatus
from portal.network.models import StaffMember, StaffRole

# The home lists every open unit of the advisor in one compact table; beyond this many
# (far more than a full-time caseload of ~300) it shows the first ones and says how many.
OPEN_UNITS_SHOWN = 500
DOSSIERS_TO_ENGAGE_SHOWN = 200


def advisor_appointments(
    session: Session, *, advisor_id: int, start: datetime, end: datetime, booked_since: datetime
) -> list[Appointment]:
    """The advisor's live appointments starting in [start, end), and the earlier ones
    (from `booked_since`) still « booked »: they wait for « tenu » or « absent »."""
    in_week = and_(
        Appointment.starts_at >= start,
        Appointment.starts_at < end,
        Appointment.status.in_(LIVE_STATUSES),
    )
    left_booked = and_(
        Appointment.starts_at >= booked_since,
        Appointment.starts_at < start,
        Appointment.status == AppointmentStatus.BOOKED,
    )
    return list(
        session.scalars(
            select(Appointment)
            .where(Appointment.advisor_id == advisor_id, or_(in_week, left_booked))
            .options(joinedload(Appointment.beneficiary), joinedload(Appointment.site))
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def dossiers_of_appointments(
    session: Session, appointments: Sequence[Appointment]
) -> dict[int, int]:
    """appointment id → the dossier its holding opened (or the one of its request)."""
    held = [a for a in appointments if a.status == AppointmentStatus.HELD]
    if not held:
        return {}
    ids = [a.id for a in held]
    request_ids = [a.request_id for a in held if a.request_id is not None]
    rows = session.execute(
        select(Dossier.id, Dossier.first_appointment_id, Dossier.request_id)
        .where(or_(Dossier.first_appointment_id.in_(ids), Dossier.request_id.in_(request_ids)))
        .order_by(Dossier.id)
    ).all()
    by_appointment = {row.first_appointment_id: row.id for row in rows}
    by_request: dict[int, int] = {}
    for row in rows:
        if row.request_id is not None:
            by_request.setdefault(row.request_id, row.id)
    found: dict[int, int] = {}
    for appointment in held:
        dossier_id = by_appointment.get(appointment.id) or (
            by_request.get(appointment.request_id) if appointment.request_id else None
        )
        if dossier_id is not None:
            found[appointment.id] = dossier_id
    return found


def open_units(session: Session, *, advisor_id: int, limit: int = OPEN_UNITS_SHOWN) -> list[Unit]:
    """The advisor's open units, the closest deadline first, with their dossier and person."""
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.advisor_id == advisor_id, Unit.status == UnitStatus.OPEN)
            .options(joinedload(Unit.dossier).joinedload(Dossier.beneficiary))
            .order_by(Unit.deadline, Unit.id)
            .limit(limit)
        )
    )


def dossiers_to_engage(
    session: Session, *, advisor_id: int, limit: int = DOSSIERS_TO_ENGAGE_SHOWN
) -> list[Dossier]:
    """Dossiers of the advisor opened at a held first appointment, with no unit yet."""
    has_unit = exists().where(Unit.dossier_id == Dossier.id)
    return list(
        session.scalars(
            select(Dossier)
            .where(Dossier.advisor_id == advisor_id, ~has_unit)
            .options(joinedload(Dossier.beneficiary))
            .order_by(Dossier.opened_on, Dossier.id)
            .limit(limit)
        )
    )


def dossier_for_page(session: Session, dossier_id: int) -> Dossier | None:
    """A dossier with everything its page shows: person, advisor, site, first appointment,
    request, the unit it re-engages after, its Annex 2 profile, and its units with their advisor
    and interactions."""
    return session.scalars(
        select(Dossier)
        .where(Dossier.id == dossier_id)
        .options(
            joinedload(Dossier.beneficiary),
            joinedload(Dossier.advisor),
            joinedload(Dossier.site),
            joinedload(Dossier.first_appointment),
            joinedload(Dossier.request),  # its motive, for the engagement form
            joinedload(Dossier.reengagement_of),
            joinedload(Dossier.profile),
            selectinload(Dossier.units).options(
                joinedload(Unit.advisor), selectinload(Unit.interactions)
            ),
        )
    ).first()


def staff_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Names of the staff who recorded a consent or closed a unit."""
    if not ids:
        return {}
    rows = session.execute(
        select(StaffMember.id, StaffMember.full_name).where(StaffMember.id.in_(ids))
    ).all()
    return {row.id: row.full_name for row in rows}


def livrable_statuses(session: Session, unit_ids: Sequence[int]) -> dict[int, LivrableStatus]:
    if not unit_ids:
        return {}
    rows = session.execute(
        select(Livrable.unit_id, Livrable.status).where(Livrable.unit_id.in_(unit_ids))
    ).all()
    return {row.unit_id: LivrableStatus(row.status) for row in rows}


def active_advisors(session: Session, operator_id: int) -> list[StaffMember]:
    """The operator's active advisors: who may be named référent unique."""
    return list(
        session.scalars(
            select(StaffMember)
            .where(
                StaffMember.operator_id == operator_id,
                StaffMember.role == StaffRole.ADVISOR,
                StaffMember.active.is_(True),
            )
            .order_by(StaffMember.full_name, StaffMember.id)
        )
    )

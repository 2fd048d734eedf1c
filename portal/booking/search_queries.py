"""The queries of the slot search: which slots are free, in which scope, soonest first.

A free slot is one not withdrawn and without a live appointment (NOT EXISTS on the partial
unique index of appointments). Scopes are SQL conditions: the person's area, remote slots,
every site of the lot, or a closer site of a neighbouring lot.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.booking.models import LIVE_SQL, Appointment, Slot
from portal.locator.services import sphere_km
from portal.network.models import Modality, Operator, Site

# How many earliest slots the search shows, one per site or remote modality.
EARLIEST_SHOWN = 6
# A neighbouring lot's site is offered only when this close to the person (CCTP 1.2.4: the
# competent operator is the rule, this the exception).
NEIGHBOUR_RADIUS_KM = 40.0
REMOTE = (Modality.TELEPHONE, Modality.VISIO)


def live_appointment() -> ColumnElement[bool]:
    return exists().where(Appointment.slot_id == Slot.id, LIVE_SQL)


def free_in(
    scope: ColumnElement[bool], start: datetime, end: datetime
) -> tuple[ColumnElement[bool], ...]:
    """Slots of the scope, not withdrawn, without a live appointment, starting in [start, end)."""
    return (
        scope,
        Slot.withdrawn_at.is_(None),
        Slot.starts_at >= start,
        Slot.starts_at < end,
        ~live_appointment(),
    )


def free(
    session: Session, scope: ColumnElement[bool], start: datetime, end: datetime, limit: int | None
) -> list[Slot]:
    query: Select[Slot] = (
        select(Slot)
        .where(*free_in(scope, start, end))
        .order_by(Slot.starts_at, Slot.id)
        .options(joinedload(Slot.site))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def earliest(
    session: Session, scope: ColumnElement[bool], start: datetime, end: datetime
) -> list[Slot]:
    """The first free slots of each site (and of remote-only windows): one query."""
    rank = (
        func.row_number()
        .over(partition_by=Slot.site_id, order_by=(Slot.starts_at, Slot.id))
        .label("rank")
    )
    ranked = select(Slot.id, rank).where(*free_in(scope, start, end)).subquery()
    return list(
        session.scalars(
            select(Slot)
            .join(ranked, ranked.c.id == Slot.id)
            .where(ranked.c.rank <= 2)
            .order_by(Slot.starts_at, Slot.id)
            .limit(EARLIEST_SHOWN * 4)
            .options(joinedload(Slot.site))
        )
    )


def modality_scope(
    modality: Modality | None, remote_ok: bool, area_ids: list[int]
) -> ColumnElement[bool]:
    in_person = and_(Slot.offers_presentiel, Slot.site_id.in_(area_ids)) if area_ids else false()
    if modality is Modality.PRESENTIEL:
        return in_person
    if modality is Modality.TELEPHONE:
        return Slot.offers_telephone.is_(True)
    if modality is Modality.VISIO:
        return Slot.offers_visio.is_(True)
    if remote_ok:
        return or_(in_person, Slot.offers_telephone, Slot.offers_visio)
    return in_person


def scope(
    operator_id: int,
    area_ids: list[int],
    remote_ok: bool,
    modality: Modality | None,
    site_id: int | None,
) -> ColumnElement[bool]:
    """The person's area (and remote slots when offered), narrowed by their filters."""
    condition = and_(Slot.operator_id == operator_id, modality_scope(modality, remote_ok, area_ids))
    if site_id is not None:
        condition = and_(condition, Slot.site_id == site_id)
    return condition


def widened_scope(
    operator_id: int, *, remote: bool, modality: Modality | None
) -> ColumnElement[bool]:
    """Remote slots anywhere in the lot, or in person at any of its sites."""
    if remote:
        return and_(Slot.operator_id == operator_id, or_(Slot.offers_telephone, Slot.offers_visio))
    if modality in REMOTE:
        return false()
    return and_(Slot.operator_id == operator_id, Slot.offers_presentiel, Slot.site_id.is_not(None))


def remote_allowed(
    session: Session,
    operator: Operator,
    area_ids: list[int],
    start: datetime,
    end: datetime,
) -> bool:
    """Sauléa L1013: remote only when no in-person slot is free within N days in the area."""
    days = operator.in_person_first_days
    if days <= 0 or not area_ids:
        return True
    horizon = min(end, start + timedelta(days=days))
    in_person = session.scalar(
        select(Slot.id)
        .where(
            Slot.operator_id == operator.id,
            *free_in(and_(Slot.site_id.in_(area_ids), Slot.offers_presentiel), start, horizon),
        )
        .limit(1)
    )
    return in_person is None


def neighbour_lot(
    session: Session,
    operator: Operator,
    latitude: float,
    longitude: float,
    start: datetime,
    end: datetime,
) -> tuple[Operator | None, ColumnElement[bool], list[Slot]]:
    rows = session.execute(
        select(Site.id, Site.operator_id, Site.latitude, Site.longitude).where(
            Site.operator_id != operator.id, Site.active.is_(True), Site.offers_presentiel
        )
    ).all()
    near = sorted(
        (sphere_km(latitude, longitude, r.latitude, r.longitude), r.id, r.operator_id) for r in rows
    )
    close = [(km, sid, oid) for km, sid, oid in near if km <= NEIGHBOUR_RADIUS_KM][:5]
    if not close:
        return None, false(), []
    scope = and_(Slot.site_id.in_([sid for _, sid, _ in close]), Slot.offers_presentiel)
    found = earliest(session, scope, start, end)
    if not found:
        return None, false(), []
    neighbour = session.get(Operator, found[0].operator_id)
    scope = and_(scope, Slot.operator_id == found[0].operator_id)
    return neighbour, scope, [s for s in found if s.operator_id == found[0].operator_id]

"""The queries of the slot search: which slots are free, in which scope, soonest first.

A free slot is one not withdrawn and without a live appointment (NOT EXISTS on the partial
unique index of appointments). Scopes are SQL conditions: the person's area, remote slots,
every site of the lot, or a closer site of a neighbouring lot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased, joinedload

from portal.booking.models import LIVE_SQL, Appointment, Slot
from portal.locator.services import sphere_km
from portal.network.models import Modality, Operator, Site

# How many earliest slots the search shows, one per site or remote modality.
EARLIEST_SHOWN = 6
# A neighbouring lot's site is offered only when this close to the person (CCTP 1.2.4: the
# competent operator is the rule, this the exception).
NEIGHBOUR_RADIUS_KM = 40.0
REMOTE = (Modality.TELEPHONE, Modality.VISIO)


@dataclass(frozen=True)
class Scope:
    """Where the search looks: slots in person at some sites, and remote slots.

    `condition` is the whole scope (the week's query); `sites` the sites searched in person
    (each probed on its own for its first free slots), `in_person` and `remote` the two parts
    of the condition, or None when the scope has no such part.
    """

    condition: ColumnElement[bool]
    sites: Select[Any] | None = None
    in_person: ColumnElement[bool] | None = None
    remote: ColumnElement[bool] | None = None

    def narrowed(self, condition: ColumnElement[bool]) -> Scope:
        return Scope(
            and_(self.condition, condition),
            self.sites,
            None if self.in_person is None else and_(self.in_person, condition),
            None if self.remote is None else and_(self.remote, condition),
        )


NOWHERE = Scope(false())


def _scope(
    in_person: ColumnElement[bool] | None,
    sites: Select[Any] | None,
    remote: ColumnElement[bool] | None,
) -> Scope:
    parts = [part for part in (in_person, remote) if part is not None]
    if not parts:
        return NOWHERE
    condition = parts[0] if len(parts) == 1 else or_(*parts)
    return Scope(condition, sites if in_person is not None else None, in_person, remote)


def live_appointment() -> ColumnElement[bool]:
    return exists().where(Appointment.slot_id == Slot.id, LIVE_SQL)


def free_in(
    scope: ColumnElement[bool], start: datetime, end: datetime
) -> tuple[ColumnElement[bool], ...]:
    """Slots of the scope, not withdrawn, without a live appointment, starting in [start, end)."""
    return (
        scope,
        Slot.withdrawn_at.is_(None),
        Slot.created_by_id.is_(None),  # a one-off slot is made for one person only
        Slot.starts_at >= start,
        Slot.starts_at < end,
        ~live_appointment(),
    )


def week_choices(
    session: Session,
    scope: Scope,
    start: datetime,
    end: datetime,
    *,
    sites: list[int] | None,
    in_person: bool,
    telephone: bool,
    visio: bool,
    moments: list[tuple[datetime, datetime]] | None,
) -> list[Slot]:
    """The free slots of [start, end) as choices: only those offering the person a modality
    (in person at `sites`, None for any site; by telephone or visio), starting in one of the
    `moments` when given, and one slot per time and place (the lowest id: two advisors free
    at once make one choice), soonest first."""
    presentiel = (
        and_(
            Slot.offers_presentiel,
            Slot.site_id.is_not(None) if sites is None else Slot.site_id.in_(sites),
        )
        if in_person
        else false()
    )
    by_phone = Slot.offers_telephone.is_(True) if telephone else false()
    by_visio = Slot.offers_visio.is_(True) if visio else false()
    conditions = [*free_in(scope.condition, start, end), or_(presentiel, by_phone, by_visio)]
    if moments is not None:
        conditions.append(
            or_(*(and_(Slot.starts_at >= a, Slot.starts_at < b) for a, b in moments))
            if moments
            else false()
        )
    # Where the person would go: the site when they may come in person, else the remote
    # modalities open to them (where the advisor sits does not matter then).
    remote_only = ~presentiel if in_person else true()
    choice = (
        func.row_number()
        .over(
            partition_by=(
                Slot.starts_at,
                case((presentiel, Slot.site_id), else_=None),
                case((remote_only, by_phone), else_=None),
                case((remote_only, by_visio), else_=None),
            ),
            order_by=Slot.id,
        )
        .label("choice")
    )
    ranked = select(Slot, choice).where(*conditions).subquery("week_slot")
    slot = aliased(Slot, ranked)
    return list(
        session.scalars(
            select(slot)
            .where(ranked.c.choice == 1)
            .order_by(slot.starts_at, slot.id)
            .options(joinedload(slot.site))
        )
    )


def earliest(session: Session, scope: Scope, start: datetime, end: datetime) -> list[Slot]:
    """The first free slots of each site searched in person, and the first remote ones.

    On PostgreSQL one LATERAL probe per site (`ix_slot_site_starts_at`, two rows each) and one
    ordered remote query (`ix_slot_operator_starts_at`): each stops at its first free slots
    whatever the lot's size or history. SQLite has no LATERAL: it ranks the scope's free
    slots by site, as the search did before.
    """
    if session.get_bind().dialect.name != "postgresql":
        return _earliest_ranked(session, scope.condition, start, end)
    parts: list[Select[Any]] = []
    if scope.sites is not None and scope.in_person is not None:
        sites = scope.sites.subquery("searched_site")
        first = (
            select(Slot.id)
            .where(Slot.site_id == sites.c.id, *free_in(scope.in_person, start, end))
            .order_by(Slot.starts_at, Slot.id)
            .limit(2)
            .lateral("first_free")
        )
        parts.append(select(first.c.id).select_from(sites).join(first, true()))
    if scope.remote is not None:
        parts.append(
            select(Slot.id)
            .where(*free_in(scope.remote, start, end))
            .order_by(Slot.starts_at, Slot.id)
            .limit(EARLIEST_SHOWN * 4)
        )
    if not parts:
        return []
    found = union_all(*parts).subquery("found") if len(parts) > 1 else parts[0].subquery("found")
    return list(
        session.scalars(
            select(Slot)
            .where(Slot.id.in_(select(found.c.id)))
            .order_by(Slot.starts_at, Slot.id)
            .limit(EARLIEST_SHOWN * 4)
            .options(joinedload(Slot.site))
        )
    )


def _earliest_ranked(
    session: Session, condition: ColumnElement[bool], start: datetime, end: datetime
) -> list[Slot]:
    rank = (
        func.row_number()
        .over(partition_by=Slot.site_id, order_by=(Slot.starts_at, Slot.id))
        .label("rank")
    )
    ranked = select(Slot.id, rank).where(*free_in(condition, start, end)).subquery()
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


def _area_sites(area_ids: list[int]) -> Select[Any]:
    return select(Site.id).where(Site.id.in_(area_ids))


def scope(
    operator_id: int,
    area_ids: list[int],
    remote_ok: bool,
    modality: Modality | None,
    site_id: int | None,
) -> Scope:
    """The person's area (and remote slots when offered), narrowed by their filters."""
    in_person: ColumnElement[bool] | None = None
    remote: ColumnElement[bool] | None = None
    if area_ids and modality in (None, Modality.PRESENTIEL):
        in_person = and_(Slot.offers_presentiel, Slot.site_id.in_(area_ids))
    if modality is Modality.TELEPHONE:
        remote = Slot.offers_telephone.is_(True)
    elif modality is Modality.VISIO:
        remote = Slot.offers_visio.is_(True)
    elif modality is None and remote_ok:
        remote = or_(Slot.offers_telephone, Slot.offers_visio)
    # A site filter narrows the sites probed too: only that one, if it is in the area.
    probed = area_ids if site_id is None else [i for i in area_ids if i == site_id]
    found = _scope(in_person, _area_sites(probed), remote)
    if found is NOWHERE:
        return found
    found = found.narrowed(Slot.operator_id == operator_id)
    return found if site_id is None else found.narrowed(Slot.site_id == site_id)


def widened_scope(operator_id: int, *, remote: bool, modality: Modality | None) -> Scope:
    """Remote slots anywhere in the lot, or in person at any of its sites."""
    if remote:
        return _scope(
            None,
            None,
            and_(Slot.operator_id == operator_id, or_(Slot.offers_telephone, Slot.offers_visio)),
        )
    if modality in REMOTE:
        return NOWHERE
    sites = select(Site.id).where(Site.operator_id == operator_id)
    in_person = and_(
        Slot.operator_id == operator_id, Slot.offers_presentiel, Slot.site_id.is_not(None)
    )
    return _scope(in_person, sites, None)


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
) -> tuple[Operator | None, Scope, list[Slot]]:
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
        return None, NOWHERE, []
    ids = [sid for _, sid, _ in close]
    near_scope = _scope(and_(Slot.site_id.in_(ids), Slot.offers_presentiel), _area_sites(ids), None)
    found = earliest(session, near_scope, start, end)
    if not found:
        return None, NOWHERE, []
    neighbour = session.get(Operator, found[0].operator_id)
    near_scope = near_scope.narrowed(Slot.operator_id == found[0].operator_id)
    return neighbour, near_scope, [s for s in found if s.operator_id == found[0].operator_id]

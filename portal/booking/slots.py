"""Materialise advisors' recurring availability into concrete slots over a rolling horizon.

`materialise_slots` is idempotent: it computes the slots the windows call for, inserts the
missing ones (the unique (advisor, start) constraint makes a concurrent run harmless), withdraws
future slots nothing calls for any more (an absence, a closure, a holiday, a changed window) and
restores those called for again. Past slots are never touched. On PostgreSQL an advisory lock
per operator makes runs from several hosts queue rather than race.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from portal import clock
from portal.booking.calendar import TERRITORIES, Territory, is_public_holiday, territory_for_insee
from portal.booking.models import LIVE_STATUSES, Absence, Appointment, AvailabilityWindow, Slot
from portal.network.models import Operator, Site, StaffMember
from portal.network.territory import LOT_BY_NUMBER

# The holiday territory of remote work, by lot, when the advisor has no site (overseas lots).
_LOT_TERRITORY = {13: "la-reunion", 14: "guadeloupe", 15: "martinique", 17: "guyane", 18: "mayotte"}
_LOCK_NAMESPACE = 7301  # pg_advisory_xact_lock(namespace, operator_id)


@dataclass
class MaterialiseReport:
    created: int = 0
    withdrawn: int = 0
    restored: int = 0
    # Live appointments whose slot was withdrawn: the manager must move them.
    conflicts: list[int] = field(default_factory=list)

    def add(self, other: MaterialiseReport) -> None:
        self.created += other.created
        self.withdrawn += other.withdrawn
        self.restored += other.restored
        self.conflicts.extend(other.conflicts)


@dataclass(frozen=True, slots=True)
class Wanted:
    advisor_id: int
    starts_at: datetime
    ends_at: datetime
    site_id: int | None
    window_id: int
    modalities: tuple[bool, bool, bool]


def operator_timezone(operator: Operator) -> ZoneInfo:
    return ZoneInfo(LOT_BY_NUMBER[operator.lot_number].timezone)


def operator_territory(operator: Operator) -> Territory:
    return TERRITORIES[_LOT_TERRITORY.get(operator.lot_number, "metropole")]


def site_territory(site: Site) -> Territory:
    return territory_for_insee(site.commune_insee)


def materialise_slots(
    session: Session,
    *,
    today: date,
    horizon_days: int = 63,
    operator_id: int | None = None,
    now: datetime | None = None,
) -> MaterialiseReport:
    """Bring the slots of one operator (or all) in line with availability, from today on."""
    now = now or clock.now()
    query = select(Operator).where(Operator.active.is_(True)).order_by(Operator.id)
    if operator_id is not None:
        query = query.where(Operator.id == operator_id)
    report = MaterialiseReport()
    for operator in session.scalars(query).all():
        report.add(_materialise_operator(session, operator, today, horizon_days, now))
    return report


def _materialise_operator(
    session: Session, operator: Operator, today: date, horizon_days: int, now: datetime
) -> MaterialiseReport:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(_LOCK_NAMESPACE, operator.id)))
    last = today + timedelta(days=horizon_days)
    wanted = {(w.advisor_id, w.starts_at): w for w in _wanted(session, operator, today, last, now)}
    tz = operator_timezone(operator)
    window_start = datetime.combine(today, time(0), tz).astimezone(UTC)
    window_end = datetime.combine(last + timedelta(days=1), time(0), tz).astimezone(UTC)
    existing = session.execute(
        select(
            Slot.id,
            Slot.advisor_id,
            Slot.starts_at,
            Slot.ends_at,
            Slot.site_id,
            Slot.window_id,
            Slot.offers_presentiel,
            Slot.offers_telephone,
            Slot.offers_visio,
            Slot.withdrawn_at,
        ).where(
            Slot.operator_id == operator.id,
            Slot.created_by_id.is_(None),  # one-off slots are staff's, not the windows'
            Slot.starts_at >= max(now, window_start),
            Slot.starts_at < window_end,
        )
    ).all()
    report = MaterialiseReport()
    seen: set[tuple[int, datetime]] = set()
    withdrawn_ids: list[int] = []
    changes: list[dict[str, object]] = []
    for row in existing:
        key = (row.advisor_id, row.starts_at)
        seen.add(key)
        want = wanted.get(key)
        if want is None:
            if row.withdrawn_at is None:
                changes.append({"id": row.id, "withdrawn_at": now})
                withdrawn_ids.append(row.id)
                report.withdrawn += 1
            continue
        current = (
            row.ends_at,
            row.site_id,
            row.window_id,
            (row.offers_presentiel, row.offers_telephone, row.offers_visio),
        )
        if row.withdrawn_at is None and current == (
            want.ends_at,
            want.site_id,
            want.window_id,
            want.modalities,
        ):
            continue
        if row.withdrawn_at is not None:
            report.restored += 1
        changes.append(
            {
                "id": row.id,
                "withdrawn_at": None,
                "ends_at": want.ends_at,
                "site_id": want.site_id,
                "window_id": want.window_id,
                "offers_presentiel": want.modalities[0],
                "offers_telephone": want.modalities[1],
                "offers_visio": want.modalities[2],
            }
        )
    for change in changes:  # rows differ in their keys: one UPDATE each, rare after the first run
        session.execute(update(Slot).where(Slot.id == change["id"]).values(**change))
    rows = [
        {
            "advisor_id": w.advisor_id,
            "operator_id": operator.id,
            "site_id": w.site_id,
            "window_id": w.window_id,
            "starts_at": w.starts_at,
            "ends_at": w.ends_at,
            "offers_presentiel": w.modalities[0],
            "offers_telephone": w.modalities[1],
            "offers_visio": w.modalities[2],
        }
        for key, w in wanted.items()
        if key not in seen
    ]
    report.created = _insert_ignoring_duplicates(session, rows)
    if withdrawn_ids:
        report.conflicts = list(
            session.scalars(
                select(Appointment.id).where(
                    Appointment.slot_id.in_(withdrawn_ids), Appointment.status.in_(LIVE_STATUSES)
                )
            )
        )
    return report


def _insert_ignoring_duplicates(session: Session, rows: Sequence[Mapping[str, object]]) -> int:
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    created = 0
    for start in range(0, len(rows), 2000):
        statement = (
            insert(Slot)
            .on_conflict_do_nothing(index_elements=["advisor_id", "starts_at"])
            .returning(Slot.id)
        )
        # RETURNING gives back only the rows inserted: the count of what this run created.
        created += len(session.scalars(statement, rows[start : start + 2000]).all())
    return created


def _wanted(
    session: Session, operator: Operator, first: date, last: date, now: datetime
) -> Iterator[Wanted]:
    windows = session.scalars(
        select(AvailabilityWindow)
        .join(StaffMember, StaffMember.id == AvailabilityWindow.advisor_id)
        .where(
            AvailabilityWindow.operator_id == operator.id,
            StaffMember.active.is_(True),
            AvailabilityWindow.valid_from <= last,
            (AvailabilityWindow.valid_until.is_(None)) | (AvailabilityWindow.valid_until >= first),
        )
        .options(
            selectinload(AvailabilityWindow.site).selectinload(Site.hours),
            selectinload(AvailabilityWindow.site).selectinload(Site.closures),
            selectinload(AvailabilityWindow.advisor).selectinload(StaffMember.sites),
        )
    ).all()
    absences: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for absence in session.scalars(
        select(Absence).where(
            Absence.advisor_id.in_({w.advisor_id for w in windows}),
            Absence.ends_on >= first,
            Absence.starts_on <= last,
        )
    ):
        absences[absence.advisor_id].append((absence.starts_on, absence.ends_on))
    tz = operator_timezone(operator)
    by_advisor: dict[int, list[Wanted]] = defaultdict(list)
    for window in windows:
        by_advisor[window.advisor_id].extend(
            _window_slots(window, operator, tz, first, last, absences[window.advisor_id], now)
        )
    for slots in by_advisor.values():
        # Two windows of one advisor that overlap must not give two slots at once.
        end = datetime.min.replace(tzinfo=UTC)
        for wanted in sorted(slots, key=lambda w: w.starts_at):
            if wanted.starts_at >= end:
                yield wanted
                end = wanted.ends_at


def _window_slots(
    window: AvailabilityWindow,
    operator: Operator,
    tz: ZoneInfo,
    first: date,
    last: date,
    absences: list[tuple[date, date]],
    now: datetime,
) -> Iterator[Wanted]:
    site = window.site
    if site is not None:
        territory = site_territory(site)
    elif window.advisor.sites:
        territory = site_territory(window.advisor.sites[0])
    else:
        territory = operator_territory(operator)
    start = max(first, window.valid_from)
    end = min(last, window.valid_until or last)
    start += timedelta(days=(window.weekday - start.weekday()) % 7)
    length = timedelta(minutes=window.slot_minutes)
    modalities = (window.offers_presentiel, window.offers_telephone, window.offers_visio)
    day = start
    while day <= end:
        if _available(day, window, site, territory, absences):
            for opens, closes in _ranges(window, site):
                moment = datetime.combine(day, opens, tz)
                finish = datetime.combine(day, closes, tz)
                while moment + length <= finish:
                    starts_at = moment.astimezone(UTC)
                    if starts_at > now:
                        yield Wanted(
                            window.advisor_id,
                            starts_at,
                            (moment + length).astimezone(UTC),
                            window.site_id,
                            window.id,
                            modalities,
                        )
                    moment += length
        day += timedelta(days=7)


def _available(
    day: date,
    window: AvailabilityWindow,
    site: Site | None,
    territory: Territory,
    absences: list[tuple[date, date]],
) -> bool:
    if is_public_holiday(day, territory):
        return False
    if any(start <= day <= end for start, end in absences):
        return False
    if site is None:
        return True
    if not site.active:
        return False
    return not any(c.starts_on <= day <= c.ends_on for c in site.closures)


def _ranges(window: AvailabilityWindow, site: Site | None) -> list[tuple[time, time]]:
    """The parts of the window when the site is open (all of it for remote work)."""
    if site is None:
        return [(window.starts, window.ends)]
    ranges = []
    for hours in site.hours:
        if hours.weekday != window.weekday:
            continue
        opens, closes = max(window.starts, hours.opens), min(window.ends, hours.closes)
        if opens < closes:
            ranges.append((opens, closes))
    return ranges

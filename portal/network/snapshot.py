"""The network (active operators, their active sites and opening hours) held in memory.

Each worker process keeps one immutable snapshot per database engine. Every use reads
`network_version` (one SELECT of one row) and rebuilds the snapshot when the value differs
from the one it was built from: database triggers change that value in the same transaction
as any write to an operator, a site, its hours or closures (migration 0015), so a manager's
edit committed through one worker is seen by every worker on its next request. Rebuilding
takes three more SELECTs (≈ 800 sites and their hours) and happens under a lock, once per
change; readers never lock in the steady state (the snapshot is swapped whole).
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from sqlalchemy import Connection, Engine, create_engine, select
from sqlalchemy.orm import Session

from portal.geo.distance import PointSet
from portal.network.hours import DayHours, meets_extended_hours_rule, week_schedule
from portal.network.models import Modality, OpeningHours, Operator, Site, SiteKind


@dataclass(frozen=True, slots=True)
class HoursView:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True, slots=True)
class SiteView:
    """What the public pages show of an active site (the `Site` columns of the same names)."""

    id: int
    operator_id: int
    name: str
    kind: SiteKind
    street: str
    postal_code: str
    commune_insee: str
    commune_name: str
    latitude: float
    longitude: float
    offers_presentiel: bool
    offers_telephone: bool
    offers_visio: bool
    step_free_access: bool
    access_note: str
    phone: str
    email: str
    version: int
    hours: tuple[HoursView, ...]
    # Worked out once per snapshot rather than on every answer that shows the site.
    schedule: tuple[DayHours, ...] = field(init=False)
    meets_extended_hours_rule: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", tuple(week_schedule(self.hours)))
        object.__setattr__(self, "meets_extended_hours_rule", meets_extended_hours_rule(self.hours))

    @property
    def modalities(self) -> list[Modality]:
        offered = (
            (self.offers_presentiel, Modality.PRESENTIEL),
            (self.offers_telephone, Modality.TELEPHONE),
            (self.offers_visio, Modality.VISIO),
        )
        return [modality for flag, modality in offered if flag]


@dataclass(frozen=True, slots=True)
class OperatorView:
    id: int
    code: str
    lot_number: int
    name: str
    website: str
    phone: str
    email: str
    postal_address: str


@dataclass(frozen=True, slots=True)
class NetworkSnapshot:
    version: int | None
    operator_by_lot: Mapping[int, OperatorView]
    sites: Mapping[int, SiteView]
    # Per operator id: its active sites as (id, latitude, longitude), for the distances.
    points: Mapping[int, PointSet]


_SITE_COLUMNS = [
    f.name for f in SiteView.__dataclass_fields__.values() if f.init and f.name != "hours"
]
_OPERATOR_COLUMNS = list(OperatorView.__dataclass_fields__)


_VERSION_SQL = "SELECT version FROM network_version WHERE id = 1"


def driver_version(connection: Connection) -> int | None:
    """The same SELECT sent on the driver's cursor: this check runs on every public request,
    and SQLAlchemy's execution layer costs more than the round trip itself (0.18 ms of a
    locate's 1.07 at p50, bench/RESULTS.md). Statement counters hooked on the engine's events
    do not see it: `NetworkCache.version_checks` counts it instead."""
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return None if row is None else int(row[0])


def load_snapshot(session: Connection | Session, version: int | None) -> NetworkSnapshot:
    """Read the network; `version` must have been read before (each statement then sees at
    least that state: a newer one only makes the next check reload once more)."""
    operator_table, site_table = Operator.__table__, Site.__table__
    operators: dict[int, OperatorView] = {}
    for row in session.execute(
        select(*(operator_table.c[name] for name in _OPERATOR_COLUMNS))
        .where(operator_table.c.active.is_(True))
        .order_by(operator_table.c.id)
    ):
        operators.setdefault(row.lot_number, OperatorView(**row._mapping))  # the first active one
    hours: dict[int, list[HoursView]] = defaultdict(list)
    for row in session.execute(
        select(OpeningHours.site_id, OpeningHours.weekday, OpeningHours.opens, OpeningHours.closes)
        .join(Site, Site.id == OpeningHours.site_id)
        .where(Site.active.is_(True))
        .order_by(OpeningHours.site_id, OpeningHours.weekday, OpeningHours.opens)
    ):
        hours[row.site_id].append(HoursView(row.weekday, row.opens, row.closes))
    sites: dict[int, SiteView] = {}
    points: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for row in session.execute(
        select(*(site_table.c[name] for name in _SITE_COLUMNS))
        .where(site_table.c.active.is_(True))
        .order_by(site_table.c.id)
    ):
        site = SiteView(**row._mapping, hours=tuple(hours.get(row.id, ())))
        sites[site.id] = site
        points[site.operator_id].append((site.id, site.latitude, site.longitude))
    return NetworkSnapshot(
        version=version,
        operator_by_lot=operators,
        sites=sites,
        points={operator_id: PointSet(found) for operator_id, found in points.items()},
    )


class NetworkCache:
    """One worker's snapshot of one database's network, safe to share between threads.

    A request whose session holds no transaction yet (the public pages, the API) reads the
    version on a connection in autocommit: no BEGIN or ROLLBACK round trip, and only
    committed states are ever cached. A session already in a transaction is read through.
    """

    def __init__(self, engine: Engine) -> None:
        # SQLite has no round trips to save, and its connections keep their own transaction
        # handling (`portal.db`), which resetting an AUTOCOMMIT connection would undo.
        sqlite = engine.dialect.name == "sqlite"
        # PostgreSQL: a small pool of its own, in autocommit and without the application
        # pool's pre-ping, which would cost a second round trip on every request (0.1 ms at
        # p50, bench/RESULTS.md). A connection that died is replaced and the check retried.
        self._checks = (
            engine
            if sqlite
            else create_engine(
                engine.url,
                isolation_level="AUTOCOMMIT",
                pool_pre_ping=False,
                pool_size=1,
                max_overflow=15,
            )
        )
        if self._checks is not engine:
            # Its connections are closed with the application's engine, never left open.
            weakref.finalize(engine, self._checks.dispose)
        self._snapshot: NetworkSnapshot | None = None
        self._lock = threading.Lock()
        self.loads = 0  # how many times the network was read, for tests and benchmarks
        self.version_checks = 0  # statements sent on the driver, unseen by engine events

    def get(self, session: Session) -> NetworkSnapshot:
        if session.in_transaction():
            return self._get(session.connection())
        dead = self._checks.dialect.loaded_dbapi.OperationalError
        with self._checks.connect() as connection:
            try:
                return self._get(connection)
            except dead:
                connection.invalidate()  # the server restarted, say: once more, anew
        with self._checks.connect() as connection:
            return self._get(connection)

    def _get(self, connection: Connection) -> NetworkSnapshot:
        version = driver_version(connection)
        self.version_checks += 1
        snapshot = self._snapshot
        if version is not None and snapshot is not None and snapshot.version == version:
            return snapshot
        with self._lock:
            snapshot = self._snapshot
            if version is None or snapshot is None or snapshot.version != version:
                snapshot = load_snapshot(connection, version)
                self.loads += 1
                if version is not None:  # no version row (not migrated): never cached
                    self._snapshot = snapshot
            return snapshot


_caches: weakref.WeakKeyDictionary[Engine, NetworkCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(session: Session) -> NetworkCache:
    engine = session.get_bind().engine  # the engine itself, or a connection's
    cache = _caches.get(engine)
    if cache is None:
        with _caches_lock:
            cache = _caches.get(engine) or _caches.setdefault(engine, NetworkCache(engine))
    return cache


def network_snapshot(session: Session) -> NetworkSnapshot:
    """The network as of this request: one SELECT in the steady state."""
    return cache_for(session).get(session)

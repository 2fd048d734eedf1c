"""The free slots staff may offer a waiting request: a week of the operator's slots, any site,
modality or advisor, each said before or after the request's deadline (CCTP 3.3).

One statement for the week (the search's own `free_in` conditions: not withdrawn, not a
one-off slot made for someone else, no live appointment), with the site and the advisor
loaded in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, joinedload

from portal.booking.models import Slot
from portal.booking.search_queries import free_in
from portal.network.models import Modality

# A week of a large operator can hold thousands of slots: the page shows this many, and
# asks to filter when there are more.
WEEK_LIMIT = 200


@dataclass(frozen=True, slots=True)
class StaffSlot:
    slot: Slot
    starts: datetime  # local time
    ends: datetime
    after_deadline: bool


@dataclass(frozen=True, slots=True)
class StaffWeek:
    monday: date
    days: list[tuple[date, list[StaffSlot]]]
    count: int
    truncated: bool  # more free slots than shown: filter


def staff_week(
    session: Session,
    *,
    operator_id: int,
    timezone: ZoneInfo,
    deadline: date,
    monday: date,
    now: datetime,
    site_id: int | None = None,
    modality: Modality | None = None,
    advisor_id: int | None = None,
) -> StaffWeek:
    """The operator's free slots from `monday` for seven days (none before `now`), soonest
    first, narrowed by site, modality and advisor."""
    start = max(datetime.combine(monday, time(0), timezone), now)
    end = datetime.combine(monday + timedelta(days=7), time(0), timezone)
    conditions = list(free_in(Slot.operator_id == operator_id, start, end))
    if site_id is not None:
        conditions.append(Slot.site_id == site_id)
    if advisor_id is not None:
        conditions.append(Slot.advisor_id == advisor_id)
    if modality is Modality.PRESENTIEL:
        conditions.append(and_(Slot.offers_presentiel, Slot.site_id.is_not(None)))
    elif modality is Modality.TELEPHONE:
        conditions.append(Slot.offers_telephone.is_(True))
    elif modality is Modality.VISIO:
        conditions.append(Slot.offers_visio.is_(True))
    slots = list(
        session.scalars(
            select(Slot)
            .where(*conditions)
            .order_by(Slot.starts_at, Slot.id)
            .limit(WEEK_LIMIT + 1)
            .options(joinedload(Slot.site), joinedload(Slot.advisor))
        )
    )
    truncated = len(slots) > WEEK_LIMIT
    days: dict[date, list[StaffSlot]] = {}
    for slot in slots[:WEEK_LIMIT]:
        starts = slot.starts_at.astimezone(timezone)
        days.setdefault(starts.date(), []).append(
            StaffSlot(slot, starts, slot.ends_at.astimezone(timezone), starts.date() > deadline)
        )
    return StaffWeek(monday, list(days.items()), min(len(slots), WEEK_LIMIT), truncated)

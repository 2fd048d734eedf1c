"""Demo availability: each advisor receives people two half-days a week at their site, and
one in three also takes remote appointments in an extended-hours window (CCTP 3.3).

Deterministic, like the rest of the demo: the windows depend on the advisor's rank only.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.booking.models import AvailabilityWindow
from portal.network.models import Site, StaffMember, StaffRole

VALID_FROM = date(2026, 1, 1)
REMOTE_WINDOWS = (
    (0, time(17, 0), time(19, 0)),  # Monday evening
    (2, time(12, 0), time(14, 0)),  # Wednesday midday
    (4, time(8, 0), time(9, 30)),  # Friday early morning
)


def add_demo_availability(session: Session) -> int:
    advisors = session.scalars(
        select(StaffMember)
        .where(StaffMember.role == StaffRole.ADVISOR)
        .order_by(StaffMember.id)
        .options(selectinload(StaffMember.sites).selectinload(Site.hours))
    ).all()
    windows: list[AvailabilityWindow] = []
    for rank, advisor in enumerate(advisors):
        if not advisor.sites or advisor.operator_id is None:
            continue
        site = advisor.sites[0]
        ranges = sorted({(h.weekday, h.opens, h.closes) for h in site.hours if h.weekday < 5})
        # Two ranges of the site's week, spread by rank so that colleagues alternate.
        for pick in (rank % len(ranges), (rank + len(ranges) // 2 + 1) % len(ranges)):
            weekday, opens, closes = ranges[pick]
            windows.append(
                AvailabilityWindow(
                    advisor_id=advisor.id,
                    operator_id=advisor.operator_id,
                    site_id=site.id,
                    weekday=weekday,
                    starts=opens,
                    ends=closes,
                    slot_minutes=60,
                    offers_presentiel=True,
                    offers_telephone=site.offers_telephone,
                    offers_visio=site.offers_visio,
                    valid_from=VALID_FROM,
                )
            )
        if rank % 3 == 0:
            weekday, starts, ends = REMOTE_WINDOWS[rank % len(REMOTE_WINDOWS)]
            if any(w.weekday == weekday for w in windows[-2:]):
                weekday = (weekday + 1) % 5
            windows.append(
                AvailabilityWindow(
                    advisor_id=advisor.id,
                    operator_id=advisor.operator_id,
                    site_id=None,
                    weekday=weekday,
                    starts=starts,
                    ends=ends,
                    slot_minutes=30 if ends.hour - starts.hour < 2 else 60,
                    offers_presentiel=False,
                    offers_telephone=True,
                    offers_visio=True,
                    valid_from=VALID_FROM,
                )
            )
    session.add_all(windows)
    session.flush()
    return len(windows)

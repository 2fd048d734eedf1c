"""The code as it was before issue 13 §3, put back for a measure in the same run as the
code of today (`bench/booking.py`): patched into the process, never into the portal.

- `search()`: the slot search's earliest slots ranked over every free slot of the scope
  (`row_number()` by site, the SQLite path of today), and the week's free slots loaded whole,
  the part of day and « one choice per time and place » left to Python (which still does
  both after the SQL today, so the pages are the same).
- BENCH_BEFORE=mail in a gunicorn's environment (`bench/app.py`): the booking POST renders
  its confirmation in the request, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.booking import emails, search_queries
from portal.booking.models import Slot


def _earliest_before(
    session: Session, scope: search_queries.Scope, start: datetime, end: datetime
) -> list[Slot]:
    return search_queries._earliest_ranked(session, scope.condition, start, end)


def _week_before(
    session: Session,
    scope: search_queries.Scope,
    start: datetime,
    end: datetime,
    **_: Any,
) -> list[Slot]:
    return list(
        session.scalars(
            select(Slot)
            .where(*search_queries.free_in(scope.condition, start, end))
            .order_by(Slot.starts_at, Slot.id)
            .options(joinedload(Slot.site))
        )
    )


@contextmanager
def search() -> Iterator[None]:
    saved = search_queries.earliest, search_queries.week_choices
    search_queries.earliest = _earliest_before
    search_queries.week_choices = _week_before
    try:
        yield
    finally:
        search_queries.earliest, search_queries.week_choices = saved


def mail_in_request() -> None:
    """The booking POST renders its confirmation in the request (for the whole process)."""
    queue = emails.queue_booked

    def in_request(*args: Any, render_later: bool = False, **kwargs: Any) -> Any:
        return queue(*args, render_later=False, **kwargs)

    emails.queue_booked = in_request

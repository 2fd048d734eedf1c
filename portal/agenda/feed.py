"""An advisor's iCalendar feed (issue 14 §3): a secret URL their calendar app reads.

The token is shown once; only its SHA-256 is kept (`CalendarFeed`). Making a new feed revokes
the previous one. The feed carries the advisor's live appointments from 4 weeks back to 13
weeks ahead, with no personal data beyond the person's initials and the unit: no name, e-mail,
phone or video link, because a calendar app syncs it to servers the operator does not control.
No Flask: the view words the events (`describe`) in the advisor's language.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.agenda.models import CalendarFeed
from portal.agenda.week import AgendaAppointment, appointments_between
from portal.booking.ics import PRODID
from portal.booking.slots import operator_timezone
from portal.network.models import StaffMember

WEEKS_BACK, WEEKS_AHEAD = 4, 13
READ_STAMP_EVERY = timedelta(hours=1)  # last_read_at: at most one write an hour per feed
# A calendar app that syncs every few minutes should not write a row each time.

Describe = Callable[[AgendaAppointment], tuple[str, str]]  # (summary, location)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(session: Session, staff_member_id: int) -> CalendarFeed | None:
    return session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.staff_member_id == staff_member_id, CalendarFeed.revoked_at.is_(None)
        )
    )


def revoke_feed(session: Session, *, staff_member_id: int, now: datetime) -> int:
    """Revoke the advisor's live feed(s); how many were revoked."""
    result = session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.staff_member_id == staff_member_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def new_feed(session: Session, *, staff_member_id: int, now: datetime) -> str:
    """A fresh secret token (the old feed revoked); only its hash is stored."""
    revoke_feed(session, staff_member_id=staff_member_id, now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        CalendarFeed(
            staff_member_id=staff_member_id, token_sha256=token_hash(token), created_at=now
        )
    )
    session.flush()
    return token


def feed_for_token(session: Session, token: str, *, now: datetime) -> CalendarFeed | None:
    """The live feed of this token (None when unknown or revoked), its reading stamped at
    most once an hour."""
    if not token or len(token) > 100:
        return None
    feed = session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_sha256 == token_hash(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is not None and (
        feed.last_read_at is None or now - feed.last_read_at >= READ_STAMP_EVERY
    ):
        feed.last_read_at = now
        session.flush()
    return feed


def feed_calendar(
    session: Session, *, advisor: StaffMember, now: datetime, name: str, describe: Describe
) -> bytes:
    """The RFC 5545 calendar of the advisor's appointments around `now`."""
    assert advisor.operator is not None
    tz = operator_timezone(advisor.operator)
    items = appointments_between(
        session,
        advisor_id=advisor.id,
        start=now - timedelta(weeks=WEEKS_BACK),
        end=now + timedelta(weeks=WEEKS_AHEAD),
        tz=tz,
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in items:
        summary, location = describe(item)
        calendar.add_component(
            Event.new(
                # One UID per appointment row: a moved appointment is a new row, the old one
                # leaves the feed, so the calendar app drops it and shows the new time.
                uid=f"agenda-{item.id}@cep-portail",
                stamp=now.astimezone(UTC),
                start=item.starts_at.astimezone(UTC),
                end=item.ends_at.astimezone(UTC),
                summary=summary,
                location=location or None,
            )
        )
    content: bytes = calendar.to_ical()
    return content


__all__ = ["READ_STAMP_EVERY", "feed_calendar", "feed_for_token", "live_feed", "new_feed"]

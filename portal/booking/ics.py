"""The calendar invitation attached to booking e-mails (RFC 5545, iTIP RFC 5546).

One UID per request and a SEQUENCE raised on each change: a moved appointment updates the
entry already in the person's calendar, and a CANCEL removes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

from portal import clock

PRODID = "-//France compétences//Portail CEP//FR"


def invitation(
    *,
    uid: str,
    sequence: int,
    method: Literal["REQUEST", "CANCEL"],
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str,
    organizer_name: str,
    organizer_email: str,
    attendee_email: str,
    url: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """An iCalendar object with one event, times in UTC; `stamp` (DTSTAMP) defaults to now."""
    for moment in (starts_at, ends_at, *([stamp] if stamp else [])):
        if moment.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware moment")
    event = Event.new(
        uid=uid,
        sequence=sequence,
        stamp=(stamp or clock.now()).astimezone(UTC),
        start=starts_at.astimezone(UTC),
        end=ends_at.astimezone(UTC),
        summary=summary,
        location=location,
        description=description,
        organizer=vCalAddress.new(organizer_email, cn=organizer_name),
        attendees=[
            vCalAddress.new(
                attendee_email,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp=False,
            )
        ],
        status=STATUS.CANCELLED if method == "CANCEL" else STATUS.CONFIRMED,
        url=url,
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # With METHOD, calendar clients offer to add, update or remove the event.
    calendar.add("method", method)
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content

"""The calendar invitation: what a calendar client reads from the attached .ics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from icalendar import Calendar, Event

from portal.booking.ics import invitation
from tests.conftest import FrozenClock

REUNION = timezone(timedelta(hours=4))


def make(**overrides: Any) -> bytes:
    arguments: dict[str, Any] = {
        "uid": "request-42@cep-portal",
        "sequence": 0,
        "method": "REQUEST",
        "starts_at": datetime(2031, 3, 4, 14, 0, tzinfo=REUNION),
        "ends_at": datetime(2031, 3, 4, 15, 0, tzinfo=REUNION),
        "summary": "Rendez-vous de conseil en évolution professionnelle",
        "location": "CEP Saint-Denis, 3 rue de Paris, 97400 Saint-Denis",
        "description": "Sur place.\nDéplacer ou annuler : https://cep.example/rendez-vous/gerer/x",
        "organizer_name": "CEP La Réunion",
        "organizer_email": "contact@lot13.cep-demo.example",
        "attendee_email": "maelle@example.org",
        "stamp": datetime(2031, 2, 1, 8, 30, tzinfo=UTC),
    }
    arguments.update(overrides)
    return invitation(**arguments)


def event_of(data: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(data)
    assert isinstance(calendar, Calendar)
    (event,) = calendar.events
    return calendar, event


def test_a_request_carries_the_times_in_utc_and_the_people() -> None:
    data = make()
    calendar, event = event_of(data)
    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert event["UID"] == "request-42@cep-portal"
    assert event["SEQUENCE"] == 0
    # 14:00 in La Réunion (UTC+4) is 10:00 UTC, written with a Z.
    assert b"DTSTART:20310304T100000Z" in data
    assert b"DTEND:20310304T110000Z" in data
    assert b"DTSTAMP:20310201T083000Z" in data
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:contact@lot13.cep-demo.example"
    assert event["ORGANIZER"].params["CN"] == "CEP La Réunion"
    assert str(event["ATTENDEE"]) == "mailto:maelle@example.org"
    assert event["LOCATION"] == "CEP Saint-Denis, 3 rue de Paris, 97400 Saint-Denis"
    assert "gerer/x" in event["DESCRIPTION"]
    assert "URL" not in event
    # RFC 5545: lines end with CRLF.
    assert data.endswith(b"END:VCALENDAR\r\n")


def test_a_move_keeps_the_uid_and_raises_the_sequence() -> None:
    first = event_of(make())[1]
    moved = event_of(
        make(
            sequence=1,
            starts_at=datetime(2031, 3, 6, 9, 0, tzinfo=UTC),
            ends_at=datetime(2031, 3, 6, 10, 0, tzinfo=UTC),
        )
    )[1]
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1


def test_a_cancellation_says_cancel_and_cancelled() -> None:
    calendar, event = event_of(make(method="CANCEL", sequence=2))
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2


def test_the_manage_link_is_the_event_url() -> None:
    _calendar, event = event_of(make(url="https://cep.example/rendez-vous/gerer/abc"))
    assert event["URL"] == "https://cep.example/rendez-vous/gerer/abc"


def test_dtstamp_defaults_to_now(clock: FrozenClock) -> None:
    clock.set(datetime(2026, 12, 4, 9, 30, 15, tzinfo=UTC))
    _calendar, event = event_of(make(stamp=None))
    assert event["DTSTAMP"].dt == datetime(2026, 12, 4, 9, 30, 15, tzinfo=UTC)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        make(starts_at=datetime(2031, 3, 4, 14, 0))

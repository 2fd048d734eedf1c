"""Domain events: a core publishes what happened; the domains above it subscribe.

A core that changes state (a livrable signed, a unit closed) calls `publish(session, event)`
instead of importing the domain that reacts: closing does not know that a closed unit gets a
survey, signing does not know that a signed livrable is sealed and e-mailed. Subscribers are
registered once, in the order listed in `portal.subscribers` (the one place that says who
reacts to what), by `create_app()`. They run in the publisher's transaction, in that order,
and flush, never commit. Without an application (a bare script), nothing is subscribed and
publishing does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from portal.advisor.models import ClosureKind

Subscriber = Callable[[Session, Any], None]
_subscribers: dict[type, list[Subscriber]] = {}


@dataclass(frozen=True, slots=True)
class LivrableSigned:
    """Both parties signed a livrable version; its unit is closed, the copy not yet sent."""

    livrable_id: int
    version_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class UnitClosed:
    """A unit closed: by a signature, on a written request, or as « abandon » at its deadline
    (`close-expired`). Its columns are flushed; `closed_on` is the closure's day, `at` when it
    was recorded."""

    unit_id: int
    kind: ClosureKind
    closed_on: date
    at: datetime


@dataclass(frozen=True, slots=True)
class VersionVoided:
    """A printed version went back to the draft before the beneficiary signed it."""

    livrable_id: int
    version_id: int
    at: datetime
    by_staff_id: int


def subscribe(event_type: type, subscriber: Subscriber) -> None:
    """Idempotent: an application factory run twice (tests) subscribes once."""
    listeners = _subscribers.setdefault(event_type, [])
    if subscriber not in listeners:
        listeners.append(subscriber)


def subscribers(event_type: type) -> tuple[Subscriber, ...]:
    """Who reacts to `event_type`, in the order they run."""
    return tuple(_subscribers.get(event_type, ()))


def publish(session: Session, event: object) -> None:
    for subscriber in subscribers(type(event)):
        subscriber(session, event)


__all__ = [
    "LivrableSigned",
    "UnitClosed",
    "VersionVoided",
    "publish",
    "subscribe",
    "subscribers",
]

"""Domain events: a core publishes what happened; the domains above it subscribe.

A core that changes state (a livrable signed, a unit closed) calls `publish(session, event)`
instead of importing the domain that reacts: signing does not know that a signed livrable is
sealed. Subscribers are registered once, in `create_app()`, and run in the publisher's
transaction, in the order they were registered (they flush, never commit). Without an
application (a bare script), nothing is subscribed and publishing does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

Subscriber = Callable[[Session, Any], None]
_subscribers: dict[type, list[Subscriber]] = {}


@dataclass(frozen=True, slots=True)
class LivrableSigned:
    """Both parties signed a livrable version; its unit is closed, the copy not yet sent."""

    livrable_id: int
    version_id: int
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


def publish(session: Session, event: object) -> None:
    for subscriber in list(_subscribers.get(type(event), ())):
        subscriber(session, event)


__all__ = ["LivrableSigned", "VersionVoided", "publish", "subscribe"]

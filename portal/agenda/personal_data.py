"""The agenda's part of the RGPD registry: a feed is the advisor's, and holds no personal data
beyond the hash of its token."""

from __future__ import annotations

from portal.agenda.models import CalendarFeed
from portal.privacy.registry import Subject, declare

declare(
    CalendarFeed, subject=Subject.STAFF, other=tuple(c.name for c in CalendarFeed.__table__.columns)
)

"""The front door's anonymous contact goes on: the person who answered the questionnaire
books, or leaves a waiting request, in the same browser session.

The contact's key travels in the sealed orientation answer of the session (`public.sealed`,
key `contact`). Billing must never stop a booking: any refusal (the contact already led to
another request, a key we do not know) leaves the booking as it is. Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from portal.booking.models import AppointmentRequest
from portal.orientation.models import OrientationContact
from portal.orientation.uo0 import Uo0Error, attach_contact_to_request, web_contact

ANSWER_KEY = "contact"  # the contact's key in the sealed orientation answer


def link_front_door_contact(
    session: Session, *, answer: Mapping[str, Any], request: AppointmentRequest, on: date
) -> OrientationContact | None:
    """The web contact of this answer, now numbered and linked to the request; None when the
    answer names no contact of ours or the contact already went on with another request."""
    key = answer.get(ANSWER_KEY)
    if not isinstance(key, str) or not key:
        return None
    contact = web_contact(session, key=key)
    if contact is None:
        return None
    try:
        # In a savepoint: a refusal undoes the link and the number, never the booking.
        with session.begin_nested():
            return attach_contact_to_request(session, contact=contact, request=request, on=on)
    except (Uo0Error, OverflowError):  # OverflowError: a million numbers in one month
        return None

"""Who a booking is for, and how a replayed form is told from someone else's.

A booking form carries an idempotency key so that a double submit books once. The key alone
does not prove who posts it (a form left on a shared computer, the Back button): a replay
counts only when it carries the same person as the request the key made.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portal.booking.models import AppointmentRequest


@dataclass(frozen=True, slots=True)
class Person:
    last_name: str
    first_name: str
    email: str
    phone: str  # E.164
    birth_date: date
    locale: str = "fr"


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def same_person(request: AppointmentRequest, person: Person) -> bool:
    """Whether the request was made for this person: same e-mail, names and birth date."""
    them = request.beneficiary
    return (
        them.email.casefold() == person.email.casefold()
        and them.last_name.casefold() == person.last_name.casefold()
        and them.first_name.casefold() == person.first_name.casefold()
        and them.birth_date == person.birth_date
    )

"""« La personne souhaite un rendez-vous »: a staff-recorded UO0 goes on.

The identity Annex 2 wants from UO0 (names, birth date, e-mail, phone) makes the same waiting
request as the public booking's (`booking.services.record_waiting_request`), so that it shows
in « Demandes en attente » where staff « Proposer un rendez-vous »; the contact is linked to
it, numbered and billed (`uo0.attach_contact_to_request`). Flushes, never commits.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from portal.booking.calendar import first_appointment_deadline, territory_for_insee
from portal.booking.identity import Person
from portal.booking.services import Booked, RequestDetails, record_waiting_request
from portal.orientation.models import OrientationContact
from portal.orientation.uo0 import Uo0Error, Uo0ErrorCode, attach_contact_to_request


def request_key(contact: OrientationContact) -> str:
    """The request's idempotency key: one per contact, so that a double submit of the
    identity form gives the first request back."""
    return f"uo0-{contact.key}"


def request_from_contact(
    session: Session,
    *,
    contact: OrientationContact,
    person: Person,
    commune_insee: str,
    today: date,
    now: datetime,
    call_back_working_days: int,
    comment: str = "",
) -> Booked:
    """The person's waiting request, made from their UO0 and linked to it.

    ALREADY_GONE_ON when the contact already led to a request for someone else.
    """
    if contact.operator_id is None or contact.recorded_by_id is None:
        raise Uo0Error(Uo0ErrorCode.NOT_FOUND, str(contact.id))
    territory = territory_for_insee(commune_insee)
    booked = record_waiting_request(
        session,
        idempotency_key=request_key(contact),
        person=person,
        details=RequestDetails(
            requested_on=today,
            deadline=first_appointment_deadline(today, territory),
            commune_insee=commune_insee,
            territory=territory.code,
            competent_operator_id=contact.operator_id,
            motif=contact.motif,
            comment=comment,
        ),
        now=now,
        call_back_working_days=call_back_working_days,
    )
    attach_contact_to_request(session, contact=contact, request=booked.request, on=today)
    return booked

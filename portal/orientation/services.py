"""Recording UO0 contacts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.orientation.models import OrientationContact
from portal.orientation.rules import Orientation, Situation
from portal.reference import ContactMode, Motif


def record_contact(
    session: Session,
    *,
    key: str,
    on: date,
    situation: Situation,
    orientation: Orientation,
    motif: Motif | None,
    lot_number: int | None,
    work_lot_number: int | None,
    operator_id: int | None,
    locale: str,
) -> OrientationContact:
    """Record a web UO0 contact once per key: a resubmitted form returns the first record."""
    existing = session.scalar(select(OrientationContact).where(OrientationContact.key == key))
    if existing is not None:
        return existing
    contact = OrientationContact(
        key=key,
        contacted_on=on,
        contact_mode=ContactMode.WEB,
        situation=situation,
        route=orientation.route,
        alternatives=",".join(orientation.alternatives),
        motif=motif,
        lot_number=lot_number,
        work_lot_number=work_lot_number,
        operator_id=operator_id,
        locale=locale,
    )
    try:
        with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        # The same form submitted twice at once: the other request recorded it.
        return session.scalars(
            select(OrientationContact).where(OrientationContact.key == key)
        ).one()
    return contact

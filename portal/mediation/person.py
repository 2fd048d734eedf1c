"""The person's side of a complaint: which complaints an address may read, and the operator
competent for a commune (the front door's rule: the lot of the place, its active operator).

A complaint belongs to the address it was filed with, like the rest of the space (a space
belongs to an e-mail address, not to one record), or to the address of the dossier it is
tied to. No Flask here.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from portal.locator.places import Place
from portal.mediation.models import Complaint
from portal.network.models import Operator
from portal.people.models import Beneficiary


def _normalise(email: str) -> str:
    return email.strip().lower()


def _owned_by(email: str) -> ColumnElement[bool]:
    address = _normalise(email)
    return or_(
        func.lower(Complaint.email) == address,
        Complaint.beneficiary_id.in_(
            select(Beneficiary.id).where(func.lower(Beneficiary.email) == address)
        ),
    )


def complaints_of(session: Session, *, email: str) -> list[Complaint]:
    """The complaints of this address, the latest first."""
    return list(
        session.scalars(
            select(Complaint)
            .where(_owned_by(email))
            .order_by(Complaint.recorded_at.desc(), Complaint.id.desc())
        )
    )


def owned_complaint(session: Session, *, email: str, complaint_id: int) -> Complaint | None:
    """The complaint when it belongs to this address (else None: the page answers 404)."""
    return session.scalar(select(Complaint).where(Complaint.id == complaint_id, _owned_by(email)))


def operator_for(session: Session, place: Place) -> Operator | None:
    """The active operator of the place's lot (None: outside the covered territory)."""
    lot = place.lot
    if lot is None:
        return None
    return session.scalar(
        select(Operator).where(Operator.lot_number == lot.number, Operator.active.is_(True))
    )


__all__ = ["complaints_of", "operator_for", "owned_complaint"]

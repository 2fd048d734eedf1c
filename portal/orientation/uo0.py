"""UO0 as Annex 2 counts it (issue 15 §2): contacts recorded by staff, and the moment a
contact goes on.

    web contact (front door) ─┐
                              ├─▶ the person books or leaves a waiting request
    staff contact (phone,  ───┘        └─▶ attach_contact_to_request: the contact gets its
    in person)                               number `OO AA MM 00 XXXXXX` and a UO0 order
                                             └─▶ first appointment held, dossier opened
                                                  └─▶ attach_contact_to_dossier

A contact that never goes further stays anonymous: no number, no order, nothing personal
(the person's identity lives on the request, never on the contact; once linked, the contact
keeps its route but drops the front door's other suggestions, which may hint at health data).
Billing must never stop a booking: with no open UO0 order the contact is numbered without one
(`purchase_order_id` None), and the orders page shows how many wait for an order.

Every function flushes, never commits, and raises `Uo0Error` with a code.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import Dossier, UnitKind
from portal.advisor.numbering import consume_purchase_order, next_dossier_number
from portal.booking.models import AppointmentRequest
from portal.network.models import Operator, StaffMember, StaffRole
from portal.orientation.models import OrientationContact
from portal.orientation.rules import Route, Situation
from portal.reference import ContactMode, Motif

# Who records a UO0: the operator's chargés d'information and its advisors.
RECORDING_ROLES = frozenset({StaffRole.INFORMATION, StaffRole.ADVISOR})
# How staff take a UO0: on the phone or at the desk (the web records its own).
STAFF_MODES = (ContactMode.TELEPHONE, ContactMode.PRESENTIEL)


class Uo0ErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"  # not an advisor or chargé d'information of an operator
    BAD_MODE = "bad_mode"  # staff record phone and in-person contacts only
    NOT_FOUND = "not_found"  # no such staff-recorded contact at this operator
    ALREADY_GONE_ON = "already_gone_on"  # the contact already led to another request
    REQUEST_TAKEN = "request_taken"  # the request already carries another contact


class Uo0Error(Exception):
    def __init__(self, code: Uo0ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


def can_record_contact(staff: StaffMember) -> bool:
    return staff.active and staff.role in RECORDING_ROLES and staff.operator_id is not None


def record_staff_contact(
    session: Session,
    *,
    key: str,
    staff: StaffMember,
    on: date,
    contact_mode: ContactMode,
    situation: Situation,
    route: Route,
    motif: Motif | None,
) -> OrientationContact:
    """A UO0 taken by phone or in person, for the staff member's own operator. The form's
    key makes a double submit record one contact (the first one is given back)."""
    if not can_record_contact(staff):
        raise Uo0Error(Uo0ErrorCode.NOT_ALLOWED)
    if contact_mode not in STAFF_MODES:
        raise Uo0Error(Uo0ErrorCode.BAD_MODE, contact_mode)
    operator = session.get_one(Operator, staff.operator_id)
    existing = _by_key(session, key)
    if existing is not None:
        if existing.recorded_by_id == staff.id:
            return existing
        raise Uo0Error(Uo0ErrorCode.NOT_FOUND, "another member's key")
    contact = OrientationContact(
        key=key,
        contacted_on=on,
        contact_mode=contact_mode,
        situation=situation,
        route=route,
        alternatives="",
        motif=motif,
        lot_number=operator.lot_number,
        operator_id=operator.id,
        locale="fr",
        recorded_by_id=staff.id,
    )
    try:
        with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        # The same form submitted twice at once: the other submission recorded it.
        again = _by_key(session, key)
        if again is None or again.recorded_by_id != staff.id:
            raise Uo0Error(Uo0ErrorCode.NOT_FOUND, "another member's key") from None
        return again
    return contact


def staff_contact(session: Session, *, operator_id: int, contact_id: int) -> OrientationContact:
    """A contact recorded by staff of this operator; NOT_FOUND for a web or foreign one."""
    contact = session.get(OrientationContact, contact_id)
    if contact is None or contact.recorded_by_id is None or contact.operator_id != operator_id:
        raise Uo0Error(Uo0ErrorCode.NOT_FOUND, str(contact_id))
    return contact


def web_contact(session: Session, *, key: str) -> OrientationContact | None:
    """The front door's contact of this key (None for an unknown or staff-recorded one)."""
    contact = _by_key(session, key)
    return contact if contact is not None and contact.recorded_by_id is None else None


def attach_contact_to_request(
    session: Session, *, contact: OrientationContact, request: AppointmentRequest, on: date
) -> OrientationContact:
    """The person went on: link the contact to their request, number it for the request's
    operator (`OO AA MM 00 XXXXXX`) and take a unit of its oldest open UO0 order, if any.

    Idempotent for the same request. ALREADY_GONE_ON when the contact led to another request,
    REQUEST_TAKEN when the request already carries another contact.
    """
    if contact.request_id == request.id:
        return contact
    if contact.request_id is not None:
        raise Uo0Error(Uo0ErrorCode.ALREADY_GONE_ON, str(contact.id))
    try:
        with session.begin_nested():
            # One UPDATE decides between two requests going on from one contact at once.
            taken = session.execute(
                update(OrientationContact)
                .where(OrientationContact.id == contact.id, OrientationContact.request_id.is_(None))
                .values(request_id=request.id, operator_id=request.operator_id)
                .returning(OrientationContact.id)
                .execution_options(synchronize_session=False)
            ).scalar_one_or_none()
    except IntegrityError:
        raise Uo0Error(Uo0ErrorCode.REQUEST_TAKEN, str(request.id)) from None
    if taken is None:
        session.refresh(contact)
        if contact.request_id == request.id:
            return contact
        raise Uo0Error(Uo0ErrorCode.ALREADY_GONE_ON, str(contact.id))
    operator = session.get_one(Operator, request.operator_id)
    contact.request_id, contact.operator_id = request.id, operator.id
    # Now tied to a named person: keep only what Annex 2 asks (the route). The alternatives
    # offered at the front door may say more than needed (Cap emploi: a disability).
    contact.alternatives = ""
    contact.number = next_dossier_number(session, operator, UnitKind.UO0, on)
    try:
        order, reference = consume_purchase_order(session, operator, UnitKind.UO0, on)
    except UnitError as error:
        if error.code is not UnitErrorCode.NO_PURCHASE_ORDER:
            raise
    else:
        contact.purchase_order_id, contact.purchase_order_ref = order.id, reference
    session.flush()
    return contact


def attach_contact_to_dossier(session: Session, *, dossier: Dossier) -> None:
    """The dossier opened from a request: its UO0 (if the request came from one) is the
    dossier's from now on. Nothing happens for a dossier opened without a request."""
    if dossier.request_id is None:
        return
    session.execute(
        update(OrientationContact)
        .where(
            OrientationContact.request_id == dossier.request_id,
            OrientationContact.dossier_id.is_(None),
        )
        .values(dossier_id=dossier.id)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def contacts_of_day(session: Session, *, operator_id: int, on: date) -> list[OrientationContact]:
    """The contacts the operator's staff recorded on this day, most recent first."""
    return list(
        session.scalars(
            select(OrientationContact)
            .where(
                OrientationContact.operator_id == operator_id,
                OrientationContact.contacted_on == on,
                OrientationContact.recorded_by_id.is_not(None),
            )
            .order_by(OrientationContact.created_at.desc(), OrientationContact.id.desc())
        )
    )


def numbered_without_order(session: Session, *, operator_id: int) -> dict[int, int]:
    """Per year, how many of the operator's UO0 were numbered while no UO0 order was open."""
    year = func.extract("year", OrientationContact.contacted_on)
    rows = session.execute(
        select(year, func.count(OrientationContact.id))
        .where(
            OrientationContact.operator_id == operator_id,
            OrientationContact.number.is_not(None),
            OrientationContact.purchase_order_id.is_(None),
        )
        .group_by(year)
        .order_by(year)
    ).all()
    return {int(y): count for y, count in rows}


def _by_key(session: Session, key: str) -> OrientationContact | None:
    return session.scalar(select(OrientationContact).where(OrientationContact.key == key))

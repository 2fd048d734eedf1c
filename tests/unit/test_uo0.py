"""The UO0 services (issue 15 §2): a contact recorded by staff once per key, numbered and
billed when the person goes on, without an order when none is open, linked to the dossier."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from portal.advisor.models import PurchaseOrder, UnitKind
from portal.advisor.units import open_dossier
from portal.booking.models import RequestStatus
from portal.network.models import StaffMember, StaffRole
from portal.orientation.models import OrientationContact
from portal.orientation.rules import Answers, Route, Situation, orient
from portal.orientation.services import record_contact
from portal.orientation.uo0 import (
    Uo0Error,
    Uo0ErrorCode,
    attach_contact_to_dossier,
    attach_contact_to_request,
    numbered_without_order,
    record_staff_contact,
)
from portal.reference import ContactMode, Motif
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock

# A year no demo order covers (the demo holds last year to next year).
NO_ORDER_DAY = date(2023, 5, 2)


def phone_contact(
    session: Session, staff: StaffMember, on: date, key: str | None = None
) -> OrientationContact:
    return record_staff_contact(
        session,
        key=key or uuid.uuid4().hex,
        staff=staff,
        on=on,
        contact_mode=ContactMode.TELEPHONE,
        situation=Situation.SALARIE_PRIVE,
        route=Route.OPERATEUR_REGIONAL,
        motif=Motif.CHANGER_METIER,
    )


def test_a_double_submit_records_one_contact(session: Session, clock: FrozenClock) -> None:
    staff = ws.staff(session, "16", StaffRole.INFORMATION)
    key = uuid.uuid4().hex
    first = phone_contact(session, staff, clock.today, key)
    again = phone_contact(session, staff, clock.today, key)
    assert again.id == first.id
    assert (first.operator_id, first.recorded_by_id, first.number) == (
        staff.operator_id,
        staff.id,
        None,
    )
    assert first.lot_number == 16


@pytest.mark.parametrize("role", [StaffRole.MANAGER, StaffRole.MEDIATOR])
def test_only_advisors_and_charges_d_information_record(
    session: Session, clock: FrozenClock, role: StaffRole
) -> None:
    with pytest.raises(Uo0Error) as refused:
        phone_contact(session, ws.staff(session, "16", role), clock.today)
    assert refused.value.code is Uo0ErrorCode.NOT_ALLOWED


def test_staff_do_not_record_web_contacts(session: Session, clock: FrozenClock) -> None:
    with pytest.raises(Uo0Error) as refused:
        record_staff_contact(
            session,
            key=uuid.uuid4().hex,
            staff=ws.staff(session, "16"),
            on=clock.today,
            contact_mode=ContactMode.WEB,
            situation=Situation.INTERIMAIRE,
            route=Route.OPERATEUR_REGIONAL,
            motif=None,
        )
    assert refused.value.code is Uo0ErrorCode.BAD_MODE


def test_going_on_numbers_the_contact_and_takes_a_uo0_order(
    session: Session, clock: FrozenClock
) -> None:
    on = date(2025, 11, 20)
    ws.ensure_orders(session, "16", (2025,))
    staff = ws.staff(session, "16", StaffRole.INFORMATION)
    op = ws.operator(session, "16")
    contact = phone_contact(session, staff, on)
    request = booking.request_for(session, op, requested_on=on, status=RequestStatus.WAITING)
    attach_contact_to_request(session, contact=contact, request=request, on=on)
    assert contact.request_id == request.id
    assert contact.number is not None and contact.number.startswith("16251100")
    assert len(contact.number) == 14
    order = session.get_one(PurchaseOrder, contact.purchase_order_id)
    assert order.kind == UnitKind.UO0 and order.year == 2025
    assert contact.purchase_order_ref == f"2025-Lot16-UO00-{order.number:02d}-{order.consumed:05d}"
    # The same request again: nothing more is numbered or consumed.
    consumed = order.consumed
    attach_contact_to_request(session, contact=contact, request=request, on=on)
    session.refresh(order)
    assert order.consumed == consumed


def test_one_contact_leads_to_one_request(session: Session, clock: FrozenClock) -> None:
    on = clock.today
    staff = ws.staff(session, "16")
    op = ws.operator(session, "16")
    contact = phone_contact(session, staff, on)
    first = booking.request_for(session, op, requested_on=on, status=RequestStatus.WAITING)
    second = booking.request_for(session, op, requested_on=on, status=RequestStatus.WAITING)
    attach_contact_to_request(session, contact=contact, request=first, on=on)
    with pytest.raises(Uo0Error) as refused:
        attach_contact_to_request(session, contact=contact, request=second, on=on)
    assert refused.value.code is Uo0ErrorCode.ALREADY_GONE_ON
    other = phone_contact(session, staff, on)
    with pytest.raises(Uo0Error) as taken:
        attach_contact_to_request(session, contact=other, request=first, on=on)
    assert taken.value.code is Uo0ErrorCode.REQUEST_TAKEN
    assert other.number is None


def test_with_no_uo0_order_open_the_contact_is_numbered_without_one(
    session: Session, clock: FrozenClock
) -> None:
    staff = ws.staff(session, "16")
    op = ws.operator(session, "16")
    before = numbered_without_order(session, operator_id=op.id).get(2023, 0)
    contact = phone_contact(session, staff, NO_ORDER_DAY)
    request = booking.request_for(
        session, op, requested_on=NO_ORDER_DAY, status=RequestStatus.WAITING
    )
    attach_contact_to_request(session, contact=contact, request=request, on=NO_ORDER_DAY)
    assert contact.number is not None and contact.number.startswith("16230500")
    assert (contact.purchase_order_id, contact.purchase_order_ref) == (None, None)
    assert numbered_without_order(session, operator_id=op.id)[2023] == before + 1


def test_the_dossier_opened_from_the_request_gets_the_contact(
    session: Session, clock: FrozenClock
) -> None:
    clock.set(datetime(2025, 11, 20, 9, tzinfo=UTC))
    on = clock.today
    advisor = ws.staff(session, "16")
    op = ws.operator(session, "16")
    contact = phone_contact(session, advisor, on)
    request = booking.request_for(session, op, requested_on=on, status=RequestStatus.WAITING)
    attach_contact_to_request(session, contact=contact, request=request, on=on)
    dossier = open_dossier(
        session,
        beneficiary=request.beneficiary,
        operator_id=op.id,
        advisor=advisor,
        opened_on=on,
        site_id=None,
    )
    attach_contact_to_dossier(session, dossier=dossier)  # no request on the dossier: nothing
    session.refresh(contact)
    assert contact.dossier_id is None
    dossier.request_id = request.id
    attach_contact_to_dossier(session, dossier=dossier)
    session.refresh(contact)
    assert contact.dossier_id == dossier.id


def test_a_web_contact_that_goes_on_forgets_the_other_suggestions(
    session: Session, clock: FrozenClock
) -> None:
    """Linked to a named person, the contact keeps its route for Annex 2 but not the
    alternatives the front door offered (« Cap emploi » would say a disability)."""
    op = ws.operator(session, "16")
    answers = Answers(
        situation=Situation.SALARIE_PRIVE,
        cadre=False,
        age=41,
        rqth=True,
        suivi_autre_operateur=False,
    )
    contact = record_contact(
        session,
        key=uuid.uuid4().hex,
        on=clock.today,
        situation=answers.situation,
        orientation=orient(answers),
        motif=None,
        lot_number=16,
        work_lot_number=None,
        operator_id=op.id,
        locale="fr",
    )
    assert "cap_emploi" in f"{contact.route},{contact.alternatives}"
    route = contact.route
    request = booking.request_for(
        session, op, requested_on=clock.today, status=RequestStatus.WAITING
    )
    attach_contact_to_request(session, contact=contact, request=request, on=clock.today)
    assert (contact.route, contact.alternatives) == (route, "")
    assert contact.number is not None and contact.recorded_by_id is None

"""The UO0 rows of the daily Annex 2 export (issue 15 §2), on a hand-built day.

Wednesday 20 November 2024 (Paris is UTC+1), operator 16: dossier P comes from a UO0 taken by
phone at 9:00 (motive « reconversion », routed to the regional operator), opened at 10:00 and
its UO1 engaged at 11:30; dossier Q comes from a UO0 taken in person, opened at 15:00, no unit
yet; a third contact never went on. The expected rows are written out here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.advisor.units import open_dossier
from portal.booking.models import AppointmentRequest, RequestStatus
from portal.network.models import StaffMember, StaffRole
from portal.orientation.models import OrientationContact
from portal.orientation.rules import Route, Situation
from portal.orientation.uo0 import (
    attach_contact_to_dossier,
    attach_contact_to_request,
    record_staff_contact,
)
from portal.reference import ContactMode, Motif
from portal.reporting.annex2 import Period, stream_rows
from portal.reporting.annex2_columns import COLUMNS
from portal.reporting.annex2_files import encode, targets
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock

DAY = date(2024, 11, 20)


def paris(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 11, 20, hour - 1, minute, tzinfo=UTC)


def contact(
    session: Session, staff: StaffMember, mode: ContactMode, motif: Motif | None
) -> OrientationContact:
    return record_staff_contact(
        session,
        key=uuid.uuid4().hex,
        staff=staff,
        on=DAY,
        contact_mode=mode,
        situation=Situation.SALARIE_PRIVE,
        route=Route.OPERATEUR_REGIONAL if motif else Route.APEC,
        motif=motif,
    )


def going_on(
    session: Session, uo0: OrientationContact, advisor: StaffMember, last_name: str
) -> AppointmentRequest:
    op = ws.operator(session, "16")
    request = booking.request_for(
        session, op, requested_on=DAY, status=RequestStatus.WAITING, last_name=last_name
    )
    attach_contact_to_request(session, contact=uo0, request=request, on=DAY)
    return request


@pytest.fixture
def dataset(session: Session, clock: FrozenClock) -> dict[str, Any]:
    ws.ensure_orders(session, "16", (2024,))
    information = ws.staff(session, "16", StaffRole.INFORMATION)
    advisor = ws.staff(session, "16")
    clock.set(paris(9))
    p_contact = contact(session, information, ContactMode.TELEPHONE, Motif.CHANGER_METIER)
    p_request = going_on(session, p_contact, advisor, "Petit")
    q_contact = contact(session, information, ContactMode.PRESENTIEL, None)
    q_request = going_on(session, q_contact, advisor, "Quentin")
    contact(session, information, ContactMode.TELEPHONE, Motif.PROJET)  # never goes on

    dossiers = {}
    for name, request, hour in (("p", p_request, 10), ("q", q_request, 15)):
        clock.set(paris(hour))
        dossier = open_dossier(
            session,
            beneficiary=request.beneficiary,
            operator_id=request.operator_id,
            advisor=advisor,
            opened_on=DAY,
            site_id=None,
        )
        dossier.request_id = request.id
        attach_contact_to_dossier(session, dossier=dossier)
        dossiers[name] = dossier
    clock.set(paris(11, 30))
    unit = ws.engaged(
        session, advisor, engaged_on=DAY, today=DAY, in_dossier=dossiers["p"], profile=False
    )
    return {"p": p_contact, "q": q_contact, "unit": unit, "requests": (p_request, q_request)}


def person(request: AppointmentRequest) -> dict[str, str]:
    who = request.beneficiary
    return {
        "identifiant_beneficiaire": str(who.id),
        "nom": who.last_name,
        "prenom": "Camille",
        "date_naissance": "1985-06-15",
        "email": who.email,
        "telephone": "+33612345678",
        "reclamation": "non",
        "mediateur_acces": "non",
        "operateur": "16",
    }


def expected_rows(d: dict[str, Any]) -> list[dict[str, str]]:
    p_request, q_request = d["requests"]
    at_1130 = {"date": "2024-11-20", "heure": "11:30:00", "timestamp": "1732098600"}
    uo0_p = {
        **person(p_request),
        **at_1130,
        "numero_dossier": d["p"].number,
        "reference_bon_commande": d["p"].purchase_order_ref,
        "uo": "UO0",
        "date_engagement": "2024-11-20",
        "date_cloture": "2024-11-20",
        "motif": "projet",
        "motif_detaille": "changer_metier",
        "aiguillage": "operateur_regional",
        "dates_interactions": "2024-11-20",
        "modes_contact": "telephone",
    }
    uo1_p = {
        **person(p_request),
        **at_1130,
        "numero_dossier": d["unit"].number,
        "reference_bon_commande": d["unit"].purchase_order_ref,
        "uo": "UO1",
        "date_engagement": "2024-11-20",
        "origine": "individuelle",
        "motif": "projet",
        "motif_detaille": "changer_metier",
    }
    uo0_q = {
        **person(q_request),
        "date": "2024-11-20",
        "heure": "15:00:00",
        "timestamp": "1732111200",
        "numero_dossier": d["q"].number,
        "reference_bon_commande": d["q"].purchase_order_ref,
        "uo": "UO0",
        "date_engagement": "2024-11-20",
        "date_cloture": "2024-11-20",
        "aiguillage": "apec",
        "dates_interactions": "2024-11-20",
        "modes_contact": "presentiel",
    }
    return [{column: row.get(column, "") for column in COLUMNS} for row in (uo0_p, uo1_p, uo0_q)]


def rows_of(session: Session) -> list[dict[str, str]]:
    ids = [t.id for t in targets(session, "16")]
    return list(stream_rows(session, Period(DAY, DAY), ids))


def test_a_dossier_from_a_uo0_starts_with_its_uo0_row(
    session: Session, dataset: dict[str, Any]
) -> None:
    assert rows_of(session) == expected_rows(dataset)
    assert dataset["p"].number.startswith("16241100")
    assert dataset["p"].purchase_order_ref.startswith("2024-Lot16-UO00-")


def test_the_uo0_rows_are_the_same_bytes_every_run(
    session: Session, dataset: dict[str, Any]
) -> None:
    first = b"".join(encode(iter(rows_of(session)), "csv"))
    assert first == b"".join(encode(iter(rows_of(session)), "csv"))
    assert first.count(b";UO0;") == 2

"""A small hand-built network for the indicator tests: two operators of their own (lot 16,
codes « ZA » and « ZB »), in 2030–2031 where the demo data have nothing, so that every
expected figure can be written as a literal in the tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session, object_session

from portal import clock as portal_clock
from portal.advisor.models import (
    ClosureKind,
    ConsentMode,
    Dossier,
    PurchaseOrder,
    Unit,
    UnitKind,
    UnitStatus,
)
from portal.booking.models import Appointment, AppointmentRequest, RequestStatus, Slot
from portal.network.models import Modality, Operator, Site, StaffMember, StaffRole
from portal.orientation.models import OrientationContact
from portal.people.models import Beneficiary
from portal.people.profile_models import DossierProfile
from portal.reporting.models import PopulationRegion
from portal.satisfaction.models import Survey

LOT = 16


def _uid(size: int) -> str:
    return uuid.uuid4().hex[:size]


@dataclass
class Net:
    """One operator of the test network, with its sites and an advisor."""

    session: Session
    operator: Operator
    sites: list[Site]
    advisor: StaffMember
    orders: dict[tuple[UnitKind, int], PurchaseOrder] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.operator.id

    def order(self, kind: UnitKind, year: int, quantity: int, issued_on: date) -> PurchaseOrder:
        number = 1 + sum(1 for k, y in self.orders if (k, y) == (kind, year))
        order = PurchaseOrder(
            operator_id=self.id,
            year=year,
            kind=kind,
            number=number,
            quantity=quantity,
            issued_on=issued_on,
        )
        self.session.add(order)
        self.session.flush()
        self.orders.setdefault((kind, year), order)
        return order

    def person(self, email: str | None = None) -> Beneficiary:
        who = Beneficiary(
            last_name="Indicateur",
            first_name="Camille",
            email=email or f"ind-{_uid(10)}@example.org",
            phone="+33612345678",
            birth_date=date(1980, 1, 1),
            consent_at=portal_clock.now(),
            consent_version="test",
        )
        self.session.add(who)
        self.session.flush()
        return who

    def dossier(
        self,
        site: int,
        opened_on: date,
        who: Beneficiary | None = None,
        reengagement_of: Unit | None = None,
    ) -> Dossier:
        dossier = Dossier(
            operator_id=self.id,
            beneficiary_id=(who or self.person()).id,
            advisor_id=self.advisor.id,
            site_id=self.sites[site].id,
            opened_on=opened_on,
            reengagement_of_unit_id=reengagement_of.id if reengagement_of else None,
        )
        self.session.add(dossier)
        self.session.flush()
        return dossier

    def unit(
        self,
        kind: UnitKind,
        engaged_on: date,
        *,
        site: int = 0,
        closed_on: date | None = None,
        closure: ClosureKind | None = None,
        prestations: list[str] | None = None,
        auto_prescription: bool | None = None,
        types_service: list[str] | None = None,
        dossier: Dossier | None = None,
    ) -> Unit:
        unit = Unit(
            dossier_id=(dossier or self.dossier(site, engaged_on)).id,
            operator_id=self.id,
            advisor_id=self.advisor.id,
            kind=kind,
            number=f"T{_uid(13)}",
            purchase_order_id=self.orders[(kind, engaged_on.year)].id,
            purchase_order_ref=f"T-{_uid(20)}",
            engaged_on=engaged_on,
            deadline=engaged_on + timedelta(days=180),
            status=UnitStatus.CLOSED if closed_on else UnitStatus.OPEN,
            closed_on=closed_on,
            closure_kind=closure,
            consent_given_on=engaged_on,
            consent_mode=ConsentMode.ORAL,
            consent_recorded_by_id=self.advisor.id,
            prestations=prestations or [],
            auto_prescription=auto_prescription,
            types_service=types_service or [],
        )
        self.session.add(unit)
        self.session.flush()
        return unit

    def contact(self, on: date, *, numbered: bool) -> OrientationContact:
        contact = OrientationContact(
            key=str(uuid.uuid4()),
            contacted_on=on,
            situation="salarie_prive",
            route="operateur_regional",
            lot_number=LOT,
            operator_id=self.id,
            number=f"C{_uid(13)}" if numbered else None,
        )
        self.session.add(contact)
        self.session.flush()
        return contact


def network(session: Session, code: str, sites: int = 2) -> Net:
    operator = Operator(code=code, lot_number=LOT, name=f"Opérateur de test {code}")
    session.add(operator)
    session.flush()
    made = []
    for i in range(sites):
        site = Site(
            operator_id=operator.id,
            name=f"Site {code}{i + 1}",
            street="1 rue de la Paix",
            postal_code="20000",
            commune_insee="2A004",
            commune_name="Ajaccio",
            latitude=41.92,
            longitude=8.74,
        )
        session.add(site)
        made.append(site)
    advisor = StaffMember(
        operator_id=operator.id,
        email=f"ind-{_uid(12)}@test.cep-demo.example",
        full_name="Conseillère Indicateurs",
        role=StaffRole.ADVISOR,
    )
    session.add(advisor)
    session.flush()
    return Net(session, operator, made, advisor)


def population(session: Session, year: int, active: int, cep: int) -> None:
    session.add(
        PopulationRegion(
            lot_number=LOT,
            year=year,
            active_population=active,
            cep_population=cep,
            source="test",
        )
    )
    session.flush()


def survey(net: Net, unit: Unit, *, quality: int | None, usefulness: int | None) -> None:
    """The survey of a closed unit, answered unless both answers are None."""
    assert unit.closed_on is not None
    answered = quality is not None or usefulness is not None
    net.session.add(
        Survey(
            unit_id=unit.id,
            operator_id=net.id,
            closed_on=unit.closed_on,
            answered_at=at(unit.closed_on + timedelta(days=3)) if answered else None,
            quality=quality,
            usefulness=usefulness,
        )
    )
    net.session.flush()


def profile(unit: Unit, *, categorie_sociale: str | None, statut: str | None) -> None:
    session = object_session(unit)
    assert session is not None
    session.add(
        DossierProfile(
            dossier_id=unit.dossier_id, categorie_sociale=categorie_sociale, statut=statut
        )
    )
    session.flush()


def at(day: date, hour: int = 10) -> datetime:
    """10:00 UTC: the same day in Paris."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def request(
    net: Net,
    requested_on: date,
    first_on: date | None = None,
    *,
    site: int | None = 0,
    modality: Modality = Modality.PRESENTIEL,
) -> AppointmentRequest:
    """A request for a first appointment, with that appointment on `first_on` when given."""
    who = net.person()
    made = AppointmentRequest(
        idempotency_key=_uid(32),
        beneficiary_id=who.id,
        operator_id=net.id,
        competent_operator_id=net.id,
        requested_on=requested_on,
        commune_insee="2A004",
        territory="metropole",
        deadline=requested_on + timedelta(days=42),
        status=RequestStatus.BOOKED if first_on else RequestStatus.WAITING,
    )
    net.session.add(made)
    net.session.flush()
    if first_on is not None:
        site_id = net.sites[site].id if site is not None else None
        slot = Slot(
            advisor_id=net.advisor.id,
            operator_id=net.id,
            site_id=site_id,
            starts_at=at(first_on),
            ends_at=at(first_on, 11),
            offers_presentiel=True,
            offers_telephone=True,
            offers_visio=True,
        )
        net.session.add(slot)
        net.session.flush()
        net.session.add(
            Appointment(
                slot_id=slot.id,
                request_id=made.id,
                beneficiary_id=who.id,
                operator_id=net.id,
                advisor_id=net.advisor.id,
                site_id=site_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                modality=modality,
            )
        )
        net.session.flush()
    return made

"""Where the person is and what the contract promises them: the competent operator, the
territory whose holidays count, and the legal deadline of their first appointment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, make_response
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portal import clock
from portal.booking.calendar import Territory, first_appointment_deadline, territory_for_insee
from portal.booking.models import AppointmentRequest
from portal.booking.search import Criteria, SearchResult, Widening, search_slots
from portal.booking.services import RequestDetails
from portal.clock import today_in_france
from portal.geo.gazetteer import get_gazetteer
from portal.locator import places
from portal.locator.places import Place, PlaceError
from portal.locator.views import place_from_ref
from portal.network.models import Operator
from portal.public.sealed import saved_answer
from portal.reference import Motif


@dataclass(frozen=True, slots=True)
class BookingPlace:
    place: Place
    commune_insee: str
    operator: Operator
    territory: Territory
    requested_on: date
    deadline: date

    def details(self, motif: Motif | None = None, comment: str = "") -> RequestDetails:
        return RequestDetails(
            requested_on=self.requested_on,
            deadline=self.deadline,
            commune_insee=self.commune_insee,
            territory=self.territory.code,
            competent_operator_id=self.operator.id,
            motif=motif,
            comment=comment,
        )


def booking_place(
    db_session: Session, commune: str | None, side: str | None
) -> BookingPlace | None:
    """From `?commune=INSEE` (a link from the locator or a partner), else from the answer the
    person gave at the front door (home, or workplace when they chose it)."""
    place = _place(commune, side)
    if place is None or place.lot is None or not place.communes:
        return None
    operator = db_session.scalar(
        select(Operator).where(Operator.lot_number == place.lot.number, Operator.active.is_(True))
    )
    if operator is None:
        return None
    insee = place.communes[0].insee
    territory = territory_for_insee(insee)
    today = today_in_france()
    return BookingPlace(
        place, insee, operator, territory, today, first_appointment_deadline(today, territory)
    )


def request_place(db_session: Session, request: AppointmentRequest) -> BookingPlace | None:
    """The place of an existing request, to move its appointment: its deadline stays."""
    try:
        place = places.by_insee(get_gazetteer(), request.commune_insee)
    except PlaceError:
        return None
    operator = db_session.get(Operator, request.operator_id)
    if operator is None:
        return None
    return BookingPlace(
        place,
        request.commune_insee,
        operator,
        territory_for_insee(request.commune_insee),
        request.requested_on,
        request.deadline,
    )


def _place(commune: str | None, side: str | None) -> Place | None:
    if commune:
        try:
            return places.by_insee(get_gazetteer(), commune.strip()[:5])
        except PlaceError:
            return None
    saved = saved_answer()  # what the front door kept in the session
    ref = saved.get("work") if side == "travail" else saved.get("home")
    if not isinstance(ref, dict):
        return None
    try:
        return place_from_ref(ref)
    except (PlaceError, KeyError, TypeError, ValueError):
        return None


def no_store(page: str, status: int = 200) -> Response:
    """A page with a person's details or a booking's state: never kept by the browser, so
    that Back asks the server again (it shows the truth after a cancel, and not the previous
    person's form on a shared computer)."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def now_utc() -> datetime:
    return clock.now()


def min_notice() -> timedelta:
    return timedelta(hours=current_app.config["BOOKING_MIN_NOTICE_HOURS"])


def change_cutoff() -> timedelta:
    return timedelta(hours=current_app.config["BOOKING_CHANGE_CUTOFF_HOURS"])


def run_search(
    db_session: Session,
    where: BookingPlace,
    criteria: Criteria = Criteria(),  # noqa: B008
) -> SearchResult:
    return search_slots(
        db_session,
        operator=where.operator,
        latitude=where.place.latitude,
        longitude=where.place.longitude,
        deadline=where.deadline,
        now=now_utc(),
        min_notice=min_notice(),
        area_size=current_app.config["LOCATOR_SITES_SHOWN"],
        criteria=criteria,
    )


def neighbour_exception(result: SearchResult, where: BookingPlace) -> str | None:
    """CCTP 1.2.4: the reason traced when a neighbouring lot's site takes the person."""
    if result.widening is not Widening.NEIGHBOUR_LOT or result.neighbour is None:
        return None
    return (
        f"Aucun créneau libre avant le {where.deadline.isoformat()} chez l'opérateur compétent "
        f"(lot {where.operator.lot_number}) ni à distance ; site plus proche du lot "
        f"{result.neighbour.lot_number} proposé (CCTP 1.2.4)."
    )

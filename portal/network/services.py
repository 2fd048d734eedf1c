"""Changes to an operator's sites: details, opening hours, closures.

Every change raises `site.version` by one and re-materialises the operator's slots, so that
no slot is offered on a day or hour the site is now closed. Services flush, never commit.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, time

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from portal.clock import today_in_france
from portal.geo.gazetteer import Commune, Gazetteer, get_gazetteer, normalise
from portal.network.errors import SiteError, SiteErrorCode
from portal.network.models import OpeningHours, Site, SiteClosure, SiteKind
from portal.network.territory import LOT_BY_NUMBER


@dataclass(frozen=True, slots=True)
class SiteDetails:
    """What a manager edits about a site (its hours and closures apart)."""

    name: str
    kind: SiteKind
    street: str
    postal_code: str
    commune_name: str
    offers_presentiel: bool
    offers_telephone: bool
    offers_visio: bool
    step_free_access: bool
    access_note: str
    phone: str
    email: str
    active: bool

    @classmethod
    def of(cls, site: Site) -> SiteDetails:
        return cls(**{f.name: getattr(site, f.name) for f in fields(cls)})


# --- Reading ----------------------------------------------------------------------------------


def operator_sites(session: Session, operator_id: int) -> list[Site]:
    """The operator's sites, active ones first, by name, with their hours and closures."""
    return list(
        session.scalars(
            select(Site)
            .where(Site.operator_id == operator_id)
            .options(selectinload(Site.hours), selectinload(Site.closures))
            .order_by(Site.active.desc(), Site.name, Site.id)
        )
    )


def filter_sites(sites: Sequence[Site], text: str) -> list[Site]:
    """The sites whose name, commune or postal code contain the text (accents, case, hyphens
    ignored: « st etienne » finds « Saint-Étienne »)."""
    query = normalise(text)
    if not query:
        return list(sites)
    return [
        site
        for site in sites
        if query in normalise(site.name)
        or query in normalise(site.commune_name)
        or site.postal_code.startswith(text.strip())
    ]


# --- Details ----------------------------------------------------------------------------------


def update_site(
    session: Session, site: Site, details: SiteDetails, *, gazetteer: Gazetteer | None = None
) -> bool:
    """Apply the details; False when nothing changed (the version stays)."""
    if not (details.offers_presentiel or details.offers_telephone or details.offers_visio):
        raise SiteError(SiteErrorCode.NO_MODALITY)
    same_place = details.postal_code == site.postal_code and normalise(
        details.commune_name
    ) == normalise(site.commune_name)
    commune = None
    if same_place:
        details = replace(details, commune_name=site.commune_name)
    else:
        commune = _commune_of(gazetteer or get_gazetteer(), details, site.operator.lot_number)
        details = replace(details, commune_name=commune.name)
    if SiteDetails.of(site) == details:
        return False
    if commune is not None and commune.insee != site.commune_insee:
        site.commune_insee = commune.insee
        # The locator ranks sites by distance: a site that moves takes its commune's position.
        site.latitude, site.longitude = commune.latitude, commune.longitude
    for field in fields(SiteDetails):
        setattr(site, field.name, getattr(details, field.name))
    _site_changed(session, site)
    return True


def _commune_of(gazetteer: Gazetteer, details: SiteDetails, lot_number: int) -> Commune:
    candidates = gazetteer.by_postal_code(details.postal_code)
    if not candidates:
        raise SiteError(SiteErrorCode.UNKNOWN_POSTAL_CODE, postal_code=details.postal_code)
    wanted = normalise(details.commune_name)
    found = None
    for commune in candidates:
        # Paris, Lyon and Marseille: a postal code names an arrondissement; the city's name
        # is accepted too, as are the names of merged communes (« communes déléguées »).
        parent = gazetteer.by_insee(commune.parent) if commune.parent else None
        names = {commune.name, *gazetteer.aliases(commune.insee)}
        if parent is not None:
            names.add(parent.name)
        if wanted in {normalise(name) for name in names}:
            found = commune
            break
    if found is None:
        raise SiteError(
            SiteErrorCode.COMMUNE_NOT_IN_POSTAL_CODE,
            commune=details.commune_name,
            postal_code=details.postal_code,
            communes=", ".join(c.name for c in candidates[:6]),
        )
    lot = LOT_BY_NUMBER.get(lot_number)
    if lot is not None and found.region != lot.region_code:
        raise SiteError(SiteErrorCode.COMMUNE_OUTSIDE_LOT, commune=found.name, lot=lot.name)
    return found


# --- Opening hours ----------------------------------------------------------------------------


def add_opening_hours(
    session: Session, site: Site, *, weekday: int, opens: time, closes: time
) -> OpeningHours:
    """A new opening range on a weekday. A range that overlaps another one of the day is
    refused; one that adjoins another (12:30 then 12:30) is merged with it, so that a range
    covering an extended-hours window counts as such."""
    if not 0 <= weekday <= 6:
        raise SiteError(SiteErrorCode.BAD_WEEKDAY)
    if opens >= closes:
        raise SiteError(SiteErrorCode.HOURS_EMPTY, opens=opens, closes=closes)
    same_day = [h for h in site.hours if h.weekday == weekday]
    for other in same_day:
        if opens < other.closes and other.opens < closes:
            raise SiteError(
                SiteErrorCode.HOURS_OVERLAP, weekday=weekday, opens=other.opens, closes=other.closes
            )
    adjoining = [h for h in same_day if h.closes == opens or h.opens == closes]
    opens = min([opens, *(h.opens for h in adjoining)])
    closes = max([closes, *(h.closes for h in adjoining)])
    for other in adjoining:
        site.hours.remove(other)
    session.flush()  # the merged range may take the opening time of one it replaces
    hours = OpeningHours(weekday=weekday, opens=opens, closes=closes)
    site.hours.append(hours)
    _site_changed(session, site)
    return hours


def remove_opening_hours(session: Session, site: Site, hours_id: int) -> OpeningHours:
    hours = next((h for h in site.hours if h.id == hours_id), None)
    if hours is None:
        raise SiteError(SiteErrorCode.NOT_FOUND)
    site.hours.remove(hours)
    _site_changed(session, site)
    return hours


# --- Closures ---------------------------------------------------------------------------------


def add_closure(
    session: Session, site: Site, *, starts_on: date, ends_on: date, reason: str, today: date
) -> SiteClosure:
    if starts_on > ends_on:
        raise SiteError(SiteErrorCode.CLOSURE_RANGE)
    if ends_on < today:
        raise SiteError(SiteErrorCode.CLOSURE_PAST)
    closure = SiteClosure(starts_on=starts_on, ends_on=ends_on, reason=reason.strip())
    site.closures.append(closure)
    _site_changed(session, site)
    return closure


def remove_closure(session: Session, site: Site, closure_id: int) -> SiteClosure:
    closure = next((c for c in site.closures if c.id == closure_id), None)
    if closure is None:
        raise SiteError(SiteErrorCode.NOT_FOUND)
    site.closures.remove(closure)
    _site_changed(session, site)
    return closure


# --- After every change -----------------------------------------------------------------------


def _site_changed(session: Session, site: Site) -> None:
    # In SQL (version = version + 1), so that two managers saving at once both count.
    session.execute(update(Site).where(Site.id == site.id).values(version=Site.version + 1))
    session.flush()
    _refresh_slots(session, site.operator_id)


def _refresh_slots(session: Session, operator_id: int) -> None:
    """Re-materialise the operator's slots (portal.booking.slots), when booking is there."""
    try:
        slots = importlib.import_module("portal.booking.slots")
    except ModuleNotFoundError as missing:
        if missing.name != "portal.booking.slots":
            raise
        return
    materialise = getattr(slots, "materialise_slots", None)
    if materialise is not None:
        materialise(session, today=today_in_france(), operator_id=operator_id)

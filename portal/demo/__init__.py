"""The demo network: 18 clearly fictional operators, their sites and advisors.

Deterministic (no randomness, no clock), so that tests and screenshots are stable. Sites sit
in real communes of each region, spread across départements; phone numbers are in the ranges
ARCEP keeps for fiction (01 99 00 xx xx) and e-mail domains end in .example (RFC 2606).
"""

from __future__ import annotations

import math
from datetime import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.clock import today_in_france
from portal.demo.availability import add_demo_availability
from portal.demo.directory import add_demo_directory
from portal.demo.dossiers import add_demo_dossiers
from portal.demo.mediation import add_demo_mediation
from portal.demo.names import FIRST_NAMES, LAST_NAMES, PARTNERS, STREETS
from portal.demo.waiting import add_demo_waiting_requests
from portal.demo.workspace import add_demo_purchase_orders
from portal.geo.gazetteer import Commune, Gazetteer, get_gazetteer
from portal.network.models import OpeningHours, Operator, Site, SiteKind, StaffMember, StaffRole
from portal.network.territory import LOTS, Lot
from portal.reporting.indicators.population import (
    DEMO_FILE,
    load_population,
    read_population_csv,
)

# Realistic network sizes (domain rules: 30 to 110+ sites in large regions, a few in small lots).
SITES_PER_LOT = {
    1: 110,
    2: 95,
    3: 70,
    4: 85,
    5: 75,
    6: 90,
    7: 60,
    8: 45,
    9: 40,
    10: 45,
    11: 40,
    12: 35,
    13: 6,
    14: 4,
    15: 4,
    16: 4,
    17: 3,
    18: 2,
}
OVERSEAS_LOTS = {13, 14, 15, 17, 18}
ADVISORS_PER_SITE = 3

T = time


def _hours_pattern(index: int, lot_number: int, kind: SiteKind) -> list[tuple[int, time, time]]:
    """Opening ranges (weekday, opens, closes). Most sites keep the extended-hours rule."""
    if lot_number in OVERSEAS_LOTS:
        # Early mornings rather than evenings overseas (Sauléa L1005).
        days = [(d, T(7, 30), T(12, 30)) for d in range(5)]
        return days + [(d, T(13, 30), T(16, 0)) for d in range(4)]
    if kind is SiteKind.PERMANENCE:
        # A partner's premises, one day a week: short of the rule, as in the field.
        return [(1 + index % 3, T(9, 0), T(12, 30)), (1 + index % 3, T(13, 30), T(17, 0))]
    if kind is SiteKind.ITINERANT:
        return [(index % 5, T(9, 0), T(16, 30)), ((index + 2) % 5, T(9, 0), T(16, 30))]
    ranges: list[tuple[int, time, time]] = []
    for day in range(5):
        if index % 2 == 0 and day in (1, 3):
            # Tuesday: from 8:00; Thursday: until 19:30.
            ranges.append((day, T(8, 0) if day == 1 else T(9, 0), T(12, 30)))
            ranges.append((day, T(13, 30), T(19, 30) if day == 3 else T(17, 0)))
        elif index % 2 == 1 and day in (2, 4):
            ranges.append((day, T(9, 0), T(17, 0)))  # open through lunch time
        else:
            ranges.append((day, T(9, 0), T(12, 30)))
            ranges.append((day, T(13, 30), T(17, 0)))
    if index % 6 == 0:
        ranges.append((5, T(9, 0), T(12, 0)))  # some Saturday mornings
    return ranges


def _km(a: Commune, b: Commune) -> float:
    """Rough distance, enough to spread sites apart; the locator uses geopy's geodesic."""
    lat = math.radians((a.latitude + b.latitude) / 2)
    dx = (a.longitude - b.longitude) * 111.32 * math.cos(lat)
    dy = (a.latitude - b.latitude) * 110.57
    return math.hypot(dx, dy)


def pick_communes(gazetteer: Gazetteer, lot: Lot, count: int) -> list[Commune]:
    """Spread `count` site communes over the region: round-robin over its départements,
    most populous commune first, keeping a minimum spacing between sites."""
    communes = [c for c in gazetteer.communes_in_region(lot.region_code) if c.kind == "commune"]
    by_dep: dict[str, list[Commune]] = {}
    for commune in sorted(communes, key=lambda c: (-c.population, c.insee)):
        by_dep.setdefault(commune.departement, []).append(commune)
    chosen: list[Commune] = []
    for spacing in (12.0, 6.0, 2.5, 0.0):
        cursors = dict.fromkeys(by_dep, 0)
        while len(chosen) < count and any(cursors[d] < len(by_dep[d]) for d in by_dep):
            for dep in sorted(by_dep):
                pool = by_dep[dep]
                while cursors[dep] < len(pool):
                    candidate = pool[cursors[dep]]
                    cursors[dep] += 1
                    if candidate in chosen:
                        continue
                    if all(_km(candidate, other) >= spacing for other in chosen):
                        chosen.append(candidate)
                        break
                if len(chosen) == count:
                    break
        if len(chosen) == count:
            break
    return chosen


def _site_kind(index: int) -> SiteKind:
    if index % 9 == 8:
        return SiteKind.PERMANENCE
    if index % 23 == 22:
        return SiteKind.ITINERANT
    return SiteKind.AGENCE


def _build_site(operator: Operator, lot: Lot, index: int, commune: Commune) -> Site:
    kind = _site_kind(index)
    if kind is SiteKind.PERMANENCE:
        name = f"{PARTNERS[index % len(PARTNERS)]} de {commune.name} (permanence)"
    elif kind is SiteKind.ITINERANT:
        name = f"Bureau itinérant — {commune.name}"
    else:
        name = f"CEP {commune.name}"
    site = Site(
        operator=operator,
        name=name,
        kind=kind,
        street=f"{1 + (index * 7) % 98} {STREETS[index % len(STREETS)]}",
        postal_code=commune.postal_codes[0],
        commune_insee=commune.insee,
        commune_name=commune.name,
        latitude=commune.latitude,
        longitude=commune.longitude,
        offers_presentiel=True,
        offers_telephone=kind is not SiteKind.ITINERANT,
        offers_visio=kind is SiteKind.AGENCE,
        step_free_access=index % 7 != 3,
        access_note="" if index % 7 != 3 else "Bureau à l'étage sans ascenseur.",
        phone=f"01 99 00 {lot.number:02d} {index % 100:02d}",
        email=f"site{index + 1}@lot{lot.number:02d}.cep-demo.example",
    )
    for weekday, opens, closes in _hours_pattern(index, lot.number, kind):
        site.hours.append(OpeningHours(weekday=weekday, opens=opens, closes=closes))
    return site


def _person(serial: int) -> tuple[str, str]:
    first = FIRST_NAMES[serial % len(FIRST_NAMES)]
    last = LAST_NAMES[(serial * 7 + serial // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return first, last


def _staff(operator: Operator, lot: Lot, sites: list[Site]) -> list[StaffMember]:
    domain = f"lot{lot.number:02d}.cep-demo.example"
    first, last = _person(lot.number * 1000)
    staff = [
        StaffMember(
            operator=operator,
            email=f"manager@{domain}",
            full_name=f"{first} {last}",
            role=StaffRole.MANAGER,
        ),
        # The call centre's chargé d'information: records UO0, handles waiting requests.
        StaffMember(
            operator=operator,
            email=f"information@{domain}",
            full_name=" ".join(_person(lot.number * 1000 + 500)),
            role=StaffRole.INFORMATION,
        ),
    ]
    serial = 0
    for index, site in enumerate(sites):
        for _ in range(ADVISORS_PER_SITE if site.kind is SiteKind.AGENCE else 1):
            first, last = _person(lot.number * 1000 + serial + 1)
            advisor = StaffMember(
                operator=operator,
                email=f"conseiller{serial + 1}@{domain}",
                full_name=f"{first} {last}",
                role=StaffRole.ADVISOR,
            )
            advisor.sites.append(site)
            # Part-time advisors often cover a second site nearby (the next one in the list).
            if serial % 4 == 0 and index + 1 < len(sites):
                advisor.sites.append(sites[index + 1])
            staff.append(advisor)
            serial += 1
    return staff


def load_demo(session: Session, *, force: bool = False, gazetteer: Gazetteer | None = None) -> str:
    """Create the demo network unless operators already exist; returns a summary line."""
    if not force and session.scalar(select(func.count(Operator.id))):
        return "demo data already present: nothing loaded"
    gazetteer = gazetteer or get_gazetteer()
    counts = {"operators": 0, "sites": 0, "staff": 0}
    for lot in LOTS:
        operator = Operator(
            code=f"{lot.number:02d}",
            lot_number=lot.number,
            name=f"CEP {lot.name} — opérateur de démonstration",
            website=f"https://lot{lot.number:02d}.cep-demo.example/",
            phone=f"01 99 00 {lot.number:02d} 00",
            email=f"contact@lot{lot.number:02d}.cep-demo.example",
            postal_address=f"Opérateur fictif du lot {lot.number}, {lot.name}",
        )
        session.add(operator)
        communes = pick_communes(gazetteer, lot, SITES_PER_LOT[lot.number])
        sites = [_build_site(operator, lot, i, c) for i, c in enumerate(communes)]
        staff = _staff(operator, lot, sites)
        session.add_all(sites)
        session.add_all(staff)
        counts["operators"] += 1
        counts["sites"] += len(sites)
        counts["staff"] += len(staff)
    session.flush()
    counts["windows"] = add_demo_availability(session)
    counts["orders"] = add_demo_purchase_orders(session, today_in_france())
    counts["providers"] = add_demo_directory(session)
    counts["dossiers"] = add_demo_dossiers(session, today_in_france())
    counts["referrals"] = add_demo_mediation(session, today_in_france())
    counts["waiting"] = add_demo_waiting_requests(session, today_in_france())
    populations = read_population_csv(DEMO_FILE.read_text(encoding="utf-8"))
    counts["populations"] = sum(load_population(session, populations))
    return (
        "demo data loaded: {operators} operators, {sites} sites, {staff} staff, "
        "{windows} availability windows, {orders} purchase orders, {providers} providers, "
        "{dossiers} dossiers, {referrals} referrals to the mediator, "
        "{waiting} waiting requests, {populations} regional populations (demonstration "
        "figures)".format(**counts)
    )

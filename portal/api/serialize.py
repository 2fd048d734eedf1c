"""JSON shapes of the API, one function per object."""

from __future__ import annotations

from typing import Any

from portal.geo.gazetteer import Commune
from portal.locator.services import Competence, NearbySiteView
from portal.network.snapshot import OperatorView, SiteView
from portal.network.territory import lot_for_region


def operator_json(operator: OperatorView | None) -> dict[str, Any] | None:
    if operator is None:
        return None
    return {
        "id": operator.id,
        "code": operator.code,
        "name": operator.name,
        "website": operator.website,
        "phone": operator.phone,
        "email": operator.email,
        "postal_address": operator.postal_address,
    }


# The part of a site's JSON that depends on the site alone, built once per site object of the
# in-memory network (`network.snapshot`): a reloaded snapshot brings new objects, hence a miss.
# Plain dict writes, safe across threads; about 800 entries at most.
_SITE_BODIES: dict[int, tuple[SiteView, dict[str, Any]]] = {}


def site_json(nearby: NearbySiteView, approximate: bool = False) -> dict[str, Any]:
    """``approximate``: the place's position is not its commune's own, so is the distance."""
    body = dict(_site_body(nearby.site))  # the keys in their order, two of them filled here
    body["distance_km"] = nearby.distance_km
    body["approximate"] = approximate
    return body


def _site_body(site: SiteView) -> dict[str, Any]:
    known = _SITE_BODIES.get(site.id)
    if known is not None and known[0] is site:
        return known[1]
    body = {
        "id": site.id,
        "name": site.name,
        "kind": site.kind,
        "street": site.street,
        "commune": site.commune_name,
        "postal_code": site.postal_code,
        "insee": site.commune_insee,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "distance_km": None,
        "approximate": False,
        "modalities": [m.value for m in site.modalities],
        "step_free_access": site.step_free_access,
        "phone": site.phone,
        "email": site.email,
        "hours": [
            {
                "weekday": day.weekday,
                "opens": opens.strftime("%H:%M"),
                "closes": closes.strftime("%H:%M"),
                "extended": [w.value for w in windows],
            }
            for day in site.schedule
            for opens, closes, windows in day.ranges
        ],
        "meets_extended_hours_rule": site.meets_extended_hours_rule,
    }
    _SITE_BODIES[site.id] = (site, body)
    return body


def competence_json(
    competence: Competence | None, prefix: str = "", approximate: bool = False
) -> dict[str, Any]:
    sites = [site_json(s, approximate) for s in competence.sites] if competence else []
    return {
        f"{prefix}lot": competence.lot.as_json() if competence else None,
        f"{prefix}operator": operator_json(competence.operator) if competence else None,
        f"{prefix}sites": sites,
        f"{prefix}approximate": approximate,
    }


def candidate_json(commune: Commune) -> dict[str, Any]:
    lot = lot_for_region(commune.region)
    return {
        "commune": commune.name,
        "insee": commune.insee,
        "postal_codes": list(commune.postal_codes),
        "lot": lot.as_json() if lot else None,
    }

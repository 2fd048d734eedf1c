"""JSON shapes of the API, one function per object."""

from __future__ import annotations

import json
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


# A site's JSON depends on the site alone but for two values: it is encoded once per site
# object of the in-memory network (`network.snapshot`; a reloaded snapshot brings new objects,
# hence a miss), with markers where the distance and `approximate` go. Plain dict writes, safe
# across threads; about 800 entries at most.
_SITE_TEXTS: dict[int, tuple[SiteView, str]] = {}
_DISTANCE, _APPROXIMATE = "\x00distance", "\x00approximate"
_SITES = "\x00sites"


class EncodedSites(list[str]):
    """The JSON texts of a competence's sites, spliced into the body by `encode_body`."""


def site_text(nearby: NearbySiteView, approximate: bool = False) -> str:
    """A site as JSON text (sorted keys, compact, ASCII: Flask's defaults). ``approximate``:
    the place's position is not its commune's own, so is the distance."""
    known = _SITE_TEXTS.get(nearby.site.id)
    if known is None or known[0] is not nearby.site:
        body = _site_body(nearby.site)
        body["distance_km"], body["approximate"] = _DISTANCE, _APPROXIMATE
        known = (nearby.site, _dumps(body))
        _SITE_TEXTS[nearby.site.id] = known
    return (
        known[1]
        .replace(_DISTANCE_TEXT, json.dumps(nearby.distance_km))
        .replace(_APPROXIMATE_TEXT, "true" if approximate else "false")
    )


def encode_body(body: dict[str, Any]) -> str:
    """The response's JSON text, with the sites of `competence_json` spliced in."""
    lists = {key: value for key, value in body.items() if isinstance(value, EncodedSites)}
    text = _dumps({key: _SITES + key if key in lists else value for key, value in body.items()})
    for key, sites in lists.items():
        text = text.replace(_dumps(_SITES + key), "[" + ",".join(sites) + "]")
    return text


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


_DISTANCE_TEXT, _APPROXIMATE_TEXT = _dumps(_DISTANCE), _dumps(_APPROXIMATE)


def _site_body(site: SiteView) -> dict[str, Any]:
    return {
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


def competence_json(
    competence: Competence | None, prefix: str = "", approximate: bool = False
) -> dict[str, Any]:
    """The competence; its sites already JSON texts (`EncodedSites`), for `encode_body`."""
    found = competence.sites if competence else ()
    sites = EncodedSites(site_text(s, approximate) for s in found)
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

"""Web-side place resolution: a typed text plus, after an ambiguity, the commune picked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from wtforms import RadioField, SelectChoice, StringField

from portal.geo.gazetteer import Commune, get_gazetteer
from portal.locator import places
from portal.locator.forms import PLACE_ERRORS
from portal.network.territory import lot_for_region


@dataclass
class FieldResolution:
    place: places.Place | None = None
    candidates: tuple[Commune, ...] = ()


def candidate_label(commune: Commune) -> str:
    lot = lot_for_region(commune.region)
    where = lot.name if lot else commune.name
    codes = ", ".join(commune.postal_codes[:3])
    return f"{commune.name} ({codes}) — {where}"


def resolve_field(text_field: StringField, choice_field: RadioField) -> FieldResolution:
    """Resolve one place field; on failure the field carries a message for the person."""
    gazetteer = get_gazetteer()
    try:
        found = places.from_text(gazetteer, text_field.data or "")
    except places.PlaceError as error:
        text_field.errors = [str(PLACE_ERRORS[error.code] % {"value": error.value})]
        return FieldResolution()
    if isinstance(found, places.Place):
        return FieldResolution(place=found)
    picked = choice_field.data
    for commune in found.candidates:
        if commune.insee == picked:
            return FieldResolution(place=places.from_commune(commune))
    choice_field.choices = [SelectChoice(c.insee, candidate_label(c)) for c in found.candidates]
    choice_field.errors = [str(_("Plusieurs communes correspondent : choisissez la vôtre."))]
    return FieldResolution(candidates=found.candidates)


def resolve_places(form: Any) -> tuple[places.Place, places.Place | None] | None:
    """Validate a form with `home`/`work` place fields (and their `_choice` radios).

    Returns the home and optional workplace, or None when the person must correct or complete
    something: each field then carries its message, or the candidates to choose from.
    """
    valid = form.validate()
    home = resolve_field(form.home, form.home_choice) if form.home.data else None
    work = resolve_field(form.work, form.work_choice) if form.work.data else None
    if not valid or home is None or home.place is None or (work is not None and work.place is None):
        return None
    return home.place, work.place if work is not None else None

"""The slot search: the earliest slots near the person, a week at a time, before the deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import render_template, request, url_for
from werkzeug.wrappers import Response

from portal.booking.forms import FilterForm
from portal.booking.search import Criteria, FreeSlot, PartOfDay, SearchResult
from portal.booking.views import bp
from portal.booking.views.context import BookingPlace, booking_place, run_search
from portal.extensions import db
from portal.htmx import render
from portal.network.hours import EXTENDED_WINDOWS, ExtendedWindow
from portal.network.models import Modality
from portal.reference import motif_from
from portal.routing import bounded_id


@bp.get("/rendez-vous")
def search() -> Response | str | tuple[str, int]:
    where = booking_place(db.session, request.args.get("commune"), request.args.get("lieu"))
    if where is None:
        return render_template("booking/no_place.html"), 200
    return slots_page(
        where,
        page="booking/search.html",
        endpoint="booking.search",
        slot_endpoint="booking.slot",
        slot_values={"commune": where.commune_insee, **_motif_value()},
    )


def _motif_value() -> dict[str, str]:
    """A link's `?motif=` (its code, a former value translated) carried on to the slot."""
    given = motif_from(request.args.get("motif"))
    return {"motif": given.value} if given is not None else {}


def slots_page(
    where: BookingPlace,
    *,
    page: str,
    endpoint: str,
    slot_endpoint: str,
    slot_values: dict[str, Any],
    endpoint_values: dict[str, Any] | None = None,
    **extra: object,
) -> Response | str:
    """The slots near a place, filtered as asked: a whole page, or `#slots` for htmx. Each
    slot links to `slot_endpoint` (booking, or moving an appointment)."""
    form = FilterForm(request.args)
    criteria = criteria_from(form)
    result = run_search(db.session, where, criteria)
    _site_choices(form, result)

    def slot_url(free: FreeSlot) -> str:
        modality = criteria.modality or free.modalities[0]
        return url_for(slot_endpoint, slot_id=free.slot.id, modalite=modality.value, **slot_values)

    context = slots_context(
        form, result, where, criteria, slot_url, endpoint, **(endpoint_values or {})
    )
    return render(page, "booking/_partials/_slots.html", **context, **extra)


def criteria_from(form: FilterForm) -> Criteria:
    """The filters that passed validation; a wrong one is reported and left out."""
    form.validate()
    modality = (
        Modality(form.modalite.data) if form.modalite.data and not form.modalite.errors else None
    )
    part = PartOfDay(form.moment.data) if form.moment.data and not form.moment.errors else None
    site_id = bounded_id(form.site.data) if form.site.data else None
    if form.site.data and site_id is None:
        form.site.errors = [*form.site.errors, "invalid"]
    week = form.semaine.data if not form.semaine.errors else None
    return Criteria(modality=modality, site_id=site_id, part_of_day=part, week=week)


def _site_choices(form: FilterForm, result: SearchResult) -> None:
    from flask_babel import gettext as _
    from wtforms import SelectChoice

    form.site.choices = [SelectChoice("", _("Tous les lieux proches"))] + [
        SelectChoice(str(nearby.site.id), nearby.site.name) for nearby in result.area
    ]


def slots_context(
    form: FilterForm,
    result: SearchResult,
    where: BookingPlace,
    criteria: Criteria,
    slot_url: Callable[[FreeSlot], str],
    endpoint: str,
    **url_values: object,
) -> dict[str, object]:
    def page_url(week_offset: int) -> str:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "semaine"}
        args["semaine"] = (result.week + timedelta(weeks=week_offset)).isoformat()
        return url_for(endpoint, **{**url_values, **args})

    return {
        "closed_part": closed_part(criteria, result),
        "form": form,
        "result": result,
        "where": where,
        "criteria": criteria,
        "slot_url": slot_url,
        "page_url": page_url,
        "days": sorted(result.days.items()),
    }


_PART_WINDOWS = {
    PartOfDay.MORNING: EXTENDED_WINDOWS[ExtendedWindow.MORNING],
    PartOfDay.MIDDAY: EXTENDED_WINDOWS[ExtendedWindow.MIDDAY],
    PartOfDay.EVENING: EXTENDED_WINDOWS[ExtendedWindow.EVENING],
}


def closed_part(criteria: Criteria, result: SearchResult) -> PartOfDay | None:
    """The part of the day asked for when no site of the person's area (or the one site asked
    for) is open then: an in-person slot can never match, and the page says so."""
    part = criteria.part_of_day
    if part is None or criteria.asks_remote or not result.area:
        return None
    opens_at, closes_at = _PART_WINDOWS[part]
    sites = [n.site for n in result.area if criteria.site_id in (None, n.site.id)]
    if not sites:  # a site outside the area: its hours are not at hand
        return None
    for site in sites:
        if any(h.opens < closes_at and h.closes > opens_at for h in site.hours):
            return None
    return part

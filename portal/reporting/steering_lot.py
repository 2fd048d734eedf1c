"""A lot's indicators, for its manager (issue 15 §3).

`/pro/pilotage/lot` gives the lot's figure for every indicator (a table per family, read down:
one indicator a row, legible on a phone), the figures beyond a rule of the contract for the lot
and for each of its sites, and the trend. Each table whose indicators mean something per site
(3, 6.x, 8.2, 8.4, 8.6) links to its sites' detail, `/pro/pilotage/lot/sites?table=…`: the lot
and its sites side by side, one table at a time. The lot's CSV holds every table with the
sites' rows.

Every site of every table on one page made ~2,900 cells for a lot of 45 sites: a wall to
scroll on a phone, and too slow to build and render (p95 182 ms against the 100 ms target,
`bench/RESULTS.md`).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from portal.auth.policies import current_operator, staff_required
from portal.extensions import db
from portal.network.models import Operator, Site, StaffRole
from portal.reporting.indicators import Figure, Period, Reported, reported_figures
from portal.reporting.indicators.catalogue import BY_NUMBER
from portal.reporting.steering_forms import period_name
from portal.reporting.steering_tables import (
    Column,
    Place,
    SteeringTable,
    TableShape,
    Value,
    below_rule,
    family_tables,
    flagged,
    missing_definitions,
    period_for,
    ruled_numbers,
    table_shapes,
)
from portal.reporting.steering_trends import trends
from portal.reporting.steering_views import (
    category_labels,
    charts_of,
    chooser,
    csv_response,
    figures_of,
    live_notes,
    lot_place,
    refused,
)

bp = Blueprint("steering_lot", __name__)

Page = str | Response | tuple[str, int]


def flagged_sites(
    figures: Sequence[Figure], sites: Sequence[Place], month: Period, semester: Period
) -> list[tuple[str, str, str]]:
    """The sites' figures of the chosen periods beyond a rule: (site, indicator, figure), by
    site name."""
    names = {p.site_id: p.label for p in sites}
    found = []
    for figure in figures:
        name = names.get(figure.site_id)
        definition = BY_NUMBER.get(figure.number)
        if name is None or definition is None:
            continue
        if figure.period != period_for(definition, month, semester):
            continue
        column = Column(definition, figure.category)
        if below_rule(column, figure.value):
            found.append((name, column.label, Value(figure, column.unit, True).shown()))
    return sorted(found)


def _counted(value: Value) -> bool:
    """Whether the cell holds a figure with cases (not « — »)."""
    return value.figure is not None and value.figure.value is not None


def _operator() -> Operator:
    """The manager's operator; another lot asked by hand does not exist for them (404)."""
    operator = current_operator()
    asked = request.args.get("operator")
    if asked is not None and asked != str(operator.id):
        abort(404)
    return operator


def _sites(operator: Operator, lot: Place) -> list[Place]:
    found = db.session.scalars(
        select(Site).where(Site.operator_id == operator.id).order_by(Site.name)
    )
    return [Place(operator.id, s.id, s.name, lot.region, operator.code) for s in found]


def _with_sites(
    operator: Operator, month: Period, semester: Period, shapes: Sequence[TableShape]
) -> tuple[list[SteeringTable], Reported]:
    """The tables with a row for the lot and one per site that has a figure; and their
    figures as read (only the periods their indicators need: a monthly table never computes a
    semester not stored yet)."""
    definitions = [d for s in shapes for d in s.definitions]
    periods = [
        p
        for p in (month, semester)
        if any(period_for(d, month, semester) == p for d in definitions)
    ]
    reported = reported_figures(
        db.session,
        periods,
        operator_ids=[operator.id],
        by_site=True,
        numbers=sorted({d.number for d in definitions}),
    )
    lot = lot_place(operator)
    found = family_tables(
        reported.figures,
        [lot, *_sites(operator, lot)],
        month,
        semester,
        reported.stored,
        category_labels(),
        shapes,
    )
    for table in found:  # a site without any figure of the table is left out
        table.rows = [r for r in table.rows if not r.site or any(v.figure for v in r.values)]
    return found, reported


def _lot(as_csv: bool) -> Page:
    operator = _operator()
    form, valid = chooser(None)
    if not valid:
        return refused(form, as_csv, national=False)
    month, semester = form.month_period, form.semester_period
    months, reported = figures_of(month, semester, [operator.id])
    lot = lot_place(operator)
    found = trends(reported.figures, [lot], months, reported.stored)
    if as_csv:
        tables, _read = _with_sites(operator, month, semester, table_shapes())
        return csv_response(tables, found, f"indicateurs-lot-{operator.lot_number}-{month.key}")
    tables = family_tables(
        reported.figures, [lot], month, semester, reported.stored, category_labels()
    )
    ruled = reported_figures(
        db.session,
        [month, semester],
        operator_ids=[operator.id],
        by_site=True,
        numbers=ruled_numbers(),
    )
    sites = _sites(operator, lot)
    return render_template(
        "reporting/steering.html",
        form=form,
        national=False,
        lot_name=lot.label,
        tables=tables,
        site_count=len(sites),
        charts=charts_of(found),
        missing=missing_definitions(),
        flagged=flagged(tables) + flagged_sites(ruled.figures, sites, month, semester),
        live_notes=live_notes(reported + ruled, month, semester),
        month=month,
        semester=semester,
        period_name=period_name,
    )


@bp.get("/pro/pilotage/lot")
@staff_required(StaffRole.MANAGER)
def lot() -> Page:
    return _lot(as_csv=request.args.get("format") == "csv")


@bp.get("/pro/pilotage/lot.csv")
@staff_required(StaffRole.MANAGER)
def lot_csv() -> Page:
    return _lot(as_csv=True)


@bp.get("/pro/pilotage/lot/sites")
@staff_required(StaffRole.MANAGER)
def sites() -> Page:
    """One table's indicators meaningful per site, for the lot and each of its sites (the
    others, per lot only, are on the lot's page)."""
    operator = _operator()
    shapes = {
        s.id: TableShape(s.id, s.title, tuple(d for d in s.definitions if d.by_site))
        for s in table_shapes()
        if s.per_site
    }
    form, valid = chooser(None, [(s.id, s.title) for s in shapes.values()])
    lot_name = lot_place(operator).label
    if not valid:
        page = render_template("reporting/steering_sites.html", form=form, lot_name=lot_name)
        return page, 422
    month, semester = form.month_period, form.semester_period
    tables, reported = _with_sites(operator, month, semester, [shapes[form.table.data or ""]])
    table = tables[0]
    # On the page, a site with no case in any column is left out too (the CSV keeps it).
    table.rows = [r for r in table.rows if not r.site or any(_counted(v) for v in r.values)]
    return render_template(
        "reporting/steering_sites.html",
        form=form,
        lot_name=lot_name,
        table=table,
        flagged=flagged([table]),
        live_notes=live_notes(reported, month, semester),
        month=month,
        semester=semester,
        period_name=period_name,
    )

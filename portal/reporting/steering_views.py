"""The steering views of issue 15 §3: the national view for France compétences staff and the
mediator (every lot side by side, aggregated figures only), with its trend charts and a CSV of
every table; and the helpers the lot's view shares with it (`steering_lot`).

The pages show the figures as they were reported: `reported_figures` reads what the monthly job
(`flask cep indicators`) stored — one statement for the chosen month and semester, one for the
trend's indicators over the 12 months before — and computes now only a period never stored (the
current month, a month the job has not run for), which the page says in words. A figure the job
revised shows its revisions (« révisé le … : 12 → 13 »)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import partial

from flask import Blueprint, Flask, Response, abort, render_template, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from portal.advisor.reference import labels as reference_labels
from portal.auth.policies import staff_required
from portal.clock import now, today_in_france
from portal.extensions import db
from portal.network.models import Operator, StaffRole
from portal.network.territory import LOT_BY_NUMBER
from portal.reporting.charts import Series, line_chart
from portal.reporting.indicators import Period, Reported, reported_figures
from portal.reporting.indicators.stored import latest_reported_month
from portal.reporting.steering_csv import steering_csv
from portal.reporting.steering_forms import (
    SteeringForm,
    default_month,
    default_semester,
    period_name,
)
from portal.reporting.steering_tables import (
    Place,
    SteeringTable,
    family_tables,
    flagged,
    formatted,
    missing_definitions,
)
from portal.reporting.steering_trends import TREND, Trend, trends

bp = Blueprint("steering", __name__)

# France compétences steers the 18 lots; the mediator sees the same aggregated figures
# (every lot, no person), as for the national view of 8.7.
NATIONAL = (StaffRole.FRANCE_COMPETENCES, StaffRole.MEDIATOR)
TREND_MONTHS = 13  # a year and the same month a year before


def lot_name(operator: Operator) -> str:
    return str(_("Lot %(number)d — %(name)s", number=operator.lot_number, name=operator.name))


def lot_place(operator: Operator) -> Place:
    lot = LOT_BY_NUMBER.get(operator.lot_number)
    return Place(operator.id, None, lot_name(operator), lot.name if lot else "", operator.code)


def nation() -> Place:
    return Place(None, None, _("Ensemble des lots"))


def months_until(until: Period) -> list[Period]:
    months = [until]
    while len(months) < TREND_MONTHS:
        months.append(months[-1].previous())
    return months[::-1]


def _default_month(today: date) -> Period:
    """The latest month the monthly job stored (the figures reported), else the last complete
    month; never a month after the last complete one."""
    complete = default_month(today)
    if "month" in request.args:
        return complete  # chosen: no statement for the default
    return latest_reported_month(db.session, complete) or complete


def chooser(
    lots: list[tuple[str, str]] | None, tables: list[tuple[str, str]] | None = None
) -> tuple[SteeringForm, bool]:
    """The page's chooser, filled from the query string; valid when nothing is asked (the
    defaults)."""
    today = today_in_france()
    form = SteeringForm(
        request.args,
        today=today,
        lots=lots,
        tables=tables,
        table=tables[0][0] if tables else None,
        month=_default_month(today).key,
        semester=default_semester(today).key,
    )
    valid = not {"month", "semester", "lot", "table"} & set(request.args) or form.validate()
    return form, bool(valid)


def refused(form: SteeringForm, as_csv: bool, *, national: bool) -> tuple[str, int]:
    """A wrong choice, told on the page (422) with the other choices kept. A CSV link is built
    from a valid page: no person types a wrong one, so the CSV only answers 422."""
    if as_csv:
        abort(422)
    page = render_template("reporting/steering.html", form=form, national=national, tables=None)
    return page, 422


def figures_of(
    month: Period, semester: Period, operator_ids: list[int] | None
) -> tuple[list[Period], Reported]:
    """The chosen month and semester (every indicator, for the lots), then the trend's few
    indicators over the 12 months before: two statements when every period is stored. A
    period never stored is computed now (the core's ~15 statements)."""
    months = months_until(month)
    chosen = reported_figures(db.session, [month, semester], operator_ids=operator_ids)
    trend_numbers = sorted({number for number, _category in TREND})
    before = reported_figures(
        db.session, months[:-1], operator_ids=operator_ids, numbers=trend_numbers
    )
    return months, chosen + before


def live_notes(reported: Reported, month: Period, semester: Period) -> list[str]:
    """What the page says of the figures computed now (periods the job has not stored)."""
    notes = []
    if month in reported.live:
        notes.append(
            _("Calculé à l'instant : ce mois n'a pas encore été arrêté par le calcul mensuel.")
        )
    if semester in reported.live:
        notes.append(
            _(
                "Calculé à l'instant : ce semestre n'a pas encore été arrêté par le calcul "
                "mensuel (il l'est avec son dernier mois, juin ou décembre)."
            )
        )
    others = [p for p in reported.live if p not in (month, semester)]
    if others:
        notes.append(
            _(
                "Tendance calculée à l'instant pour %(months)s : mois pas encore arrêtés par le "
                "calcul mensuel.",
                months=", ".join(period_name(p) for p in others),
            )
        )
    return [str(n) for n in notes]


def _shown(value: float, unit: str) -> str:
    return formatted(value, unit)


def charts_of(found: Sequence[Trend]) -> list[tuple[Trend, Markup]]:
    """Each trend as a line chart (the nation's and the lot's lines); its table follows it."""
    charts = []
    for trend in found:
        labels = [str(format_date(m.start, "MMM yy")) for m in trend.months]
        series = [
            Series(place.label, [v.figure.value if v.figure else None for v in values])
            for place, values in trend.series
        ]
        unit = trend.column.unit
        title = _(
            "%(label)s, de %(first)s à %(last)s",
            label=trend.column.label,
            first=period_name(trend.months[0]),
            last=period_name(trend.months[-1]),
        )
        chart = line_chart(f"chart-{trend.id}", title, labels, series, partial(_shown, unit=unit))
        charts.append((trend, chart))
    return charts


def csv_response(tables: Sequence[SteeringTable], found: Sequence[Trend], name: str) -> Response:
    """The tables asked by `?table=` (every one when absent), as a CSV download."""
    wanted = request.args.get("table", "").strip()
    if wanted:
        tables = [t for t in tables if t.id == wanted]
        found = [t for t in found if t.id == wanted]
        if not tables and not found:
            abort(404)
        name = f"{name}-{wanted}"
    return Response(
        steering_csv(tables, found, now()).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def category_labels() -> dict[tuple[str, str], str]:
    """The labels of the categories of 2.3, 2.4 and 8.2, from the reference lists (one
    statement)."""
    return reference_labels(db.session, str(get_locale()))


def _operators() -> list[Operator]:
    return list(db.session.scalars(select(Operator).order_by(Operator.lot_number, Operator.name)))


def _national(as_csv: bool) -> str | Response | tuple[str, int]:
    operators = _operators()
    form, valid = chooser([(str(o.id), lot_name(o)) for o in operators])
    if not valid:
        return refused(form, as_csv, national=True)
    month, semester = form.month_period, form.semester_period
    months, reported = figures_of(month, semester, None)
    places = [lot_place(o) for o in operators] + [nation()]
    tables = family_tables(
        reported.figures, places, month, semester, reported.stored, category_labels()
    )
    chosen = next((p for p in places if p.operator_id == form.operator_id), None)
    trend_places = [nation()] + ([chosen] if form.operator_id and chosen else [])
    found = trends(reported.figures, trend_places, months, reported.stored)
    if as_csv:
        return csv_response(tables, found, f"pilotage-{month.key}-{semester.key}")
    return render_template(
        "reporting/steering.html",
        form=form,
        national=True,
        tables=tables,
        charts=charts_of(found),
        missing=missing_definitions(),
        flagged=flagged(tables),
        live_notes=live_notes(reported, month, semester),
        month=month,
        semester=semester,
        period_name=period_name,
    )


@bp.get("/pro/pilotage")
@staff_required(*NATIONAL)
def national() -> str | Response | tuple[str, int]:
    return _national(as_csv=request.args.get("format") == "csv")


@bp.get("/pro/pilotage.csv")
@staff_required(*NATIONAL)
def national_csv() -> str | Response | tuple[str, int]:
    return _national(as_csv=True)


def init_app(app: Flask) -> None:
    from portal.reporting import steering_lot  # its routes use this module's helpers

    app.register_blueprint(bp)
    app.register_blueprint(steering_lot.bp)

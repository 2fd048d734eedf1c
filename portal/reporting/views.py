"""The reports' pages: the mediator's annual report (page and CSV) for the mediator and France
compétences, indicator 8.7 for an operator's managers, and the national view of 8.7 — the
first page of the national views, which see every lot but only aggregated figures."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.advisor.reference import reference_tables
from portal.auth.policies import current_operator, staff_required
from portal.clock import today_in_france
from portal.extensions import db
from portal.mediation.models import MOTIVE_LIST
from portal.network.models import Operator, StaffRole
from portal.reporting.complaints import national_totals, referral_shares
from portal.reporting.exports import long_csv
from portal.reporting.forms import ReportForm, SemesterForm, semester_code
from portal.reporting.mediation_report import FIRST_REPORT_YEAR, mediation_report
from portal.reporting.texts import report_tables, semester_name
from portal.satisfaction.indicators import Semester, last_semesters

bp = Blueprint("reporting", __name__)

# The mediator writes the annual report (CCTP 3.7); France compétences receives it.
NATIONAL = (StaffRole.MEDIATOR, StaffRole.FRANCE_COMPETENCES)
# Indicator 8.7 (CCTP 4.3): computed every six months over four semesters.
SEMESTERS_SHOWN = 4


def _operators() -> list[Operator]:
    return list(db.session.scalars(select(Operator).order_by(Operator.lot_number, Operator.name)))


def _lot_name(operator: Operator) -> str:
    return str(_("Lot %(number)d — %(name)s", number=operator.lot_number, name=operator.name))


def _report_form() -> tuple[ReportForm, dict[int, Operator], bool]:
    """The form read from the query string; valid on the first visit (this year, every lot)."""
    operators = {o.id: o for o in _operators()}
    today = today_in_france()
    form = ReportForm(
        request.args,
        year=str(today.year),
        last_year=today.year,
        lots=[(str(o.id), _lot_name(o)) for o in operators.values()],
    )
    valid = not {"year", "lot"} & set(request.args) or form.validate()
    return form, operators, bool(valid)


@bp.get("/pro/rapports/mediation")
@staff_required(*NATIONAL)
def mediation() -> str | tuple[str, int]:
    form, operators, valid = _report_form()
    tables = None
    if valid:
        report = mediation_report(db.session, year=form.year_value, operator_id=form.operator_id)
        labels = reference_tables(db.session, str(get_locale()))
        tables = report_tables(report, lambda code: labels.label(MOTIVE_LIST, code))
    page = render_template(
        "reporting/mediation.html",
        form=form,
        tables=tables,
        lot=operators.get(form.operator_id or 0) if valid else None,
    )
    return page if valid else (page, 422)


@bp.get("/pro/rapports/mediation.csv")
@staff_required(*NATIONAL)
def mediation_csv() -> Response | tuple[str, int]:
    form, operators, valid = _report_form()
    if not valid:
        return render_template("reporting/mediation.html", form=form, tables=None, lot=None), 422
    year, operator_id = form.year_value, form.operator_id
    report = mediation_report(db.session, year=year, operator_id=operator_id)
    labels = reference_tables(db.session, str(get_locale()))
    title = _("Rapport annuel du médiateur")
    lot = operators[operator_id] if operator_id else None
    content = long_csv(
        [_("Rubrique"), _("Élément"), _("Mesure"), _("Valeur")],
        [
            (title, _("Année"), str(year)),
            (title, _("Lot"), _lot_name(lot) if lot else _("Tous les lots")),
        ],
        report_tables(report, lambda code: labels.label(MOTIVE_LIST, code)),
    )
    name = f"rapport-mediation-{year}" + (f"-lot-{lot.lot_number}" if lot else "") + ".csv"
    return Response(
        content.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _semester_form() -> tuple[SemesterForm, list[Semester], bool]:
    """The four semesters up to the chosen one (the current one on the first visit)."""
    today = today_in_france()
    current = Semester.of(today)
    choices, semester = [], current
    while semester.year >= FIRST_REPORT_YEAR:
        choices.append((semester_code(semester), semester_name(semester)))
        semester = semester.previous()
    form = SemesterForm(request.args, until=semester_code(current), semesters=choices)
    valid = "until" not in request.args or form.validate()
    until = form.semester if valid else current
    return form, last_semesters(until.end, SEMESTERS_SHOWN), bool(valid)


@bp.get("/pro/indicateurs/reclamations")
@staff_required(StaffRole.MANAGER)
def complaints_indicator() -> str | tuple[str, int]:
    operator = current_operator()
    form, semesters, valid = _semester_form()
    page = render_template(
        "reporting/complaints_indicator.html",
        form=form,
        shares=referral_shares(db.session, semesters, [operator.id]),
        current=Semester.of(today_in_france()),
        semester_name=semester_name,
    )
    return page if valid else (page, 422)


@bp.get("/pro/national/reclamations")
@staff_required(*NATIONAL)
def national_complaints() -> str | tuple[str, int]:
    form, semesters, valid = _semester_form()
    operators = _operators()
    shares = referral_shares(db.session, semesters, [o.id for o in operators])
    page = render_template(
        "reporting/national_complaints.html",
        form=form,
        semesters=semesters,
        operators=operators,
        shares={(s.operator_id, s.semester): s for s in shares},
        totals={s.semester: s for s in national_totals(shares, semesters)},
        current=Semester.of(today_in_france()),
        semester_name=semester_name,
    )
    return page if valid else (page, 422)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""The steering views' chooser (issue 15 §3): the month of the monthly indicators, the semester
of the semestrial ones, on the national view the lot whose trend is drawn beside the nation's,
and on a lot's sites' detail the table shown. A GET form (no CSRF), checked on the server; a
wrong value is told and the other choices are kept."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, ValidationError

from portal.clock import today_in_france
from portal.forms import PortalForm
from portal.reporting.indicators import Period
from portal.reporting.mediation_report import FIRST_REPORT_YEAR

# The portal's figures start with the framework agreement (2019, as the mediator's report).
FIRST_MONTH = date(FIRST_REPORT_YEAR, 1, 1)


def default_month(today: date) -> Period:
    """The last complete month: the current one is still filling."""
    return Period.month_of(today).previous()


def default_semester(today: date) -> Period:
    """The last complete semester (8.1 is read once the survey of a semester is closed)."""
    return Period.semester_of(today).previous()


def month_name(period: Period) -> str:
    return str(format_date(period.start, "MMMM y"))


def semester_name(period: Period) -> str:
    if period.start.month == 1:
        return str(_("1er semestre %(year)d", year=period.start.year))
    return str(_("2e semestre %(year)d", year=period.start.year))


def period_name(period: Period) -> str:
    return month_name(period) if period.kind == "month" else semester_name(period)


def _back_to_first(current: Period) -> list[Period]:
    periods = [current]
    while periods[-1].start > FIRST_MONTH:
        periods.append(periods[-1].previous())
    return periods


class SteeringForm(PortalForm):
    class Meta:
        csrf = False  # a GET filter

    month = SelectField(_l("Mois (indicateurs mensuels)"), choices=[], validate_choice=False)
    semester = SelectField(
        _l("Semestre (indicateurs semestriels)"), choices=[], validate_choice=False
    )
    lot = SelectField(_l("Lot comparé à la nation"), choices=[], validate_choice=False)
    table = SelectField(_l("Tableau"), choices=[], validate_choice=False)

    def __init__(
        self,
        *args: object,
        today: date | None = None,
        lots: list[tuple[str, str]] | None = None,
        tables: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)
        today = today or today_in_france()
        current = Period.month_of(today)
        self.month.choices = [
            (p.key, month_name(p) + (str(_(" (en cours)")) if p == current else ""))
            for p in _back_to_first(current)
        ]
        this_semester = Period.semester_of(today)
        self.semester.choices = [
            (p.key, semester_name(p) + (str(_(" (en cours)")) if p == this_semester else ""))
            for p in _back_to_first(this_semester)
        ]
        self.lot.choices = [("", _("Aucun")), *(lots or [])]
        if lots is None:
            del self.lot  # the lot view has its own lot
        if tables is None:
            del self.table  # only the sites' detail shows one table
        else:
            self.table.choices = tables

    def validate_month(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.month.choices}:
            raise ValidationError(_("Choisissez un mois de la liste (par exemple « 2026-11 »)."))

    def validate_semester(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.semester.choices}:
            raise ValidationError(_("Choisissez un semestre de la liste."))

    def validate_lot(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in self.lot.choices}:
            raise ValidationError(_("Choisissez un lot de la liste."))

    def validate_table(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.table.choices}:
            raise ValidationError(_("Choisissez un tableau de la liste."))

    @property
    def month_period(self) -> Period:
        return Period.parse(self.month.data or "")

    @property
    def semester_period(self) -> Period:
        return Period.parse(self.semester.data or "")

    @property
    def operator_id(self) -> int | None:
        lot = getattr(self, "lot", None)
        return int(lot.data) if lot is not None and lot.data else None


__all__ = [
    "SteeringForm",
    "default_month",
    "default_semester",
    "month_name",
    "period_name",
    "semester_name",
]

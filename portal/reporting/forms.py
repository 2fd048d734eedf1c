"""The reports' choosers: GET forms (no CSRF), checked on the server, what was typed kept."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, ValidationError

from portal.forms import PortalForm
from portal.reporting.mediation_report import FIRST_REPORT_YEAR
from portal.satisfaction.indicators import Semester


class ReportForm(PortalForm):
    """The annual report's year and lot (every lot when empty)."""

    class Meta:
        csrf = False  # a GET filter

    first_year = FIRST_REPORT_YEAR
    year = StringField(_l("Année"))
    lot = SelectField(_l("Lot"), choices=[], validate_choice=False)

    def __init__(
        self,
        *args: object,
        last_year: int = FIRST_REPORT_YEAR,
        lots: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ):
        super().__init__(*args, **kwargs)
        self.last_year = last_year
        self.lot.choices = [("", _("Tous les lots")), *(lots or [])]

    def validate_year(self, field: StringField) -> None:
        typed = (field.data or "").strip()
        if not typed:
            raise ValidationError(_("Indiquez l'année du rapport."))
        if not typed.isdigit() or not FIRST_REPORT_YEAR <= int(typed) <= self.last_year:
            raise ValidationError(
                _(
                    "Indiquez une année de %(first)d à %(last)d, en chiffres "
                    "(par exemple %(last)d).",
                    first=FIRST_REPORT_YEAR,
                    last=self.last_year,
                )
            )

    def validate_lot(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in self.lot.choices}:
            raise ValidationError(_("Choisissez un lot de la liste."))

    @property
    def year_value(self) -> int:
        return int((self.year.data or "").strip())

    @property
    def operator_id(self) -> int | None:
        return int(self.lot.data) if self.lot.data else None


def semester_code(semester: Semester) -> str:
    return f"{semester.year}-{semester.half}"


class SemesterForm(PortalForm):
    """Indicator 8.7's period: the four semesters up to the one chosen."""

    class Meta:
        csrf = False  # a GET filter

    until = SelectField(_l("Jusqu'au semestre"), choices=[], validate_choice=False)

    def __init__(
        self, *args: object, semesters: list[tuple[str, str]] | None = None, **kwargs: object
    ):
        super().__init__(*args, **kwargs)
        self.until.choices = semesters or []

    def validate_until(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in self.until.choices}:
            raise ValidationError(_("Choisissez un semestre de la liste."))

    @property
    def semester(self) -> Semester:
        year, half = (self.until.data or "").split("-")
        return Semester(int(year), int(half))


__all__ = ["ReportForm", "SemesterForm", "semester_code"]

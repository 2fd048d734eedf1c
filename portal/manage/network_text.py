"""The words of the site screens: error sentences, periods and runs of days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.i18n import format_time_short, weekday_in_text
from portal.manage import bp
from portal.network.continuity import PeriodOccurrence
from portal.network.errors import SiteError, SiteErrorCode

Codes = SiteErrorCode

# Which field of the forms each refusal is shown next to.
ERROR_FIELDS = {
    Codes.HOURS_EMPTY: "closes",
    Codes.HOURS_OVERLAP: "opens",
    Codes.BAD_WEEKDAY: "weekday",
    Codes.CLOSURE_RANGE: "ends_on",
    Codes.CLOSURE_PAST: "ends_on",
    Codes.UNKNOWN_POSTAL_CODE: "postal_code",
    Codes.COMMUNE_NOT_IN_POSTAL_CODE: "commune_name",
    Codes.COMMUNE_OUTSIDE_LOT: "commune_name",
    Codes.NO_MODALITY: "offers_presentiel",
}

ERROR_MESSAGES = {
    Codes.HOURS_EMPTY: _l("L'heure de fermeture doit être après l'heure d'ouverture."),
    Codes.HOURS_OVERLAP: _l(
        "Ces horaires chevauchent ceux du %(day)s (%(range)s) : retirez-les d'abord, ou "
        "choisissez d'autres heures."
    ),
    Codes.BAD_WEEKDAY: _l("Choisissez un jour de la semaine."),
    Codes.CLOSURE_RANGE: _l("Le dernier jour de fermeture ne peut pas précéder le premier."),
    Codes.CLOSURE_PAST: _l("Cette fermeture est déjà passée : indiquez des dates à venir."),
    Codes.UNKNOWN_POSTAL_CODE: _l("Aucune commune ne porte le code postal %(postal_code)s."),
    Codes.COMMUNE_NOT_IN_POSTAL_CODE: _l(
        "« %(commune)s » ne porte pas le code postal %(postal_code)s. Communes de ce code : "
        "%(communes)s."
    ),
    Codes.COMMUNE_OUTSIDE_LOT: _l(
        "%(commune)s n'est pas dans le territoire de votre lot (%(lot)s)."
    ),
    Codes.NO_MODALITY: _l("Cochez au moins une modalité."),
}


def error_message(error: SiteError) -> str:
    params = dict(error.params)
    if error.code is Codes.HOURS_OVERLAP:
        params = {
            "day": weekday_in_text(int(str(params["weekday"]))),
            "range": hours_range(_as_time(params["opens"]), _as_time(params["closes"])),
        }
    return str(ERROR_MESSAGES[error.code]) % {key: str(value) for key, value in params.items()}


def _as_time(value: object) -> time:
    if not isinstance(value, time):
        raise TypeError(value)
    return value


def hours_range(opens: time, closes: time) -> str:
    return f"{format_time_short(opens)} – {format_time_short(closes)}"


@bp.app_template_filter("date_runs")
def format_runs(runs: Iterable[tuple[date, date]]) -> str:
    """« 3 août 2027, du 10 août 2027 au 14 août 2027 »."""
    parts = []
    for first, last in runs:
        if first == last:
            parts.append(str(format_date(first, "long")))
        else:
            first_day, last_day = format_date(first, "long"), format_date(last, "long")
            parts.append(str(_("du %(first)s au %(last)s", first=first_day, last=last_day)))
    return ", ".join(parts)


@bp.app_template_filter("period_label")
def period_label(occurrence: PeriodOccurrence) -> str:
    period = occurrence.period
    # The year the period started (an occurrence under way counts from today).
    year = occurrence.ends_on.year - (period.ends < period.starts)
    if period.code == "summer":
        return str(_("été %(year)s", year=year))
    return str(_("fêtes de fin d'année %(year)s–%(next)s", year=year, next=year + 1))

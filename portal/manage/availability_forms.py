"""Forms of the staff booking screens: availability windows and absences, the advisor list's
filter and the period of the delay indicator.

The forms check the shape of what was typed (a time, a date, a number); the business rules
(opening hours, overlaps, modalities…) are the booking core's, in `booking.availability`, and
`error_message` words its errors for people.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.booking.availability import AvailabilityError, AvailabilityErrorCode
from portal.booking.models import AvailabilityWindow
from portal.forms import PortalForm
from portal.i18n import format_time_short, weekday_in_text, weekday_name
from portal.network.models import Modality

# An indicator over more than two years is an export, not a screen.
MAX_PERIOD_DAYS = 731

TIME_MESSAGE = _l("Indiquez une heure, par exemple 09:00.")
DATE_MESSAGE = _l("Indiquez une date, par exemple 2026-12-01.")
MODALITY_CHOICES = [
    SelectChoice(Modality.PRESENTIEL.value, _l("Sur place")),
    SelectChoice(Modality.TELEPHONE.value, _l("Par téléphone")),
    SelectChoice(Modality.VISIO.value, _l("En visio")),
]


def _day(label: Any, *, required: bool = True) -> DateField:
    validators = [InputRequired(message=DATE_MESSAGE)] if required else [Optional()]
    return DateField(label, validators=validators, invalid_value_message=DATE_MESSAGE)


def _time(label: Any) -> TimeField:
    return TimeField(
        label, validators=[InputRequired(message=TIME_MESSAGE)], invalid_value_message=TIME_MESSAGE
    )


class WindowForm(PortalForm):
    """A recurring availability window; the site choices are the advisor's sites."""

    site = SelectField(_l("Lieu"), choices=[], validate_choice=False)
    weekday = SelectField(_l("Jour de la semaine"), choices=[], validate_choice=False)
    starts = _time(_l("Heure de début"))
    ends = _time(_l("Heure de fin"))
    modalities = SelectMultipleField(
        _l("Modalités proposées"),
        choices=MODALITY_CHOICES,
        default=[Modality.PRESENTIEL.value],
        validators=[InputRequired(message=_l("Cochez au moins une modalité."))],
    )
    slot_minutes = IntegerField(
        _l("Durée d'un créneau (minutes)"),
        default=60,
        validators=[InputRequired(message=_l("Indiquez une durée en minutes, par exemple 60."))],
        invalid_value_message=_l("Indiquez une durée en minutes, par exemple 60."),
    )
    valid_from = _day(_l("Valable à partir du"))
    valid_until = _day(_l("Jusqu'au (facultatif)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weekday.choices = [SelectChoice(str(day), weekday_name(day)) for day in range(7)]

    def validate_weekday(self, field: SelectField) -> None:
        if field.data not in {str(day) for day in range(7)}:
            raise ValidationError(_l("Choisissez un jour de la semaine."))


class AbsenceForm(PortalForm):
    starts_on = _day(_l("Absent du"))
    ends_on = _day(_l("Au (inclus)"))
    reason = StringField(
        _l("Motif (facultatif)"),
        validators=[Optional(), Length(max=200, message=_l("200 caractères au plus."))],
    )


class AdvisorFilterForm(PortalForm):
    class Meta:
        csrf = False  # a GET search

    q = StringField(_l("Nom du conseiller"), validators=[Optional(), Length(max=100)])
    site = SelectField(_l("Site"), choices=[], validate_choice=False)


class PeriodForm(PortalForm):
    """The period of indicator 8.4: requests made from `start` to `end`, both included."""

    class Meta:
        csrf = False  # a GET filter

    start = _day(_l("Demandes faites du"))
    end = _day(_l("au"))

    def validate_end(self, field: DateField) -> None:
        if self.start.data is None or field.data is None:
            return
        if field.data < self.start.data:
            raise ValidationError(_l("La fin de la période précède son début."))
        if field.data - self.start.data > timedelta(days=MAX_PERIOD_DAYS):
            raise ValidationError(_l("Choisissez une période de deux ans au plus."))


def int_or_none(value: str | None) -> int | None:
    """A select's value as an id ("" or anything else that is not a number: None)."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


# The words people read for each broken rule of booking.availability.
Codes = AvailabilityErrorCode
MESSAGES = {
    Codes.SLOT_LENGTH: _l("Un créneau dure de %(min)s à %(max)s minutes."),
    Codes.RANGE: _l("L'heure de fin doit être après l'heure de début."),
    Codes.SHORTER_THAN_SLOT: _l("La plage est plus courte qu'un créneau : allongez-la."),
    Codes.VALIDITY: _l("La fin de validité précède son début."),
    Codes.NO_MODALITY: _l("Cochez au moins une modalité."),
    Codes.PRESENTIEL_NEEDS_SITE: _l(
        "Un rendez-vous sur place a besoin d'un site : choisissez-en un, ou ne proposez que "
        "le téléphone et la visio."
    ),
    Codes.FOREIGN_SITE: _l("Ce site n'est pas un site ouvert de votre opérateur."),
    Codes.ADVISOR_NOT_AT_SITE: _l("Ce conseiller n'est pas rattaché au site %(site)s."),
    Codes.OUTSIDE_OPENING_HOURS: _l(
        "Cette plage est en dehors des horaires d'ouverture du site %(site)s ce jour-là "
        "(%(hours)s)."
    ),
    Codes.MODALITY_NOT_OFFERED: _l(
        "Le site %(site)s ne propose pas toutes ces modalités : décochez celles qu'il n'offre pas."
    ),
    Codes.OVERLAP: _l(
        "Ce conseiller a déjà une plage le %(weekday)s de %(starts)s à %(ends)s sur la même "
        "période : les plages ne doivent pas se chevaucher."
    ),
    Codes.ABSENCE_RANGE: _l("La fin de l'absence précède son début."),
}


def error_message(error: AvailabilityError) -> str:
    params: dict[str, Any] = dict(error.params)
    if error.code is Codes.OVERLAP:
        other: AvailabilityWindow = params.pop("other")
        params.update(
            weekday=weekday_in_text(other.weekday),
            starts=format_time_short(other.starts),
            ends=format_time_short(other.ends),
        )
    if error.code is Codes.OUTSIDE_OPENING_HOURS:
        ranges = params.pop("hours")
        params["hours"] = (
            ", ".join(f"{format_time_short(o)}–{format_time_short(c)}" for o, c in ranges)
            if ranges
            else _("fermé")
        )
    return str(MESSAGES[error.code] % params)

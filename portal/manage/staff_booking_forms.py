"""Forms of « Proposer un rendez-vous » for a waiting request: the week's filters (a GET), the
chosen slot, and a one-off time typed by staff. They check the shape of what was typed; the
rules (the operator's slot, the deadline and its reason, the advisor free) are the booking
core's, in `booking.staff_booking`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.booking.one_off import MAX_MINUTES, MIN_MINUTES
from portal.booking.staff_booking import LATE_REASON_MAX
from portal.forms import PortalForm
from portal.manage.availability_forms import DATE_MESSAGE, MODALITY_CHOICES, TIME_MESSAGE
from portal.network.models import Modality

LATE_REASON_LABEL = _l("Raison d'un rendez-vous après la date limite")


def _late_reason() -> TextAreaField:
    return TextAreaField(
        LATE_REASON_LABEL,
        validators=[
            Optional(),
            Length(
                max=LATE_REASON_MAX,
                message=_l("%(max)d caractères au plus.", max=LATE_REASON_MAX),
            ),
        ],
    )


class SlotFilterForm(PortalForm):
    """Which slots the week shows; a value that is not one of the choices is ignored."""

    class Meta:
        csrf = False  # a GET filter

    site = SelectField(_l("Site"), choices=[], validate_choice=False)
    modality = SelectField(_l("Modalité"), choices=[], validate_choice=False)
    advisor = SelectField(_l("Conseiller"), choices=[], validate_choice=False)
    week = DateField(_l("Semaine du"), validators=[Optional()])


class BookSlotForm(PortalForm):
    """One of the week's free slots, in one of its modalities."""

    slot = StringField(
        _l("Créneau"), validators=[InputRequired(message=_l("Choisissez un créneau."))]
    )
    modality = RadioField(
        _l("Modalité du rendez-vous"),
        choices=MODALITY_CHOICES,
        validators=[InputRequired(message=_l("Choisissez une modalité."))],
        validate_choice=False,
    )
    late_reason = _late_reason()

    def validate_modality(self, field: RadioField) -> None:
        if not _offered(field):
            raise ValidationError(_l("Choisissez une modalité."))


class OneOffForm(PortalForm):
    """A time typed by staff, outside the advisor's windows; its slot is made for this person."""

    day = DateField(
        _l("Date"),
        validators=[InputRequired(message=DATE_MESSAGE)],
        invalid_value_message=DATE_MESSAGE,
    )
    starts = TimeField(
        _l("Heure"),
        validators=[InputRequired(message=TIME_MESSAGE)],
        invalid_value_message=TIME_MESSAGE,
    )
    minutes = IntegerField(
        _l("Durée (minutes)"),
        default=60,
        validators=[
            InputRequired(message=_l("Indiquez une durée en minutes, par exemple 60.")),
            NumberRange(
                min=MIN_MINUTES,
                max=MAX_MINUTES,
                message=_l(
                    "Indiquez une durée de %(min)d à %(max)d minutes.",
                    min=MIN_MINUTES,
                    max=MAX_MINUTES,
                ),
            ),
        ],
        invalid_value_message=_l("Indiquez une durée en minutes, par exemple 60."),
    )
    advisor = SelectField(_l("Conseiller"), choices=[], validate_choice=False)
    modality = SelectField(
        _l("Modalité du rendez-vous"),
        choices=MODALITY_CHOICES,
        validate_choice=False,
    )
    site = SelectField(_l("Site (sur place)"), choices=[], validate_choice=False)
    late_reason = _late_reason()

    def validate_advisor(self, field: SelectField) -> None:
        if not _offered(field):
            raise ValidationError(_l("Choisissez un conseiller de la liste."))

    def validate_modality(self, field: SelectField) -> None:
        if not field.data or not _offered(field):
            raise ValidationError(_l("Choisissez une modalité."))

    def validate_site(self, field: SelectField) -> None:
        if field.data and not _offered(field):
            raise ValidationError(_l("Choisissez un site de la liste."))
        if self.modality.data == Modality.PRESENTIEL.value and not field.data:
            raise ValidationError(_l("Choisissez le site où recevoir la personne."))


def _offered(field: SelectField | RadioField) -> bool:
    return any(str(item.value) == field.data for item in field.iter_choices())

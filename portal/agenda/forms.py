"""Forms of the agenda: the manager's choice of advisor (GET) and the move of an appointment.

They check the shape of what was typed; the rules (deadlines, the référent unique, a slot
taken meanwhile) are `portal.agenda.moves`', worded for people in `portal.agenda.texts`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.booking.one_off import MAX_MINUTES, MIN_MINUTES
from portal.forms import PortalForm
from portal.manage.availability_forms import DATE_MESSAGE, MODALITY_CHOICES, TIME_MESSAGE

REASON_MAX = 500


class AdvisorPickForm(PortalForm):
    """A manager's choice of advisor on the agenda (GET: no CSRF token)."""

    class Meta(PortalForm.Meta):
        csrf = False

    advisor = SelectField(_l("Conseiller"), choices=[], validate_choice=False)


class MoveForm(PortalForm):
    """Move to a free slot (`how` = "slot") or to a time typed by staff (`how` = "time")."""

    how = HiddenField(default="slot")
    slot = RadioField(_l("Créneau libre"), choices=[], validate_choice=False)
    day = DateField(_l("Date"), validators=[Optional()], invalid_value_message=DATE_MESSAGE)
    start = TimeField(_l("Heure"), validators=[Optional()], invalid_value_message=TIME_MESSAGE)
    minutes = IntegerField(
        _l("Durée (minutes)"),
        default=60,
        validators=[
            Optional(),
            NumberRange(
                min=MIN_MINUTES,
                max=MAX_MINUTES,
                message=_l("Indiquez une durée entre %(min)d et %(max)d minutes."),
            ),
        ],
    )
    modality = SelectField(
        _l("Modalité"),
        choices=MODALITY_CHOICES,
        validators=[InputRequired(message=_l("Choisissez une modalité."))],
    )
    site = SelectField(_l("Lieu (sur place)"), choices=[], validate_choice=False)
    late_reason = TextAreaField(
        _l("Motif d'un rendez-vous après le délai de la demande"),
        validators=[Optional(), Length(max=REASON_MAX)],
    )
    other_advisor_reason = TextAreaField(
        _l("Motif d'une séance avec un autre conseiller que le référent"),
        validators=[Optional(), Length(max=REASON_MAX)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if self.how.data == "time":
            for field, message in (
                (self.day, DATE_MESSAGE),
                (self.start, TIME_MESSAGE),
            ):
                if field.data is None and not field.errors:
                    field.errors = [*field.errors, str(message)]
                    valid = False
            if self.day.data is not None and not 2000 <= self.day.data.year <= 2100:
                self.day.errors = [*self.day.errors, str(DATE_MESSAGE)]
                valid = False
            if self.minutes.data is None and not self.minutes.errors:
                self.minutes.errors = [*self.minutes.errors, str(_l("Indiquez une durée."))]
                valid = False
        elif not (self.slot.data or "").isdigit() or len(self.slot.data) > 9:
            self.slot.errors = [*self.slot.errors, str(_l("Choisissez un créneau."))]
            valid = False
        return valid

"""The forms of follow-up sessions: the advisor's « Prochaine séance » (book or move), « Séance
tenue », the person's move on their signed page, and the operator's video URL template.

Choices are set by the view from the database (the advisor's free slots, the operator's
sites and advisors); a value outside them gets a message, never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.booking.forms import MODALITY_LABELS
from portal.booking.models import Slot
from portal.booking.slots import operator_timezone
from portal.forms import PortalForm
from portal.i18n import format_time_short, long_date, upper_first
from portal.network.models import Modality, Site, StaffMember

TYPED = ""  # the slot choice « another time, typed below »
NOT_OFFERED = _l("Choisissez une valeur de la liste.")


def slot_label(slot: Slot) -> str:
    zone = operator_timezone(slot.operator)
    starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
    modes = ", ".join(str(MODALITY_LABELS[m]).lower() for m in slot.modalities)
    where = f" · {slot.site.name}" if slot.site is not None else ""
    return (
        f"{upper_first(long_date(starts.date()))}, {format_time_short(starts.time())}"
        f"–{format_time_short(ends.time())} ({modes}){where}"
    )


def modality_choices() -> list[SelectChoice]:
    return [SelectChoice(m.value, label) for m, label in MODALITY_LABELS.items()]


class SessionForm(PortalForm):
    """Book (or move) a session: one of the advisor's free slots, or a typed time."""

    slot = SelectField(
        _l("Créneau"), choices=[], validators=[Optional()], invalid_choice_message=NOT_OFFERED
    )
    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("Heure de début"), validators=[Optional()])
    minutes = IntegerField(
        _l("Durée, en minutes"),
        default=60,
        validators=[
            Optional(),
            NumberRange(min=15, max=240, message=_l("Indiquez une durée entre 15 et 240 minutes.")),
        ],
    )
    modality = RadioField(
        _l("Modalité"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez la modalité de la séance."))],
        invalid_choice_message=NOT_OFFERED,
    )
    site = SelectField(
        _l("Lieu (sur place)"),
        choices=[],
        validators=[Optional()],
        invalid_choice_message=NOT_OFFERED,
    )
    advisor = SelectField(
        _l("Conseiller"),
        choices=[],
        validators=[Optional()],
        invalid_choice_message=NOT_OFFERED,
    )
    other_advisor_reason = TextAreaField(
        _l("Pourquoi pas le référent unique ?"),
        validators=[Optional(), Length(max=1000)],
    )

    def set_choices(
        self, slots: Iterable[Slot], sites: Iterable[Site], advisors: Iterable[StaffMember]
    ) -> None:
        self.slot.choices = [SelectChoice(TYPED, _l("Un autre horaire, saisi ci-dessous"))] + [
            SelectChoice(str(slot.id), slot_label(slot)) for slot in slots
        ]
        self.modality.choices = modality_choices()
        self.site.choices = [SelectChoice("", _l("— aucun (à distance) —"))] + [
            SelectChoice(str(site.id), site.name) for site in sites
        ]
        self.advisor.choices = [SelectChoice(str(a.id), a.full_name) for a in advisors]

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid = bool(super().validate(extra_validators))
        if (self.slot.data or TYPED) != TYPED:
            return valid
        if self.day.data is None and not self.day.errors:
            self.day.errors.append(str(_l("Choisissez un créneau, ou indiquez une date.")))
            valid = False
        if self.start.data is None and not self.start.errors:
            self.start.errors.append(str(_l("Indiquez l'heure de début.")))
            valid = False
        if self.minutes.data is None and not self.minutes.errors:
            self.minutes.errors.append(str(_l("Indiquez une durée entre 15 et 240 minutes.")))
            valid = False
        if not self.advisor.data and not self.advisor.errors:
            self.advisor.errors.append(str(_l("Choisissez le conseiller.")))
            valid = False
        if self.modality.data == Modality.PRESENTIEL.value and not self.site.data:
            self.site.errors.append(str(_l("Sur place : choisissez le lieu.")))
            valid = False
        return valid

    def typed_start(self) -> tuple[datetime, int] | None:
        """The typed date and time (naive, the operator's local time) and the length."""
        if (self.slot.data or TYPED) != TYPED or self.day.data is None:
            return None
        start: time = self.start.data
        return datetime.combine(self.day.data, start), int(self.minutes.data or 60)


class HeldForm(PortalForm):
    duration_minutes = IntegerField(
        _l("Durée, en minutes"),
        validators=[
            InputRequired(message=_l("Indiquez la durée de la séance, en minutes.")),
            NumberRange(min=1, max=600, message=_l("Indiquez une durée entre 1 et 600 minutes.")),
        ],
    )


class ConfirmForm(PortalForm):
    """A button only (absent, cancel): the CSRF token is the whole form."""


class PersonMoveForm(PortalForm):
    """The person moves their session among the advisor's free slots."""

    slot = RadioField(
        _l("Nouvel horaire"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez un nouvel horaire."))],
        invalid_choice_message=_l("Cet horaire n'est plus proposé : choisissez-en un autre."),
    )
    modality = RadioField(
        _l("Modalité"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez la modalité de la séance."))],
        invalid_choice_message=NOT_OFFERED,
    )

    def set_choices(self, slots: Iterable[Slot]) -> None:
        self.slot.choices = [SelectChoice(str(s.id), slot_label(s)) for s in slots]
        self.modality.choices = modality_choices()


class VideoTemplateForm(PortalForm):
    template = StringField(
        _l("Adresse des visios"),
        validators=[Optional(), Length(max=300, message=_l("300 caractères au plus."))],
    )

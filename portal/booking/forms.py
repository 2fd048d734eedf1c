"""Booking forms: the slot filters (a GET search) and the person's details."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from portal.booking.search import PartOfDay
from portal.clock import today_in_france
from portal.forms import PortalForm
from portal.locator.forms import form_key
from portal.network.models import Modality
from portal.orientation.labels import MOTIFS
from portal.reference import canonical_motif

MODALITY_LABELS = {
    Modality.PRESENTIEL: _l("Sur place"),
    Modality.TELEPHONE: _l("Par téléphone"),
    Modality.VISIO: _l("En visio"),
}
PART_OF_DAY_LABELS = {
    PartOfDay.MORNING: _l("Tôt le matin (8 h – 9 h 30)"),
    PartOfDay.MIDDAY: _l("Entre midi et deux (12 h – 14 h)"),
    PartOfDay.EVENING: _l("En soirée (17 h – 19 h 30)"),
}
# The youngest people the CEP serves are apprentices (16); a birth date before 1900 is a typo.
MIN_AGE_YEARS = 15
EARLIEST_BIRTH = date(1900, 1, 1)
# Overseas lots: a number typed without +code is read in the lot's own numbering plan.
PHONE_REGION_BY_LOT = {13: "RE", 14: "GP", 15: "MQ", 17: "GF", 18: "YT"}
MONDAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FilterForm(PortalForm):
    """The filters of the slot search: all optional, validated, ignored when wrong."""

    class Meta:
        csrf = False  # a GET search that changes nothing

    modalite = SelectField(
        _l("Modalité"),
        choices=[SelectChoice("", _l("Toutes"))]
        + [SelectChoice(m.value, label) for m, label in MODALITY_LABELS.items()],
        validators=[Optional()],
    )
    site = SelectField(_l("Lieu"), choices=[], validators=[Optional()], validate_choice=False)
    moment = SelectField(
        _l("Moment de la journée"),
        choices=[SelectChoice("", _l("Toute la journée"))]
        + [SelectChoice(p.value, label) for p, label in PART_OF_DAY_LABELS.items()],
        validators=[Optional()],
    )
    semaine = DateField(
        _l("Semaine du"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )


def _phone(form: PersonForm, field: Field) -> None:
    region = PHONE_REGION_BY_LOT.get(getattr(form, "lot_number", 0), "FR")
    try:
        number = phonenumbers.parse(field.data or "", region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            str(
                _l(
                    "« %(value)s » n'est pas un numéro de téléphone valide. Exemple : "
                    "06 12 34 56 78.",
                    value=field.data,
                )
            )
        )
    form.phone_e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _birth_date(form: PersonForm, field: Field) -> None:
    today = today_in_france()
    born: date | None = field.data
    if born is None:
        return
    if born > today:
        raise ValidationError(str(_l("La date de naissance ne peut pas être dans le futur.")))
    adult_enough = date(today.year - MIN_AGE_YEARS, today.month, min(today.day, 28))
    if born < EARLIEST_BIRTH or born > adult_enough:
        raise ValidationError(str(_l("Vérifiez l'année de naissance : par exemple 14/07/1985.")))


class PersonForm(PortalForm):
    """The Annex 2 identity fields due from UO0, the modality, and the person's consent."""

    slot = IntegerField(validators=[Optional()])
    key = HiddenField(filters=[form_key])
    last_name = StringField(
        _l("Nom"),
        validators=[InputRequired(message=_l("Indiquez votre nom.")), Length(max=100)],
    )
    first_name = StringField(
        _l("Prénom"),
        validators=[InputRequired(message=_l("Indiquez votre prénom.")), Length(max=100)],
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            InputRequired(message=_l("Indiquez votre adresse e-mail.")),
            Length(max=254),
            Email(
                message=_l(
                    "Cette adresse e-mail n'est pas valide. Exemple : prenom.nom@exemple.fr."
                ),
                check_deliverability=False,
            ),
        ],
    )
    phone = StringField(
        _l("Téléphone"),
        validators=[
            InputRequired(message=_l("Indiquez un numéro de téléphone.")),
            Length(max=30),
            _phone,
        ],
    )
    birth_date = DateField(
        _l("Date de naissance"),
        validators=[
            InputRequired(message=_l("Indiquez votre date de naissance, par exemple 14/07/1985.")),
            _birth_date,
        ],
    )
    modality = RadioField(
        _l("Comment souhaitez-vous échanger avec le conseiller ?"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez une modalité."))],
    )
    motif = SelectField(
        _l("Ce qui vous amène (facultatif)"),
        choices=[SelectChoice("", _l("— Je préfère ne pas le dire —"))]
        + [SelectChoice(value.value, label) for value, label in MOTIFS.items()],
        validators=[Optional()],
        filters=[canonical_motif],  # a former value (an old link, a form left open) is its code
    )
    comment = TextAreaField(
        _l("Un mot pour le conseiller (facultatif)"), validators=[Optional(), Length(max=1000)]
    )
    consent = BooleanField(
        _l(
            "J'accepte que mes données soient traitées pour organiser mon accompagnement par "
            "l'opérateur du conseil en évolution professionnelle, et transmises à France "
            "compétences pour le suivi du service."
        ),
        validators=[
            InputRequired(message=_l("Votre accord est nécessaire pour prendre rendez-vous."))
        ],
    )

    phone_e164: str = ""
    lot_number: int = 0


class MoveForm(PortalForm):
    """Confirming a new slot for an existing appointment."""

    modality = RadioField(
        _l("Comment souhaitez-vous échanger avec le conseiller ?"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez une modalité."))],
    )


class CancelForm(PortalForm):
    pass


class WaitingForm(PersonForm):
    """The same details when nothing is free in time: a counsellor calls the person back."""

    modality = RadioField(
        _l("Votre modalité préférée (facultatif)"), choices=[], validators=[Optional()]
    )

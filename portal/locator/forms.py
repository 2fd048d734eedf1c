"""The front-door questionnaire: where, and what situation."""

from __future__ import annotations

import re
import uuid

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.forms import PortalForm, yes_no
from portal.locator.places import PlaceErrorCode
from portal.orientation.labels import MOTIFS, SITUATIONS
from portal.orientation.rules import MAX_AGE, MIN_AGE
from portal.reference import canonical_motif

FORM_KEY = re.compile(r"^[0-9a-f]{32}$")


def form_key(value: str | None) -> str:
    """The idempotency key of a questionnaire (uuid4 hex); anything else gets a fresh one."""
    return value if value and FORM_KEY.match(value) else uuid.uuid4().hex


PLACE_ERRORS = {
    PlaceErrorCode.EMPTY: _l("Indiquez une commune ou un code postal."),
    PlaceErrorCode.MALFORMED_POSTAL_CODE: _l(
        "« %(value)s » n'est pas un code postal : un code postal compte 5 chiffres, "
        "par exemple 35000."
    ),
    PlaceErrorCode.MALFORMED_INSEE: _l(
        "« %(value)s » n'est pas un code de commune INSEE "
        "(5 caractères, par exemple 35238 ou 2A004)."
    ),
    PlaceErrorCode.UNKNOWN_POSTAL_CODE: _l(
        "Aucune commune ne porte le code postal %(value)s. Vérifiez-le, ou tapez le nom de "
        "votre commune."
    ),
    PlaceErrorCode.UNKNOWN_COMMUNE: _l(
        "Nous ne trouvons pas de commune « %(value)s ». Vérifiez l'orthographe, ou tapez le "
        "code postal."
    ),
    PlaceErrorCode.COMMUNE_NOT_IN_POSTAL_CODE: _l(
        "La commune %(value)s ne porte pas ce code postal."
    ),
}


class OrientationForm(PortalForm):
    home = StringField(
        _l("Votre commune ou code postal de résidence"),
        validators=[
            InputRequired(message=_l("Indiquez où vous habitez : une commune ou un code postal.")),
            Length(max=120),
        ],
    )
    home_choice = RadioField(
        _l("Précisez votre commune de résidence"), choices=[], validate_choice=False
    )
    work = StringField(
        _l("Commune ou code postal de votre lieu de travail (facultatif)"),
        validators=[Optional(), Length(max=120)],
    )
    work_choice = RadioField(
        _l("Précisez la commune de votre lieu de travail"), choices=[], validate_choice=False
    )
    situation = RadioField(
        _l("Votre situation aujourd'hui"),
        choices=[SelectChoice(value.value, label) for value, label in SITUATIONS.items()],
        validators=[InputRequired(message=_l("Choisissez la situation qui vous correspond."))],
    )
    cadre = yes_no(_l("Êtes-vous cadre ?"), _l("Dites-nous si vous êtes cadre."))
    age = IntegerField(
        _l("Votre âge"),
        validators=[
            InputRequired(message=_l("Indiquez votre âge en années, par exemple 34.")),
            NumberRange(
                min=MIN_AGE,
                max=MAX_AGE,
                message=_l("Indiquez un âge entre %(min)s et %(max)s ans."),
            ),
        ],
    )
    rqth = yes_no(
        _l("Avez-vous une reconnaissance de handicap (RQTH ou équivalent) ?"),
        _l("Répondez à la question sur la reconnaissance de handicap."),
    )
    suivi = yes_no(
        _l("Êtes-vous déjà accompagné(e) par un autre conseiller en évolution professionnelle ?"),
        _l("Dites-nous si un autre conseiller en évolution professionnelle vous accompagne déjà."),
    )
    motif = SelectField(
        _l("Ce qui vous amène (facultatif)"),
        choices=[SelectChoice("", _l("— Je préfère ne pas le dire —"))]
        + [SelectChoice(value.value, label) for value, label in MOTIFS.items()],
        validators=[Optional()],
        filters=[canonical_motif],  # a former value (an old link, a form left open) is its code
    )
    key = HiddenField(filters=[form_key])


class NearbyForm(PortalForm):
    class Meta:
        csrf = False  # a GET search: nothing changes, and partner sites may link to it

    home = StringField(
        _l("Commune ou code postal"),
        validators=[
            InputRequired(message=_l("Indiquez une commune ou un code postal.")),
            Length(max=120),
        ],
    )
    home_choice = RadioField(_l("Précisez la commune"), choices=[], validate_choice=False)
    work = StringField(
        _l("Commune ou code postal de votre lieu de travail (facultatif)"),
        validators=[Optional(), Length(max=120)],
    )
    work_choice = RadioField(
        _l("Précisez la commune de votre lieu de travail"), choices=[], validate_choice=False
    )

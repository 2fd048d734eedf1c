"""The manager's erasure forms: find a person by address, then confirm."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from portal.forms import PortalForm

EMAIL_CHECKS = [
    InputRequired(message=_l("Indiquez l'adresse e-mail de la personne.")),
    Email(message=_l("Cette adresse e-mail n'est pas valide. Exemple : nom@exemple.fr")),
    Length(max=254, message=_l("Cette adresse e-mail est trop longue.")),
]


class PersonSearchForm(PortalForm):
    email = EmailField(_l("Adresse e-mail de la personne"), validators=EMAIL_CHECKS)


class ErasureForm(PortalForm):
    email = HiddenField(validators=EMAIL_CHECKS)
    confirm = BooleanField(
        _l("Je confirme l'effacement des données personnelles de cette personne"),
        validators=[DataRequired(message=_l("Cochez la case pour confirmer l'effacement."))],
    )

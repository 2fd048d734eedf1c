"""The forms of the beneficiary space: asking for a sign-in link, and asking in writing to
close a UO2.2."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, TextAreaField
from wtforms.validators import Email, InputRequired, Length

from portal.forms import PortalForm

MAX_REQUEST = 4000


class LinkRequestForm(PortalForm):
    email = EmailField(
        _l("Votre adresse e-mail"),
        validators=[
            InputRequired(message=_l("Indiquez votre adresse e-mail.")),
            Email(message=_l("Cette adresse e-mail n'est pas valide. Exemple : nom@exemple.fr")),
            Length(max=254, message=_l("Cette adresse e-mail est trop longue.")),
        ],
    )


class ClosureRequestForm(PortalForm):
    """The choices (voluntary closure reasons) come from the reference table, set by the view."""

    class Meta:
        # One form per open UO2.2, prefixed: CSRFProtect checks every POST's `csrf_token`.
        csrf = False

    text = TextAreaField(
        _l("Votre demande, avec vos mots"),
        validators=[
            InputRequired(message=_l("Écrivez votre demande de clôture.")),
            Length(max=MAX_REQUEST, message=_l("4 000 caractères au plus.")),
        ],
    )
    reason = RadioField(
        _l("La raison de votre demande"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez la raison de votre demande."))],
    )

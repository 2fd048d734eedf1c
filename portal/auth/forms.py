"""The staff sign-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired, Length

from portal.auth.services import EMAIL_MAX_LENGTH
from portal.forms import PortalForm


class LoginForm(PortalForm):
    email = StringField(
        _l("Adresse e-mail professionnelle"),
        validators=[
            InputRequired(message=_l("Indiquez votre adresse e-mail.")),
            Length(max=EMAIL_MAX_LENGTH),
        ],
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(message=_l("Indiquez votre mot de passe."))],
    )
    next = HiddenField()

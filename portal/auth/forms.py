"""The staff sign-in forms: sign-in, the forgotten password, the new password, the unlock
link's password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from portal.auth.services import EMAIL_MAX_LENGTH, MIN_PASSWORD_LENGTH
from portal.forms import PortalForm

# Long enough for any passphrase, short enough that hashing it costs nothing unusual.
MAX_PASSWORD_LENGTH = 1000


def _email_field() -> StringField:
    return StringField(
        _l("Adresse e-mail professionnelle"),
        validators=[
            # After the view strips it: an address of spaces is no address.
            DataRequired(message=_l("Indiquez votre adresse e-mail.")),
            Length(max=EMAIL_MAX_LENGTH, message=_l("Cette adresse e-mail est trop longue.")),
        ],
    )


class LoginForm(PortalForm):
    email = _email_field()
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(message=_l("Indiquez votre mot de passe."))],
    )
    next = HiddenField()


class ForgotPasswordForm(PortalForm):
    email = _email_field()


class UnlockForm(PortalForm):
    """The password, typed on the page an unlock link opens (the link's token rides along)."""

    token = HiddenField()
    password = PasswordField(
        _l("Mot de passe"),
        validators=[InputRequired(message=_l("Indiquez votre mot de passe."))],
    )


class NewPasswordForm(PortalForm):
    token = HiddenField()
    password = PasswordField(
        _l("Nouveau mot de passe"),
        validators=[
            InputRequired(message=_l("Choisissez un nouveau mot de passe.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Le mot de passe doit compter au moins %(min)d caractères.",
                    min=MIN_PASSWORD_LENGTH,
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Le même mot de passe, une seconde fois"),
        validators=[
            InputRequired(message=_l("Tapez le mot de passe une seconde fois.")),
            EqualTo("password", message=_l("Les deux mots de passe ne sont pas identiques.")),
        ],
    )

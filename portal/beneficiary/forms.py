"""The forms of the beneficiary space: asking for a sign-in link, asking in writing to close a
UO2.2, and asking for a paper copy of a livrable by post."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

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


# A line of a postal address: 38 characters at most (La Poste, norme NF Z10-011).
ADDRESS_LINE = 38


class PaperCopyForm(PortalForm):
    """The postal address where the paper copy is sent (CCTP 2.1.2)."""

    street = StringField(
        _l("Numéro et voie"),
        validators=[
            InputRequired(message=_l("Indiquez le numéro et la voie. Exemple : 12 rue des Lilas")),
            Length(
                max=ADDRESS_LINE,
                message=_l(
                    "38 caractères au plus, comme sur une enveloppe : continuez sur la ligne "
                    "« Complément d'adresse »."
                ),
            ),
        ],
    )
    complement = StringField(
        _l("Complément d'adresse (facultatif)"),
        validators=[
            Optional(),
            Length(max=ADDRESS_LINE, message=_l("38 caractères au plus, comme sur une enveloppe.")),
        ],
    )
    postcode = StringField(
        _l("Code postal"),
        validators=[
            InputRequired(message=_l("Indiquez le code postal.")),
            Regexp(r"^[0-9]{5}$", message=_l("Le code postal compte 5 chiffres. Exemple : 35000")),
        ],
    )
    town = StringField(
        _l("Commune"),
        validators=[
            InputRequired(message=_l("Indiquez la commune.")),
            Length(max=60, message=_l("60 caractères au plus.")),
        ],
    )

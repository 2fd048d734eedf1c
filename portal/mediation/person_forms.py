"""The person's forms: filing a complaint, a message of the thread, the satisfaction with the
answer, and the referral to the mediator. The motive choices come from the reference table,
the dossiers from the person's space; the view sets them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional

from portal.forms import PortalForm

MAX_TEXT = 8000
# The radio value that means « another operator: find it from my commune ».
OTHER_OPERATOR = "autre"


class ComplaintForm(PortalForm):
    last_name = StringField(
        _l("Nom"),
        validators=[
            InputRequired(message=_l("Indiquez votre nom.")),
            Length(max=100, message=_l("100 caractères au plus.")),
        ],
    )
    first_name = StringField(
        _l("Prénom"),
        validators=[
            InputRequired(message=_l("Indiquez votre prénom.")),
            Length(max=100, message=_l("100 caractères au plus.")),
        ],
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            InputRequired(
                message=_l("Indiquez votre adresse e-mail : l'accusé de réception y est envoyé.")
            ),
            Email(message=_l("Cette adresse e-mail n'est pas valide. Exemple : nom@exemple.fr")),
            Length(max=200, message=_l("Cette adresse e-mail est trop longue.")),
        ],
    )
    phone = StringField(
        _l("Téléphone (facultatif)"),
        validators=[Optional(), Length(max=30, message=_l("30 caractères au plus."))],
    )
    dossier = RadioField(_l("Votre opérateur"), choices=[], validate_choice=False)
    home = StringField(_l("Votre commune ou code postal"), validators=[Optional(), Length(max=120)])
    home_choice = RadioField(_l("Précisez votre commune"), choices=[], validate_choice=False)
    motive = RadioField(
        _l("Le motif de votre réclamation"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez le motif de votre réclamation."))],
    )
    text = TextAreaField(
        _l("Votre réclamation"),
        validators=[
            InputRequired(message=_l("Décrivez votre réclamation.")),
            Length(max=MAX_TEXT, message=_l("8 000 caractères au plus.")),
        ],
    )
    attachments = MultipleFileField(_l("Pièces jointes (facultatif)"))


class MessageForm(PortalForm):
    text = TextAreaField(
        _l("Votre message"),
        validators=[
            InputRequired(message=_l("Écrivez votre message.")),
            Length(max=MAX_TEXT, message=_l("8 000 caractères au plus.")),
        ],
    )


class ReferralForm(PortalForm):
    text = TextAreaField(
        _l("Un mot pour le médiateur (facultatif)"),
        validators=[Optional(), Length(max=MAX_TEXT, message=_l("8 000 caractères au plus."))],
    )

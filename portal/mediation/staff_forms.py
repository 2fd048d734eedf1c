"""Forms of the operator's complaint screens: record a complaint received by letter, e-mail or
phone; answer it; write to the person. Acknowledging and closing are plain buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.forms import PortalForm
from portal.mediation.models import Channel

CHANNEL_LABELS = {
    Channel.ONLINE: _l("En ligne, sur le portail"),
    Channel.LETTER: _l("Par courrier"),
    Channel.EMAIL: _l("Par e-mail"),
    Channel.PHONE: _l("Par téléphone"),
}

TEXT_MAX = 10_000


class IdentityForm(PortalForm):
    """Who wrote, as a letter gives it: the name, and an address to answer to if any (a
    complaint recorded by staff, a referral recorded by the mediator)."""

    last_name = StringField(
        _l("Nom"),
        validators=[DataRequired(message=_l("Indiquez le nom de la personne.")), Length(max=100)],
    )
    first_name = StringField(
        _l("Prénom"),
        validators=[
            DataRequired(message=_l("Indiquez le prénom de la personne.")),
            Length(max=100),
        ],
    )
    email = StringField(
        _l("Adresse e-mail (facultatif)"),
        validators=[
            Optional(),
            Length(max=200),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Indiquez une adresse e-mail complète, par exemple nom@exemple.fr."),
            ),
        ],
    )


class RecordForm(IdentityForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST

    channel = SelectField(
        _l("Reçue"),
        choices=[
            SelectChoice(channel.value, CHANNEL_LABELS[channel])
            for channel in (Channel.LETTER, Channel.EMAIL, Channel.PHONE)
        ],
        validators=[InputRequired(message=_l("Indiquez comment la réclamation est arrivée."))],
    )
    received_on = DateField(
        _l("Date de réception"),
        validators=[
            InputRequired(message=_l("Indiquez la date de réception, par exemple 02/03/2026."))
        ],
    )
    phone = StringField(_l("Téléphone (facultatif)"), validators=[Optional(), Length(max=30)])
    postal_address = TextAreaField(
        _l("Adresse postale (facultatif)"), validators=[Optional(), Length(max=500)]
    )
    motive = SelectField(
        _l("Motif"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez le motif de la réclamation."))],
    )
    text = TextAreaField(
        _l("La réclamation"),
        validators=[
            DataRequired(message=_l("Recopiez ou résumez la réclamation.")),
            Length(max=TEXT_MAX),
        ],
    )
    scan = FileField(_l("Copie numérisée du courrier (facultatif : PDF, JPEG ou PNG)"))


class AnswerForm(PortalForm):
    class Meta:
        csrf = False

    answer = TextAreaField(
        _l("Votre réponse"),
        validators=[
            DataRequired(message=_l("Écrivez la réponse à la réclamation.")),
            Length(max=TEXT_MAX),
        ],
    )


class MessageForm(PortalForm):
    class Meta:
        csrf = False

    text = TextAreaField(
        _l("Votre message"),
        validators=[DataRequired(message=_l("Écrivez le message.")), Length(max=TEXT_MAX)],
    )


__all__ = [
    "CHANNEL_LABELS",
    "AnswerForm",
    "IdentityForm",
    "MessageForm",
    "RecordForm",
]

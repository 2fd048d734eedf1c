"""Forms of the referral's threads and of the correspondant médiation. Thread choices are
fixed here; the correspondant's choices (the operator's active members) are set by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.forms import PortalForm
from portal.mediation.models import Thread

MAX_TEXT = 8000
# The correspondant's « nobody designated: the managers » choice.
MANAGERS = "managers"


class ReplyForm(PortalForm):
    """The person's or the operator's message to the mediator."""

    class Meta:
        csrf = False  # CSRFProtect checks every POST

    text = TextAreaField(
        _l("Votre message au médiateur"),
        validators=[
            InputRequired(message=_l("Écrivez votre message.")),
            Length(max=MAX_TEXT, message=_l("8 000 caractères au plus.")),
        ],
    )


class MediatorMessageForm(ReplyForm):
    text = TextAreaField(
        _l("Votre message"),
        validators=[
            InputRequired(message=_l("Écrivez votre message.")),
            Length(max=MAX_TEXT, message=_l("8 000 caractères au plus.")),
        ],
    )
    thread = SelectField(
        _l("Destinataire"),
        choices=[
            SelectChoice(Thread.PERSON.value, _l("La personne")),
            SelectChoice(Thread.OPERATOR.value, _l("L'opérateur")),
        ],
        validators=[InputRequired(message=_l("Choisissez à qui vous écrivez."))],
    )


class CorrespondentForm(PortalForm):
    class Meta:
        csrf = False

    member = SelectField(
        _l("Correspondant médiation"),
        validators=[InputRequired(message=_l("Choisissez le correspondant médiation."))],
    )


__all__ = ["MANAGERS", "CorrespondentForm", "MediatorMessageForm", "ReplyForm"]

"""The forms of issue 14 §4: a message to the référent (the person's space), the advisor's
answer (the dossier), the handover of a dossier (a manager, on the dossier)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.advisor.handover import REASON_MAX_CHARS
from portal.advisor.messages import MESSAGE_MAX_CHARS
from portal.forms import PortalForm

TOO_LONG = _l("4 000 caractères au plus : raccourcissez votre message.")


class MessageForm(PortalForm):
    """The person's message to their référent (one form per dossier, prefixed)."""

    class Meta:
        # Prefixed forms: CSRFProtect checks every POST's `csrf_token` itself.
        csrf = False

    text = TextAreaField(
        _l("Votre message"),
        validators=[
            InputRequired(message=_l("Écrivez votre message.")),
            Length(max=MESSAGE_MAX_CHARS, message=TOO_LONG),
        ],
    )


class AnswerForm(PortalForm):
    class Meta:
        csrf = False

    text = TextAreaField(
        _l("Votre réponse"),
        validators=[
            InputRequired(message=_l("Écrivez votre réponse.")),
            Length(max=MESSAGE_MAX_CHARS, message=TOO_LONG),
        ],
    )


class HandoverForm(PortalForm):
    """The advisors to choose from are set by the view (the operator's active advisors)."""

    class Meta:
        csrf = False

    advisor = SelectField(
        _l("Nouveau conseiller référent"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message=_l("Choisissez le nouveau conseiller."))],
    )
    reason = TextAreaField(
        _l("Motif du changement (facultatif)"),
        validators=[Length(max=REASON_MAX_CHARS, message=_l("500 caractères au plus."))],
    )

"""The forms of issue 14 §4: a message to the référent (the person's space), the advisor's
answer (the dossier), the handover of a dossier (a manager, on the dossier)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.advisor.handover import REASON_MAX_CHARS
from portal.advisor.messages import MESSAGE_MAX_CHARS
from portal.forms import PortalForm

TOO_LONG = _l("4 000 caractères au plus : raccourcissez votre message.")


def _text(label: LazyString, empty: LazyString) -> TextAreaField:
    """A message's text: required, at most MESSAGE_MAX_CHARS."""
    return TextAreaField(
        label,
        validators=[
            InputRequired(message=empty),
            Length(max=MESSAGE_MAX_CHARS, message=TOO_LONG),
        ],
    )


class MessageForm(PortalForm):
    """The person's message to their référent (one form per dossier, prefixed)."""

    class Meta:
        # Prefixed forms: CSRFProtect checks every POST's `csrf_token` itself.
        csrf = False

    text = _text(_l("Votre message"), _l("Écrivez votre message."))


class AnswerForm(PortalForm):
    """The advisor's answer, on the dossier."""

    class Meta:
        csrf = False

    text = _text(_l("Votre réponse"), _l("Écrivez votre réponse."))


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

"""Forms of the mediator's screens: record a referral received by letter or through France
compétences' form; decide its admissibility; record its outcome. The view gives the lots."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import (
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from portal.forms import YES_NO, PortalForm
from portal.mediation.mediator_text import CHANNEL_LABELS, OUTCOME_LABELS
from portal.mediation.models import Outcome, ReferralChannel
from portal.mediation.staff_forms import IdentityForm

TEXT_MAX = 10_000


class RecordReferralForm(IdentityForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST

    channel = SelectField(
        _l("Reçue"),
        choices=[
            SelectChoice(channel.value, CHANNEL_LABELS[channel])
            for channel in (ReferralChannel.LETTER, ReferralChannel.FC_FORM)
        ],
        validators=[InputRequired(message=_l("Indiquez comment la saisine est arrivée."))],
    )
    referred_on = DateField(
        _l("Date de réception"),
        validators=[
            InputRequired(message=_l("Indiquez la date de réception, par exemple 02/03/2026."))
        ],
    )
    operator = SelectField(
        _l("Opérateur concerné"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez l'opérateur concerné."))],
    )
    text = TextAreaField(
        _l("La saisine"),
        validators=[Optional(), Length(max=TEXT_MAX)],
    )
    complaint_number = StringField(
        _l("N° de la réclamation à l'opérateur (facultatif)"),
        validators=[
            Optional(),
            Regexp(r"^\d{1,10}$", message=_l("Indiquez le numéro en chiffres, par exemple 1234.")),
        ],
    )


class DecisionForm(PortalForm):
    class Meta:
        csrf = False

    admissible = RadioField(
        _l("La saisine est-elle recevable ?"),
        choices=[
            SelectChoice("1", _l("Recevable")),
            SelectChoice("0", _l("Non recevable")),
        ],
        validators=[InputRequired(message=_l("Choisissez recevable ou non recevable."))],
    )
    reason = TextAreaField(
        _l("Motif de la décision (obligatoire si non recevable)"),
        validators=[Length(max=TEXT_MAX)],
    )

    def validate_reason(self, field: StringField) -> None:
        if self.admissible.data == "0" and not (field.data or "").strip():
            raise ValidationError(str(_l("Indiquez pourquoi la saisine n'est pas recevable.")))


class OutcomeForm(PortalForm):
    class Meta:
        csrf = False

    outcome = RadioField(
        _l("Issue de la médiation"),
        choices=[SelectChoice(o.value, OUTCOME_LABELS[o]) for o in Outcome],
        validators=[InputRequired(message=_l("Choisissez l'issue de la médiation."))],
    )
    accepted = RadioField(
        _l("Acceptée par les parties ?"),
        choices=YES_NO,
        validate_choice=False,  # checked below: required unless « sans suite »
    )

    def validate_accepted(self, field: RadioField) -> None:
        if field.data not in (None, "", "1", "0"):
            field.data = None
            raise ValidationError(str(_l("Choisissez oui ou non.")))
        if self.outcome.data in (Outcome.RECOMMENDATION, Outcome.SETTLEMENT) and not field.data:
            raise ValidationError(
                str(_l("Indiquez si la recommandation ou la transaction a été acceptée."))
            )


__all__ = ["DecisionForm", "OutcomeForm", "RecordReferralForm"]

"""The forms of online signing: the advisor's choices and signature, the person's signature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired, Length

from portal.esign.codes import CODE_DIGITS
from portal.esign.models import SigningPlace
from portal.esign.wording import MENTION
from portal.forms import PortalForm
from portal.livrables.models import SignatureMethod


class MethodForm(PortalForm):
    method = RadioField(
        _l("Comment ce document sera-t-il signé ?"),
        choices=[
            SelectChoice(SignatureMethod.ELECTRONIC.value, _l("Signature en ligne")),
            SelectChoice(SignatureMethod.PAPER.value, _l("Signature sur papier")),
        ],
        validators=[InputRequired(message=_l("Choisissez la méthode de signature."))],
    )


class AdvisorSignForm(PortalForm):
    password = PasswordField(
        _l("Votre mot de passe, pour confirmer votre signature"),
        validators=[InputRequired(message=_l("Saisissez votre mot de passe."))],
    )


class RequestForm(PortalForm):
    place = RadioField(
        _l("Où le bénéficiaire signe-t-il ?"),
        choices=[
            SelectChoice(
                SigningPlace.REMOTE.value, _l("À distance : lien par e-mail, code par SMS")
            ),
            SelectChoice(
                SigningPlace.IN_SESSION.value,
                _l("Maintenant, pendant l'entretien : sur cet écran ou sur son téléphone"),
            ),
        ],
        validators=[InputRequired(message=_l("Choisissez où le bénéficiaire signe."))],
    )
    motif_cloture = SelectField(
        _l("Motif de clôture"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez le motif de clôture."))],
    )


class BeneficiarySignForm(PortalForm):
    mention = StringField(
        _l("Recopiez la mention « %(mention)s »", mention=MENTION),
        validators=[InputRequired(message=_l("Recopiez la mention « Lu et approuvé »."))],
    )
    name = StringField(
        _l("Votre prénom et votre nom"),
        validators=[
            InputRequired(message=_l("Écrivez votre prénom et votre nom.")),
            Length(max=200),
        ],
    )
    consent = BooleanField(
        _l(
            "J'ai lu le document et je consens à le signer électroniquement. Ma signature a la "
            "même valeur qu'une signature manuscrite (article 1367 du Code civil)."
        ),
        validators=[InputRequired(message=_l("Cochez la case pour donner votre accord."))],
    )
    code = StringField(
        _l("Code de confirmation reçu (%(digits)d chiffres)", digits=CODE_DIGITS),
        validators=[
            InputRequired(message=_l("Saisissez le code reçu.")),
            Length(max=20, message=_l("Le code a six chiffres.")),
        ],
    )

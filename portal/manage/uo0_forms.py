"""The UO0 forms of the staff: the contact in under a minute, then the person's identity
when they want an appointment."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from portal.booking.forms import _birth_date as check_birth_date
from portal.booking.forms import _phone as check_phone
from portal.forms import PortalForm
from portal.locator.forms import form_key
from portal.orientation.labels import MOTIFS, SITUATIONS
from portal.orientation.rules import Route
from portal.reference import ContactMode, canonical_motif

MODE_LABELS: dict[ContactMode, LazyString] = {
    ContactMode.TELEPHONE: _l("Téléphone"),
    ContactMode.PRESENTIEL: _l("Présentiel (à l'accueil)"),
}
# The staff's words for Annex 2's « aiguillage » (the route codes are exported as they are).
ROUTE_LABELS: dict[Route, LazyString] = {
    Route.OPERATEUR_REGIONAL: _l("Opérateur régional du CEP (nous)"),
    Route.APEC: _l("Apec (cadres)"),
    Route.MISSION_LOCALE: _l("Mission locale (16-25 ans)"),
    Route.CAP_EMPLOI: _l("Cap emploi (handicap)"),
    Route.FRANCE_TRAVAIL: _l("France Travail (demandeurs d'emploi)"),
    Route.NON_ELIGIBLE: _l("Hors CEP régional (agent public…)"),
}


class ContactForm(PortalForm):
    """Annex 2, UO0: contact mode, situation, route, motive; the operator is the staff's."""

    key = HiddenField(filters=[form_key])
    contact_mode = RadioField(
        _l("Mode de contact"),
        choices=[SelectChoice(m.value, label) for m, label in MODE_LABELS.items()],
        validators=[InputRequired(message=_l("Choisissez le mode de contact."))],
    )
    situation = RadioField(
        _l("Situation de la personne"),
        choices=[SelectChoice(s.value, label) for s, label in SITUATIONS.items()],
        validators=[InputRequired(message=_l("Choisissez la situation de la personne."))],
    )
    route = RadioField(
        _l("Aiguillage"),
        choices=[SelectChoice(r.value, label) for r, label in ROUTE_LABELS.items()],
        validators=[InputRequired(message=_l("Choisissez vers qui la personne est orientée."))],
    )
    motif = RadioField(
        _l("Motif (facultatif)"),
        choices=[SelectChoice("", _l("Non précisé"))]
        + [SelectChoice(m.value, label) for m, label in MOTIFS.items()],
        validators=[Optional()],
        filters=[canonical_motif],  # a former value (a form left open) is its code
        default="",
    )


class GoingOnForm(PortalForm):
    """The identity Annex 2 wants from UO0 (names, birth date; e-mail and phone to reach the
    person), where they live (the territory and the legal deadline of the first appointment),
    and their consent, asked by the staff member. The checks are the public booking's."""

    last_name = StringField(
        _l("Nom"),
        validators=[InputRequired(message=_l("Indiquez le nom de la personne.")), Length(max=100)],
    )
    first_name = StringField(
        _l("Prénom"),
        validators=[
            InputRequired(message=_l("Indiquez le prénom de la personne.")),
            Length(max=100),
        ],
    )
    birth_date = DateField(
        _l("Date de naissance"),
        validators=[
            InputRequired(
                message=_l("Indiquez la date de naissance de la personne, par exemple 14/07/1985.")
            ),
            check_birth_date,
        ],
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            InputRequired(message=_l("Indiquez l'adresse e-mail de la personne.")),
            Length(max=254),
            Email(
                message=_l(
                    "Cette adresse e-mail n'est pas valide. Exemple : prenom.nom@exemple.fr."
                ),
                check_deliverability=False,
            ),
        ],
    )
    phone = StringField(
        _l("Téléphone"),
        validators=[
            InputRequired(message=_l("Indiquez un numéro de téléphone.")),
            Length(max=30),
            check_phone,
        ],
    )
    home = StringField(
        _l("Commune ou code postal de résidence"),
        validators=[
            InputRequired(message=_l("Indiquez la commune ou le code postal de la personne.")),
            Length(max=120),
        ],
    )
    home_choice = RadioField(_l("Précisez la commune"), choices=[], validate_choice=False)
    consent = BooleanField(
        _l(
            "La personne accepte que ses données soient traitées pour organiser son "
            "accompagnement, et transmises à France compétences pour le suivi du service."
        ),
        validators=[
            InputRequired(message=_l("L'accord de la personne est nécessaire pour continuer."))
        ],
    )

    phone_e164: str = ""
    lot_number: int = 0

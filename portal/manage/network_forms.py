"""Forms of the manager's site screens: the list filter, a site's details, its opening
ranges and its closures."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from portal.forms import PortalForm
from portal.i18n import weekday_name
from portal.network.models import SiteKind

KIND_LABELS = {
    SiteKind.AGENCE: _l("Agence de l'opérateur"),
    SiteKind.PERMANENCE: _l("Permanence chez un partenaire"),
    SiteKind.ITINERANT: _l("Bureau itinérant"),
}


class SiteFilterForm(PortalForm):
    class Meta:
        csrf = False  # a GET search

    q = SearchField(_l("Nom, commune ou code postal"), validators=[Optional(), Length(max=100)])
    short = BooleanField(_l("Seulement les sites sans horaires élargis deux jours par semaine"))


class SiteDetailsForm(PortalForm):
    name = StringField(
        _l("Nom du site"),
        validators=[InputRequired(message=_l("Indiquez le nom du site.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Type de lieu"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
    )
    street = StringField(
        _l("Adresse (numéro et voie)"),
        validators=[InputRequired(message=_l("Indiquez l'adresse du site.")), Length(max=300)],
    )
    postal_code = StringField(
        _l("Code postal"),
        validators=[
            InputRequired(message=_l("Indiquez le code postal.")),
            Regexp(r"^[0-9]{5}$", message=_l("Un code postal compte 5 chiffres.")),
        ],
    )
    commune_name = StringField(
        _l("Commune"),
        validators=[InputRequired(message=_l("Indiquez la commune.")), Length(max=200)],
    )
    offers_presentiel = BooleanField(_l("Sur place"))
    offers_telephone = BooleanField(_l("Par téléphone"))
    offers_visio = BooleanField(_l("En visio"))
    step_free_access = BooleanField(_l("Accessible aux personnes à mobilité réduite"))
    access_note = TextAreaField(
        _l("Précisions sur l'accès (facultatif)"), validators=[Optional(), Length(max=1000)]
    )
    phone = StringField(_l("Téléphone (facultatif)"), validators=[Optional(), Length(max=40)])
    email = StringField(
        _l("Adresse e-mail (facultatif)"),
        validators=[
            Optional(),
            Length(max=200),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Indiquez une adresse e-mail complète, par exemple accueil@exemple.fr."),
            ),
        ],
    )
    active = BooleanField(_l("Site ouvert au public (décochez pour le retirer du portail)"))

    def validate_offers_presentiel(self, field: BooleanField) -> None:
        if not (field.data or self.offers_telephone.data or self.offers_visio.data):
            raise ValidationError(_l("Cochez au moins une modalité."))


class OpeningHoursForm(PortalForm):
    weekday = SelectField(_l("Jour"), coerce=int, choices=[])
    opens = TimeField(
        _l("Ouverture"), validators=[InputRequired(message=_l("Indiquez l'heure d'ouverture."))]
    )
    closes = TimeField(
        _l("Fermeture"), validators=[InputRequired(message=_l("Indiquez l'heure de fermeture."))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Weekday names in the person's language, so built per request.
        self.weekday.choices = [SelectChoice(day, weekday_name(day)) for day in range(7)]


class ClosureForm(PortalForm):
    starts_on = DateField(
        _l("Premier jour de fermeture"),
        validators=[InputRequired(message=_l("Indiquez le premier jour de fermeture."))],
    )
    ends_on = DateField(
        _l("Dernier jour de fermeture"),
        validators=[InputRequired(message=_l("Indiquez le dernier jour de fermeture."))],
    )
    reason = StringField(
        _l("Motif (facultatif)"),
        validators=[Optional(), Length(max=200)],
    )

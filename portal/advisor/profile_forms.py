"""The profile form (Annex 2 §1): every field of `DossierProfile`, all optional when saved;
what is due, and from which unit, is `portal.people.profile_rules`' business.

Choices come from the reference tables the view read; the communes are typed (a name, a
postcode, or a suggestion's label) and resolved on the server by `resolve_commune`; when
several fit, their labels come back as radios to pick from. The month of entry is typed
`AAAA-MM` (an `<input type="month">` where the browser has one).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.advisor.forms import NOT_IN_TABLE, reference_choices
from portal.advisor.reference import ReferenceTables
from portal.forms import PortalForm
from portal.geo.gazetteer import get_gazetteer
from portal.network.models import Site
from portal.people import profile_lists as lists
from portal.people.profile_commune import (
    Candidates,
    Located,
    NotFound,
    commune_label,
    locate_commune,
)
from portal.people.profile_models import DossierProfile
from portal.people.profile_rules import ABROAD

MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
TOO_LONG = _l("Ce texte est trop long (%(max)d caractères au plus).")
COMMUNE_UNKNOWN = _l(
    "Aucune commune ne correspond à « %(text)s ». Vérifiez l'orthographe, ou tapez le code postal."
)
POSTAL_CODE_MALFORMED = _l(
    "« %(text)s » n'est pas un code postal : un code postal compte 5 chiffres, par exemple 35000."
)
COMMUNE_AMBIGUOUS = _l("Plusieurs communes correspondent à « %(text)s » : choisissez-en une.")
SELECTS = (
    ("adresse_type_voie", lists.TYPE_VOIE),
    ("niveau_formation", lists.NIVEAU_FORMATION),
    ("secteur_activite", lists.SECTEUR_ACTIVITE),
    ("taille_entreprise", lists.TAILLE_ENTREPRISE),
    ("categorie_sociale", lists.CATEGORIE_SOCIALE),
    ("statut", lists.STATUT),
)
RADIOS = (("sexe", lists.SEXE), ("handicap", lists.HANDICAP))


def _select(label: Any) -> SelectField:
    return SelectField(
        label, choices=[], validators=[Optional()], invalid_choice_message=NOT_IN_TABLE
    )


def _radios(label: Any) -> RadioField:
    return RadioField(
        label, choices=[], validators=[Optional()], invalid_choice_message=NOT_IN_TABLE
    )


def _text(label: Any, size: int) -> StringField:
    return StringField(label, validators=[Length(max=size, message=TOO_LONG)])


def parse_month(text: str) -> date | None:
    """« 2019-03 » → 2019-03-01; None when the text is not a month written AAAA-MM."""
    found = MONTH.match(text.strip())
    if found is None or not 1 <= int(found["month"]) <= 12 or int(found["year"]) < 1900:
        return None
    return date(int(found["year"]), int(found["month"]), 1)


# The fields a profile stores as the form gives them (communes and the entry month are read
# apart): the page fills the form from them and saves them back.
PLAIN_FIELDS = (
    "sexe",
    "adresse_numero",
    "adresse_type_voie",
    "adresse_nom_voie",
    "handicap",
    "niveau_formation",
    "secteur_activite",
    "taille_entreprise",
    "categorie_sociale",
    "libelle_secteur",
    "libelle_profession",
    "statut",
)


class ProfileForm(PortalForm):
    sexe = _radios(_l("Sexe"))
    adresse_numero = _text(_l("Numéro de voie"), 10)
    adresse_type_voie = _select(_l("Type de voie"))
    adresse_nom_voie = _text(_l("Nom de la voie"), 150)
    home = StringField(_l("Commune de résidence"), validators=[Length(max=120, message=TOO_LONG)])
    # The candidates change with the text: any label is accepted, `resolve_commune` checks it.
    home_choice = RadioField(
        _l("Commune de résidence : laquelle ?"), choices=[], validate_choice=False
    )
    structure = _select(_l("Structure de rattachement"))
    handicap = _radios(_l("Personne porteuse de handicap"))
    niveau_formation = _select(_l("Niveau de formation"))
    statut = _select(_l("Statut au regard de l'emploi"))
    categorie_sociale = _select(_l("Catégorie sociale"))
    libelle_profession = _text(_l("Profession (libellé)"), 200)
    secteur_activite = _select(_l("Secteur d'activité de l'entreprise (section NAF)"))
    libelle_secteur = _text(_l("Secteur (libellé)"), 200)
    taille_entreprise = _select(_l("Taille de l'entreprise"))
    entree_entreprise = StringField(_l("Entrée dans l'entreprise (mois)"))
    work = StringField(
        _l("Commune de l'entreprise"), validators=[Length(max=120, message=TOO_LONG)]
    )
    work_choice = RadioField(
        _l("Commune de l'entreprise : laquelle ?"), choices=[], validate_choice=False
    )
    entreprise_etranger = BooleanField(_l("L'entreprise est à l'étranger"))

    def set_choices(self, tables: ReferenceTables, sites: list[Site]) -> None:
        self.structure.choices = [SelectChoice("", _l("— Choisir —"))] + [
            SelectChoice(str(site.id), site.name) for site in sites
        ]
        for name, list_name in SELECTS:
            self[name].choices = reference_choices(tables, list_name)
        for name, list_name in RADIOS:
            self[name].choices = reference_choices(tables, list_name, placeholder=False)

    def validate_entree_entreprise(self, field: StringField) -> None:
        if field.data and parse_month(field.data) is None:
            raise ValidationError(
                _l("Indiquez un mois sous la forme AAAA-MM, par exemple 2019-03.")
            )


def initial_data(
    profile: DossierProfile | None, statut: str | None, site_id: int | None
) -> dict[str, Any]:
    """The form as first shown: the stored profile, or the status the UO0 suggests."""
    structure = str(site_id) if site_id else ""
    if profile is None:
        return {"statut": statut, "structure": structure}
    data: dict[str, Any] = {name: getattr(profile, name) for name in PLAIN_FIELDS}
    data["structure"] = structure
    data["home"] = commune_label(profile.adresse_commune, profile.adresse_code_postal)
    data["work"] = commune_label(profile.entreprise_commune, profile.entreprise_code_postal)
    data["entreprise_etranger"] = profile.entreprise_departement == ABROAD
    entry = profile.entree_entreprise
    data["entree_entreprise"] = f"{entry:%Y-%m}" if entry else ""
    return data


def resolve_commune(text: StringField, choice: RadioField) -> Located | bool | None:
    """The commune typed (or picked among candidates): `Located`, None when nothing is
    typed, False when the field now carries a message (unknown, or candidates to pick)."""
    picked = choice.data
    if picked:
        found = locate_commune(get_gazetteer(), picked)
        if isinstance(found, Located):
            text.data = found.label
            return found
    if not text.data:
        return None
    found = locate_commune(get_gazetteer(), text.data)
    if isinstance(found, Located):
        return found
    if isinstance(found, Candidates):
        choice.choices = [SelectChoice(label, label) for label in found.labels]
        text.errors = [str(COMMUNE_AMBIGUOUS % {"text": text.data})]
        return False
    assert isinstance(found, NotFound)
    message = POSTAL_CODE_MALFORMED if found.malformed_postal_code else COMMUNE_UNKNOWN
    text.errors = [str(message % {"text": text.data})]
    return False


__all__ = ["ProfileForm", "initial_data", "parse_month", "resolve_commune"]

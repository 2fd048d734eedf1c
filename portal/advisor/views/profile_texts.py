"""Words of the profile page and of what it lacks: the name of each due field, and the
sentence of each refusal of `portal.people.profile_service`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.people.profile_service import ProfileErrorCode

# The names `portal.people.profile_rules.missing_fields` gives, as a person reads them.
PROFILE_FIELD_LABELS: dict[str, LazyString] = {
    "sexe": _l("Sexe"),
    "adresse_nom_voie": _l("Adresse : nom de la voie"),
    "adresse_commune": _l("Adresse : commune"),
    "structure": _l("Structure de rattachement"),
    "niveau_formation": _l("Niveau de formation"),
    "secteur_activite": _l("Secteur d'activité"),
    "taille_entreprise": _l("Taille de l'entreprise"),
    "categorie_sociale": _l("Catégorie sociale"),
    "libelle_secteur": _l("Libellé du secteur"),
    "libelle_profession": _l("Libellé de la profession"),
    "statut": _l("Statut au regard de l'emploi"),
    "entree_entreprise": _l("Entrée dans l'entreprise"),
}
PROFILE_ERRORS = {
    ProfileErrorCode.UNKNOWN_CODE: _l("Choisissez une valeur de la liste."),
    ProfileErrorCode.ENTRY_IN_FUTURE: _l("Ce mois est dans le futur."),
    ProfileErrorCode.ENTRY_BEFORE_WORKING_AGE: _l(
        "Ce mois précède les 14 ans de la personne : vérifiez l'année."
    ),
}

__all__ = ["PROFILE_ERRORS", "PROFILE_FIELD_LABELS"]

"""Which profile fields are due from which unit (CCTP Annex 2 §1, « obligatoire » column).

Pure rules, no database and no Flask: the print gate of the livrables
(`portal.livrables.signing_checks.missing_for_printing`) and the dossier page ask
`missing_fields(profile, kind)`.

Annex 2 §1 says « oui dès l'UO 0 » for the status, « oui à partir de l'UO 1 » for sex,
address, structure, level of education, sector, company size, socio-professional category,
the labels of sector and occupation, and the date of entry into the company; « non » for the
employer's department and postcode and for disability. « À partir de l'UO 1 » holds for a
UO2.1 engaged without a UO1 too (the units come in that order, CCTP 1.2.6).

Two choices where Annex 2 is silent:
- the address is due as its street name and commune (with the postcode the commune comes
  with); the number and the street type are kept when there are some, but a « lieu-dit » has
  neither, so they are not required;
- a person who never worked (`categorie_sociale` « 8 ») has no company: its sector, size,
  sector label and date of entry are not due.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

# Annex 2's « obligatoire » column: the first unit (its Annex 2 « UU » code) from which due.
DUE_FROM: dict[str, int] = {
    "sexe": 1,
    "adresse_nom_voie": 1,
    "adresse_commune": 1,
    "structure": 1,
    "niveau_formation": 1,
    "secteur_activite": 1,
    "taille_entreprise": 1,
    "categorie_sociale": 1,
    "libelle_secteur": 1,
    "libelle_profession": 1,
    "statut": 0,
    "entree_entreprise": 1,
}
# PCS 2020 « 8 »: never worked, so no company to describe.
NEVER_WORKED = "8"
COMPANY_FIELDS = frozenset(
    {"secteur_activite", "taille_entreprise", "libelle_secteur", "entree_entreprise"}
)
# The profile attribute holding each due field ("structure" is the dossier's site).
_ATTRIBUTES = {"adresse_commune": "adresse_commune_insee"}
# Annex 2: the employer's department is « 00 » for an employer abroad (frontier workers).
ABROAD = "00"


class ProfileLike(Protocol):
    """What the rules read of a `DossierProfile` (any object with these attributes)."""

    categorie_sociale: str | None


def due_fields(kind: str) -> list[str]:
    """The profile fields due once a unit of this kind (« 00 », « 01 », « 21 », « 22 ») is
    engaged, in the order of the profile page."""
    level = int(kind)
    return [name for name, first in DUE_FROM.items() if level >= first]


def missing_fields(
    profile: ProfileLike | None, kind: str, *, has_structure: bool = True
) -> list[str]:
    """The fields due from `kind` that are still empty (`has_structure`: the dossier is
    attached to one of the operator's sites, Annex 2's « structure »)."""
    missing = []
    never_worked = profile is not None and profile.categorie_sociale == NEVER_WORKED
    for name in due_fields(kind):
        if name == "structure":
            if not has_structure:
                missing.append(name)
            continue
        if never_worked and name in COMPANY_FIELDS:
            continue
        value = getattr(profile, _ATTRIBUTES.get(name, name), None) if profile else None
        if value is None or value == "":
            missing.append(name)
    return missing


def statut_for_situation(
    statuses: Iterable[tuple[str, str | None]], situation: str | None
) -> str | None:
    """The status a front-door situation leads to, when it leads to one only.

    `statuses` are the (code, parent) of the `statut` list, whose parent is the
    `portal.orientation.rules.Situation` it refines: « salarie_prive » leads to CDI or CDD
    (no prefill, the advisor asks), « interimaire » to « interim », and so on."""
    if not situation:
        return None
    found = [code for code, parent in statuses if parent == situation]
    return found[0] if len(found) == 1 else None


__all__ = [
    "ABROAD",
    "DUE_FROM",
    "due_fields",
    "missing_fields",
    "statut_for_situation",
]

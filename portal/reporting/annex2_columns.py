"""The columns of the daily Annex 2 export, in their fixed order (documented in docs/annex2.md).

One row per unit (UO1, UO2.1, UO2.2) and per numbered UO0 contact (issue 15 §2,
`annex2_uo0.py`) of each dossier whose data changed on the day. Columns the portal does not
capture yet (issue 15 §1) are kept, empty, so that the layout does not move when they arrive.
"""

from __future__ import annotations

# Annex 3: « identifiant du dossier, date, heure, et un timestamp ».
TRANSMISSION = (
    "operateur",
    "numero_dossier",
    "date",
    "heure",
    "timestamp",
    "reference_bon_commande",
)
# Annex 2 §1: the beneficiary.
BENEFICIARY = (
    "identifiant_beneficiaire",
    "nir",
    "nom",
    "prenom",
    "sexe",
    "date_naissance",
    "adresse_numero_voie",
    "adresse_type_voie",
    "adresse_nom_voie",
    "adresse_commune",
    "adresse_code_postal",
    "entreprise_departement",
    "entreprise_code_postal",
    "entreprise_commune",
    "structure",
    "handicap",
    "niveau_formation",
    "secteur_activite",
    "taille_entreprise",
    "categorie_sociale",
    "libelle_secteur",
    "libelle_profession",
    "statut",
    "entree_entreprise",
    "email",
    "telephone",
)
# Annex 2 §2: the unit (the UO0 columns « aiguillage » included).
UNIT = (
    "uo",
    "date_engagement",
    "date_cloture",
    "numero_decompte",
    "origine",
    "motif",
    "motif_detaille",
    "aiguillage",
    "dates_interactions",
    "modes_contact",
    "motif_cloture",
    "types_service",
    "description_service",
    "prestations",
    "auto_prescription",
    "financements",
    "decouvertes",
    "projet_cpir",
    "etat_projet",
)
# Annex 2 §3: the complaints of the dossier and the mediator's access requests.
COMPLAINTS = (
    "reclamation",
    "reclamation_dates",
    "reclamation_motifs",
    "reclamation_reponse_dates",
    "mediateur_acces",
    "mediateur_acces_dates",
)
# Ours: the livrable deposited beside the file that day, if any.
DEPOSIT = ("livrable_fichier",)

COLUMNS: tuple[str, ...] = TRANSMISSION + BENEFICIARY + UNIT + COMPLAINTS + DEPOSIT

# The columns read as they are from the dossier's profile (`dossier_profile`, issue 15 §1);
# `entree_entreprise` is there too, written AAAA-MM.
PROFILE_COLUMNS = {
    "sexe": "sexe",
    "adresse_numero_voie": "adresse_numero",
    "adresse_type_voie": "adresse_type_voie",
    "adresse_nom_voie": "adresse_nom_voie",
    "adresse_commune": "adresse_commune",
    "adresse_code_postal": "adresse_code_postal",
    "entreprise_departement": "entreprise_departement",
    "entreprise_code_postal": "entreprise_code_postal",
    "entreprise_commune": "entreprise_commune",
    "handicap": "handicap",
    "niveau_formation": "niveau_formation",
    "secteur_activite": "secteur_activite",
    "taille_entreprise": "taille_entreprise",
    "categorie_sociale": "categorie_sociale",
    "libelle_secteur": "libelle_secteur",
    "libelle_profession": "libelle_profession",
    "statut": "statut",
}

# Not captured by the portal (the NIR « à préciser », and the consumption count whose format
# France compétences has not set): always empty.
NOT_CAPTURED = frozenset({"nir", "numero_decompte"})

SEPARATOR = "|"  # between the values of a multi-valued field
YES, NO = "oui", "non"

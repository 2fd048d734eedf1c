"""Demo Annex 2 profiles (issue 15 §1): the people of the demo dossiers live and work near
their advisor's site, in a few plausible situations. The UO1 engaged today or lately lacks
part of its profile, so that the dossier page lists what is missing and printing its
livrable is refused until the profile is filled in. Deterministic, like the dossiers."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from portal.advisor.models import Dossier
from portal.advisor.rules import add_months
from portal.clock import now
from portal.network.models import Site
from portal.people.profile_models import DossierProfile

# (sexe, niveau, NAF section, size, PCS, sector label, occupation, statut, years in company)
SITUATIONS = (
    ("F", "niveau_4", "H", "50_249", "6", "Logistique", "Préparatrice de commandes", "cdi", 12),
    ("M", "niveau_3", "F", "10_49", "6", "Bâtiment", "Maçon", "cdi", 8),
    ("F", "niveau_6", "Q", "250_4999", "4", "Santé", "Infirmière", "cdd", 3),
    ("M", "niveau_5", "G", "1_9", "5", "Commerce de détail", "Vendeur", "interim", 1),
    ("F", "niveau_7", "M", "5000_plus", "3", "Conseil", "Chargée d'études", "cdi", 6),
    ("M", "sans_diplome", "I", "1_9", "5", "Restauration", "Commis de cuisine", "cdd", 2),
)
STREETS = (("12", "RUE", "des Lilas"), ("3 bis", "AV", "Jean Jaurès"), ("", "LD", "Le Bourg"))


def add_demo_profile(
    session: Session, dossier: Dossier, site: Site | None, n: int, *, complete: bool = True
) -> DossierProfile:
    """The profile of demo dossier `n`; incomplete: only the status the UO0 gave."""
    sexe, niveau, naf, size, pcs, sector, job, statut, years = SITUATIONS[n % len(SITUATIONS)]
    profile = DossierProfile(dossier_id=dossier.id, statut=statut, updated_at=now())
    if complete:
        number, street_type, street = STREETS[n % len(STREETS)]
        birth = dossier.beneficiary.birth_date
        entry = max(add_months(dossier.opened_on, -12 * years), add_months(birth, 12 * 18))
        profile.sexe, profile.niveau_formation = sexe, niveau
        profile.secteur_activite, profile.taille_entreprise = naf, size
        profile.categorie_sociale, profile.libelle_secteur = pcs, sector
        profile.libelle_profession, profile.handicap = job, "nsp" if n % 4 == 0 else "non"
        profile.adresse_numero, profile.adresse_type_voie = number or None, street_type
        profile.adresse_nom_voie = street
        profile.entree_entreprise = date(entry.year, entry.month, 1)
        if site is not None:
            profile.adresse_commune_insee = profile.entreprise_commune_insee = site.commune_insee
            profile.adresse_commune = profile.entreprise_commune = site.commune_name
            profile.adresse_code_postal = profile.entreprise_code_postal = site.postal_code
            insee = site.commune_insee
            profile.entreprise_departement = insee[:3] if insee.startswith("97") else insee[:2]
    session.add(profile)
    return profile


__all__ = ["add_demo_profile"]

"""The reference lists of the beneficiary profile (CCTP Annex 2 §1), loaded by migration 0020.

Annex 2 says « une table de référence sera communiquée par France compétences » for most of
these fields; those tables are not published yet. These lists stand in, as data in
`reference_item`: the official ones replace them by a data migration, without a release.
Sources: the usual street types of FANTOIR / the Base Adresse Nationale; the nomenclature of
diploma levels of 2019 (décret n° 2019-14); the sections of the NAF rév. 2; INSEE's size
bands of companies; the groups of the PCS 2020.

The `statut` list refines the situation asked at the front door (`portal.orientation.rules.
Situation`): each status names as `parent` the situation it belongs to, so that a UO0's
situation can prefill the status when it leads to one status only (see
`portal.people.profile_rules.statut_for_situation`).
"""

from __future__ import annotations

from portal.advisor.reference_data import Item

SEXE = "sexe"
TYPE_VOIE = "type_voie"
HANDICAP = "handicap"
NIVEAU_FORMATION = "niveau_formation"
SECTEUR_ACTIVITE = "secteur_activite"
TAILLE_ENTREPRISE = "taille_entreprise"
CATEGORIE_SOCIALE = "categorie_sociale"
STATUT = "statut"

PROFILE_LISTS = (
    SEXE,
    TYPE_VOIE,
    HANDICAP,
    NIVEAU_FORMATION,
    SECTEUR_ACTIVITE,
    TAILLE_ENTREPRISE,
    CATEGORIE_SOCIALE,
    STATUT,
)

_SEXE: tuple[Item, ...] = (
    (SEXE, "F", "Femme", "Woman", None),
    (SEXE, "M", "Homme", "Man", None),
)

# FANTOIR abbreviations as codes.
_TYPE_VOIE: tuple[Item, ...] = tuple(
    (TYPE_VOIE, code, fr, en, None)
    for code, fr, en in (
        ("RUE", "Rue", "Street"),
        ("AV", "Avenue", "Avenue"),
        ("BD", "Boulevard", "Boulevard"),
        ("CHE", "Chemin", "Lane"),
        ("PL", "Place", "Square (place)"),
        ("IMP", "Impasse", "Dead end"),
        ("ALL", "Allée", "Alley"),
        ("RTE", "Route", "Road"),
        ("QUAI", "Quai", "Quay"),
        ("CRS", "Cours", "Cours"),
        ("LD", "Lieu-dit", "Locality"),
        ("SQ", "Square", "Square"),
        ("PAS", "Passage", "Passage"),
        ("RES", "Résidence", "Residence"),
        ("HAM", "Hameau", "Hamlet"),
        ("FG", "Faubourg", "Faubourg"),
        ("CITE", "Cité", "Estate"),
        ("PROM", "Promenade", "Promenade"),
        ("SEN", "Sentier", "Path"),
        ("VOIE", "Voie", "Way"),
        ("RPT", "Rond-point", "Roundabout"),
        ("ZA", "Zone d'activité", "Business park"),
        ("ZI", "Zone industrielle", "Industrial estate"),
    )
)

_HANDICAP: tuple[Item, ...] = (
    (HANDICAP, "oui", "Oui", "Yes", None),
    (HANDICAP, "non", "Non", "No", None),
    (HANDICAP, "nsp", "Ne souhaite pas répondre", "Prefers not to say", None),
)

# Nomenclature des niveaux de diplôme, 2019.
_NIVEAU_FORMATION: tuple[Item, ...] = (
    (NIVEAU_FORMATION, "sans_diplome", "Sans diplôme", "No qualification", None),
    (
        NIVEAU_FORMATION,
        "niveau_3",
        "Niveau 3 (CAP, BEP)",
        "Level 3 (CAP, BEP vocational certificates)",
        None,
    ),
    (NIVEAU_FORMATION, "niveau_4", "Niveau 4 (baccalauréat)", "Level 4 (baccalauréat)", None),
    (NIVEAU_FORMATION, "niveau_5", "Niveau 5 (bac + 2 : BTS, DUT)", "Level 5 (2 years)", None),
    (
        NIVEAU_FORMATION,
        "niveau_6",
        "Niveau 6 (bac + 3 ou 4 : licence, BUT)",
        "Level 6 (bachelor's degree)",
        None,
    ),
    (NIVEAU_FORMATION, "niveau_7", "Niveau 7 (bac + 5 : master)", "Level 7 (master's)", None),
    (NIVEAU_FORMATION, "niveau_8", "Niveau 8 (doctorat)", "Level 8 (doctorate)", None),
)

# The 21 sections of the NAF rév. 2, with INSEE's labels (English: NACE Rev. 2).
_SECTEUR_ACTIVITE: tuple[Item, ...] = tuple(
    (SECTEUR_ACTIVITE, code, fr, en, None)
    for code, fr, en in (
        ("A", "Agriculture, sylviculture et pêche", "Agriculture, forestry and fishing"),
        ("B", "Industries extractives", "Mining and quarrying"),
        ("C", "Industrie manufacturière", "Manufacturing"),
        (
            "D",
            "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
            "Electricity, gas, steam and air conditioning supply",
        ),
        (
            "E",
            "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution",
            "Water supply; sewerage, waste management and remediation activities",
        ),
        ("F", "Construction", "Construction"),
        (
            "G",
            "Commerce ; réparation d'automobiles et de motocycles",
            "Wholesale and retail trade; repair of motor vehicles and motorcycles",
        ),
        ("H", "Transports et entreposage", "Transportation and storage"),
        ("I", "Hébergement et restauration", "Accommodation and food service activities"),
        ("J", "Information et communication", "Information and communication"),
        ("K", "Activités financières et d'assurance", "Financial and insurance activities"),
        ("L", "Activités immobilières", "Real estate activities"),
        (
            "M",
            "Activités spécialisées, scientifiques et techniques",
            "Professional, scientific and technical activities",
        ),
        (
            "N",
            "Activités de services administratifs et de soutien",
            "Administrative and support service activities",
        ),
        (
            "O",
            "Administration publique",
            "Public administration and defence; compulsory social security",
        ),
        ("P", "Enseignement", "Education"),
        ("Q", "Santé humaine et action sociale", "Human health and social work activities"),
        ("R", "Arts, spectacles et activités récréatives", "Arts, entertainment and recreation"),
        ("S", "Autres activités de services", "Other service activities"),
        (
            "T",
            "Activités des ménages en tant qu'employeurs ; activités indifférenciées des "
            "ménages en tant que producteurs de biens et services pour usage propre",
            "Activities of households as employers; undifferentiated goods- and "
            "services-producing activities of households for own use",
        ),
        (
            "U",
            "Activités extra-territoriales",
            "Activities of extraterritorial organisations and bodies",
        ),
    )
)

# INSEE's size bands (number of employees).
_TAILLE_ENTREPRISE: tuple[Item, ...] = (
    (TAILLE_ENTREPRISE, "0", "0 salarié", "No employee", None),
    (TAILLE_ENTREPRISE, "1_9", "1 à 9 salariés", "1 to 9 employees", None),
    (TAILLE_ENTREPRISE, "10_49", "10 à 49 salariés", "10 to 49 employees", None),
    (TAILLE_ENTREPRISE, "50_249", "50 à 249 salariés", "50 to 249 employees", None),
    (TAILLE_ENTREPRISE, "250_4999", "250 à 4 999 salariés", "250 to 4,999 employees", None),
    (TAILLE_ENTREPRISE, "5000_plus", "5 000 salariés ou plus", "5,000 employees or more", None),
)

# The groups of the PCS 2020 (the last or current job); « 8 » for a person who never worked.
_CATEGORIE_SOCIALE: tuple[Item, ...] = (
    (CATEGORIE_SOCIALE, "1", "Agriculteurs exploitants", "Farmers", None),
    (
        CATEGORIE_SOCIALE,
        "2",
        "Artisans, commerçants et chefs d'entreprise",
        "Craftspeople, shopkeepers and business owners",
        None,
    ),
    (
        CATEGORIE_SOCIALE,
        "3",
        "Cadres et professions intellectuelles supérieures",
        "Managers and higher intellectual professions",
        None,
    ),
    (CATEGORIE_SOCIALE, "4", "Professions intermédiaires", "Intermediate professions", None),
    (CATEGORIE_SOCIALE, "5", "Employés", "Clerical, sales and service workers", None),
    (CATEGORIE_SOCIALE, "6", "Ouvriers", "Manual workers", None),
    (
        CATEGORIE_SOCIALE,
        "8",
        "Personnes n'ayant jamais travaillé",
        "People who have never worked",
        None,
    ),
)

# parent: the front door's `Situation` the status refines (None: no situation leads to it).
_STATUT: tuple[Item, ...] = (
    (STATUT, "cdi", "Salarié en CDI", "Employee on a permanent contract", "salarie_prive"),
    (STATUT, "cdd", "Salarié en CDD", "Employee on a fixed-term contract", "salarie_prive"),
    (STATUT, "interim", "Intérimaire", "Temporary agency worker", "interimaire"),
    (
        STATUT,
        "alternance",
        "Apprenti ou en contrat de professionnalisation",
        "Apprentice or work-study contract",
        "apprenti",
    ),
    (
        STATUT,
        "independant",
        "Travailleur indépendant, chef d'entreprise",
        "Self-employed, business owner",
        "independant",
    ),
    (
        STATUT,
        "de_activite_reduite",
        "Demandeur d'emploi en activité réduite",
        "Jobseeker with reduced activity",
        "demandeur_emploi_avec_activite",
    ),
    (
        STATUT,
        "demandeur_emploi",
        "Demandeur d'emploi sans activité",
        "Jobseeker without activity",
        "demandeur_emploi_sans_activite",
    ),
    (STATUT, "agent_public", "Agent public", "Public servant", "agent_public"),
    (STATUT, "etudiant_emploi", "Étudiant en emploi", "Student in work", "etudiant_en_emploi"),
    (STATUT, "retraite_emploi", "Retraité en emploi", "Retiree in work", "retraite_en_emploi"),
    (STATUT, "autre", "Autre situation", "Other situation", None),
)

PROFILE_ITEMS: tuple[Item, ...] = (
    _SEXE
    + _TYPE_VOIE
    + _HANDICAP
    + _NIVEAU_FORMATION
    + _SECTEUR_ACTIVITE
    + _TAILLE_ENTREPRISE
    + _CATEGORIE_SOCIALE
    + _STATUT
)

__all__ = ["PROFILE_ITEMS", "PROFILE_LISTS"]

"""The first content of the Annex 2 reference tables, loaded by migration 0003.

France compétences announced these tables without publishing them in the CCTP; the values
follow the Annex 2 examples. They live in the `reference_item` table from then on, so that
the official tables can replace them as data. Codes are stable identifiers for the exports.
"""

from __future__ import annotations

# (list, code, French label, English label, parent code)
Item = tuple[str, str, str, str, str | None]

ORIGINE = "origine"
MOTIF = "motif"
MOTIF_DETAILLE = "motif_detaille"
TYPE_SERVICE = "type_service"
PRESTATION = "prestation"
FINANCEMENT = "financement"
DECOUVERTE = "decouverte"
ETAT_PROJET = "etat_projet"
MOTIF_CLOTURE = "motif_cloture"
MODE_CONTACT = "mode_contact"

# The closure reason the system records itself at the end of the delay (CCTP 1.2.6).
ABANDON = "abandon"
# The « none » answers, so that a required multi-valued field can say « nothing ».
NONE_CODES = frozenset({"aucune", "aucun"})

ITEMS: tuple[Item, ...] = (
    (ORIGINE, "individuelle", "Démarche individuelle", "Own initiative", None),
    (ORIGINE, "entreprise", "Entreprise, employeur", "Company, employer", None),
    (ORIGINE, "operateur_cep", "Autre opérateur CEP", "Another CEP operator", None),
    (ORIGINE, "france_travail", "France Travail", "France Travail", None),
    (ORIGINE, "transitions_pro", "Transitions Pro", "Transitions Pro", None),
    (ORIGINE, "bouche_a_oreille", "Entourage, bouche-à-oreille", "Friends, word of mouth", None),
    (ORIGINE, "internet", "Internet, réseaux sociaux", "Internet, social media", None),
    (ORIGINE, "autre", "Autre", "Other", None),
    (
        MOTIF,
        "faire_le_point",
        "Faire le point sur sa situation professionnelle",
        "Take stock of one's working situation",
        None,
    ),
    (
        MOTIF,
        "competences",
        "Faire reconnaître et adapter ses compétences",
        "Have one's skills recognised and adapted",
        None,
    ),
    (MOTIF, "projet", "Travailler à son projet professionnel", "Work on one's career plan", None),
    (
        MOTIF_DETAILLE,
        "responsabilites",
        "Évoluer vers un poste à responsabilités",
        "Move to a position of responsibility",
        "projet",
    ),
    (
        MOTIF_DETAILLE,
        "changer_metier",
        "Changer de métier ou de secteur professionnel",
        "Change occupation or sector",
        "projet",
    ),
    (
        MOTIF_DETAILLE,
        "creer_entreprise",
        "Créer ou reprendre une entreprise",
        "Start or take over a business",
        "projet",
    ),
    (
        MOTIF_DETAILLE,
        "demission_reconversion",
        "Démissionner pour se reconvertir",
        "Resign to retrain",
        "projet",
    ),
    (
        MOTIF_DETAILLE,
        "se_former",
        "Se former, obtenir une certification",
        "Train, obtain a certification",
        "competences",
    ),
    (
        MOTIF_DETAILLE,
        "vae",
        "Faire valider ses acquis (VAE)",
        "Have experience validated (VAE)",
        "competences",
    ),
    (
        MOTIF_DETAILLE,
        "conditions_travail",
        "Améliorer ses conditions de travail",
        "Improve one's working conditions",
        "faire_le_point",
    ),
    (
        MOTIF_DETAILLE,
        "sante",
        "Raison de santé, inaptitude",
        "Health reasons, unfitness",
        "faire_le_point",
    ),
    (
        MOTIF_DETAILLE,
        "situation",
        "Faire le point, sans projet défini",
        "Take stock, no defined plan yet",
        "faire_le_point",
    ),
    (
        TYPE_SERVICE,
        "competences",
        "Identification et valorisation des compétences",
        "Identifying and showcasing skills",
        None,
    ),
    (
        TYPE_SERVICE,
        "parcours_formation",
        "Élaboration d'un parcours de formation",
        "Building a training path",
        None,
    ),
    (
        TYPE_SERVICE,
        "investigation_metiers",
        "Investigation métiers, secteurs",
        "Exploring occupations and sectors",
        None,
    ),
    (
        TYPE_SERVICE,
        "pmsmp",
        "Période de mise en situation en milieu professionnel (PMSMP)",
        "Work placement (PMSMP)",
        None,
    ),
    (TYPE_SERVICE, "ingenierie_financiere", "Ingénierie financière", "Financial engineering", None),
    (
        TYPE_SERVICE,
        "information",
        "Information sur les dispositifs et le marché du travail",
        "Information on schemes and the labour market",
        None,
    ),
    (
        PRESTATION,
        "formation",
        "Action de formation (dont formation qualifiante)",
        "Training (including qualifying training)",
        None,
    ),
    (PRESTATION, "bilan_competences", "Bilan de compétences", "Skills assessment", None),
    (PRESTATION, "vae", "Accompagnement VAE", "VAE support", None),
    (
        PRESTATION,
        "creation_entreprise",
        "Appui à la création d'entreprise",
        "Business start-up support",
        None,
    ),
    (
        PRESTATION,
        "autre",
        "Autre (mobilité, social, santé, qualité de vie au travail)",
        "Other (mobility, social, health, quality of working life)",
        None,
    ),
    (PRESTATION, "aucune", "Aucune", "None", None),
    (
        FINANCEMENT,
        "cpf",
        "Compte personnel de formation (CPF)",
        "Personal training account (CPF)",
        None,
    ),
    (
        FINANCEMENT,
        "ptp",
        "Projet de transition professionnelle (PTP)",
        "Career transition project (PTP)",
        None,
    ),
    (
        FINANCEMENT,
        "employeur",
        "Plan de développement des compétences de l'employeur",
        "Employer's skills development plan",
        None,
    ),
    (FINANCEMENT, "region", "Région", "Region", None),
    (FINANCEMENT, "france_travail", "France Travail", "France Travail", None),
    (FINANCEMENT, "personnel", "Financement personnel", "Self-funded", None),
    (FINANCEMENT, "aucun", "Aucun", "None", None),
    (DECOUVERTE, "pmsmp", "PMSMP", "Work placement (PMSMP)", None),
    (
        DECOUVERTE,
        "mission_courte",
        "Mission courte sur un autre poste",
        "Short assignment on another job",
        None,
    ),
    (
        DECOUVERTE,
        "afest",
        "Action de formation en situation de travail (AFEST)",
        "Work-based training (AFEST)",
        None,
    ),
    (
        DECOUVERTE,
        "enquete_metier",
        "Enquête métier, rencontre de professionnels",
        "Job survey, meeting professionals",
        None,
    ),
    (DECOUVERTE, "aucune", "Aucune", "None", None),
    (ETAT_PROJET, "reconversion_projetee", "Reconversion projetée", "Retraining planned", None),
    (ETAT_PROJET, "reconversion_realisee", "Reconversion réalisée", "Retraining done", None),
    (
        ETAT_PROJET,
        "transition_projetee",
        "Transition professionnelle projetée",
        "Career transition planned",
        None,
    ),
    (
        ETAT_PROJET,
        "transition_realisee",
        "Transition professionnelle réalisée",
        "Career transition done",
        None,
    ),
    (
        ETAT_PROJET,
        "creation_projetee",
        "Création ou reprise d'entreprise projetée",
        "Business start-up planned",
        None,
    ),
    (
        ETAT_PROJET,
        "creation_realisee",
        "Création ou reprise d'entreprise réalisée",
        "Business start-up done",
        None,
    ),
    (
        ETAT_PROJET,
        "evolution_poste",
        "Évolution dans l'emploi actuel",
        "Progress in the current job",
        None,
    ),
    (ETAT_PROJET, "abandonne", "Projet abandonné", "Plan given up", None),
    (
        MOTIF_CLOTURE,
        "objectif_atteint",
        "Clôture volontaire : objectif atteint",
        "Voluntary closure: goal reached",
        None,
    ),
    (
        MOTIF_CLOTURE,
        "poursuite",
        "Clôture volontaire : poursuite de l'accompagnement",
        "Voluntary closure: the accompaniment continues",
        None,
    ),
    (
        MOTIF_CLOTURE,
        "autre_operateur",
        "Clôture volontaire : orientation vers un autre acteur",
        "Voluntary closure: referred to another body",
        None,
    ),
    (
        MOTIF_CLOTURE,
        "plus_besoin",
        "Clôture volontaire : n'en a plus besoin",
        "Voluntary closure: no longer needed",
        None,
    ),
    (
        MOTIF_CLOTURE,
        "raisons_personnelles",
        "Clôture volontaire : raisons personnelles",
        "Voluntary closure: personal reasons",
        None,
    ),
    (
        MOTIF_CLOTURE,
        ABANDON,
        "Clôture automatique en fin de délai (abandon)",
        "Closed automatically at the end of the delay (abandoned)",
        None,
    ),
    (MODE_CONTACT, "presentiel", "Présentiel", "In person", None),
    (MODE_CONTACT, "telephone", "Téléphone", "Telephone", None),
    (MODE_CONTACT, "visio", "Visioconférence", "Video call", None),
    (MODE_CONTACT, "email", "E-mail", "E-mail", None),
    (MODE_CONTACT, "atelier_collectif", "Atelier collectif", "Group workshop", None),
)

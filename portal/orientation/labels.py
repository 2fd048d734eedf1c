"""The words people read for the UO0 rules, in their language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.orientation.rules import Reason, Route, Situation
from portal.reference import Motif, motif_from

SITUATIONS: dict[Situation, LazyString] = {
    Situation.SALARIE_PRIVE: _l("Salarié(e) d'une entreprise ou d'une association"),
    Situation.INDEPENDANT: _l("Indépendant(e), artisan, commerçant(e), profession libérale"),
    Situation.INTERIMAIRE: _l("Intérimaire"),
    Situation.APPRENTI: _l("Apprenti(e) ou en contrat de professionnalisation"),
    Situation.DEMANDEUR_EMPLOI_AVEC_ACTIVITE: _l(
        "Demandeur(se) d'emploi avec une activité réduite"
    ),
    Situation.DEMANDEUR_EMPLOI_SANS_ACTIVITE: _l("Demandeur(se) d'emploi sans activité"),
    Situation.AGENT_PUBLIC: _l(
        "Agent public (fonctionnaire ou contractuel de l'État, d'une collectivité, d'un hôpital)"
    ),
    Situation.ETUDIANT_EN_EMPLOI: _l("Étudiant(e) qui travaille"),
    Situation.RETRAITE_EN_EMPLOI: _l("Retraité(e) qui travaille"),
}

# The motives in the person's own words, for the front door, the booking form and what staff
# read of a request. Their codes are those of the Annex 2 lists, where the reference labels
# (`reference_item`, advisors' words, the export's) live: the same meaning, said to the person.
MOTIFS: dict[Motif, LazyString] = {
    Motif.FAIRE_LE_POINT: _l("Faire le point sur ma situation professionnelle"),
    Motif.COMPETENCES: _l("Faire reconnaître ou développer mes compétences"),
    Motif.PROJET: _l("Construire ou préciser un projet professionnel"),
    Motif.CHANGER_METIER: _l("Changer de métier ou de secteur"),
    Motif.CREER_ENTREPRISE: _l("Créer ou reprendre une entreprise"),
    Motif.SE_FORMER: _l("Me former, financer une formation"),
    Motif.DEMISSION_RECONVERSION: _l("Démissionner pour un projet de reconversion"),
}


def motif_label(value: object) -> str:
    """The person's words for a stored or given motive (a former value too); the value
    itself when it names none."""
    found = motif_from(value)
    return str(MOTIFS[found]) if found is not None else str(value or "")


REASONS: dict[Reason, LazyString] = {
    Reason.ALREADY_FOLLOWED: _l(
        "Vous êtes déjà accompagné(e) par un autre opérateur du conseil en évolution "
        "professionnelle : continuez avec lui. On ne peut pas être accompagné(e) par deux "
        "opérateurs en même temps."
    ),
    Reason.PUBLIC_AGENT: _l(
        "Les agents publics ne relèvent pas des opérateurs régionaux : le conseil en "
        "évolution professionnelle leur est proposé par leur employeur public. Adressez-vous "
        "à votre service des ressources humaines ou à votre conseiller mobilité-carrière."
    ),
    Reason.NO_ACTIVITY: _l(
        "Vous n'avez pas d'activité professionnelle en ce moment : c'est France Travail qui "
        "vous accompagne. L'opérateur régional conseille les personnes qui ont un emploi."
    ),
    Reason.DISABILITY: _l(
        "Cap emploi accompagne spécialement les personnes en situation de handicap."
    ),
    Reason.YOUNG: _l("Les Missions locales accompagnent les jeunes de 16 à 25 ans."),
    Reason.CADRE: _l("L'Apec est l'opérateur du conseil en évolution professionnelle des cadres."),
    Reason.REDUCED_ACTIVITY: _l(
        "Comme demandeur(se) d'emploi, France Travail vous suit déjà et peut vous conseiller."
    ),
    Reason.ACTIF_OCCUPE: _l(
        "Vous avez un emploi dans le secteur privé : l'opérateur régional du conseil en "
        "évolution professionnelle est là pour vous, gratuitement."
    ),
    Reason.CHOICE_IS_YOURS: _l(
        "Le choix vous appartient : vous pouvez aussi vous adresser à l'opérateur régional."
    ),
}


@dataclass(frozen=True)
class RouteInfo:
    name: LazyString
    summary: LazyString
    url: str


ROUTES: dict[Route, RouteInfo] = {
    Route.OPERATEUR_REGIONAL: RouteInfo(
        _l("L'opérateur régional du CEP"),
        _l(
            "Conseil gratuit et confidentiel pour les personnes qui travaillent "
            "dans le secteur privé."
        ),
        "",
    ),
    Route.APEC: RouteInfo(
        _l("Apec"),
        _l(
            "Association pour l'emploi des cadres : "
            "conseil en évolution professionnelle des cadres."
        ),
        "https://www.apec.fr/",
    ),
    Route.MISSION_LOCALE: RouteInfo(
        _l("Mission locale"),
        _l("Accompagnement des jeunes de 16 à 25 ans : emploi, formation, orientation."),
        "https://www.unml.info/",
    ),
    Route.CAP_EMPLOI: RouteInfo(
        _l("Cap emploi"),
        _l("Accompagnement vers et dans l'emploi des personnes en situation de handicap."),
        "https://www.capemploi.info/",
    ),
    Route.FRANCE_TRAVAIL: RouteInfo(
        _l("France Travail"),
        _l("Ex-Pôle emploi : accompagnement des demandeurs d'emploi."),
        "https://www.francetravail.fr/",
    ),
    Route.NON_ELIGIBLE: RouteInfo(
        _l("Un autre interlocuteur"),
        _l("L'opérateur régional ne peut pas vous accompagner, mais voici vers qui vous tourner."),
        "",
    ),
}


def explanation(reasons: tuple[Reason, ...]) -> str:
    return " ".join(str(REASONS[reason]) for reason in reasons)

"""The UO0 routing rules of the framework agreement.

CCTP 1.2.4 (L286-301) and 2.1.1 (L349-378): UO0 is due to any active person whatever their
status; the regional operator advises the *actifs occupés* of the private sector who are not
already followed by another CEP operator, and tells them about the targeted services — APEC for
cadres, Cap emploi for people with a disability, Missions locales for young people, France
Travail (ex Pôle emploi) for job seekers, including those with a reduced activity. The choice of
operator is left to the person. Agents publics are outside the agreement (loi du 5 septembre
2018, CCTP 1.2.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Situation(StrEnum):
    SALARIE_PRIVE = "salarie_prive"
    INDEPENDANT = "independant"
    INTERIMAIRE = "interimaire"
    APPRENTI = "apprenti"
    DEMANDEUR_EMPLOI_AVEC_ACTIVITE = "demandeur_emploi_avec_activite"
    DEMANDEUR_EMPLOI_SANS_ACTIVITE = "demandeur_emploi_sans_activite"
    AGENT_PUBLIC = "agent_public"
    ETUDIANT_EN_EMPLOI = "etudiant_en_emploi"
    RETRAITE_EN_EMPLOI = "retraite_en_emploi"


class Route(StrEnum):
    OPERATEUR_REGIONAL = "operateur_regional"
    APEC = "apec"
    MISSION_LOCALE = "mission_locale"
    CAP_EMPLOI = "cap_emploi"
    FRANCE_TRAVAIL = "france_travail"
    NON_ELIGIBLE = "non_eligible"


class Reason(StrEnum):
    """Why a route was suggested; the web layer words each one for people."""

    ALREADY_FOLLOWED = "already_followed"
    PUBLIC_AGENT = "public_agent"
    NO_ACTIVITY = "no_activity"
    DISABILITY = "disability"
    YOUNG = "young"
    CADRE = "cadre"
    REDUCED_ACTIVITY = "reduced_activity"
    ACTIF_OCCUPE = "actif_occupe"
    CHOICE_IS_YOURS = "choice_is_yours"


# Missions locales serve young people from 16 to 25 (Code du travail, L. 5314-2).
MISSION_LOCALE_MAX_AGE = 25
# Bounds of a plausible working age for the questionnaire (apprentices may start at 14).
MIN_AGE = 14
MAX_AGE = 99


@dataclass(frozen=True, slots=True)
class Answers:
    situation: Situation
    cadre: bool
    age: int
    rqth: bool
    suivi_autre_operateur: bool


@dataclass(frozen=True, slots=True)
class Orientation:
    route: Route
    alternatives: tuple[Route, ...]
    reasons: tuple[Reason, ...]

    @property
    def regional_operator_offered(self) -> bool:
        return Route.OPERATEUR_REGIONAL in (self.route, *self.alternatives)


def _targeted_services(answers: Answers) -> list[tuple[Route, Reason]]:
    """The specialised CEP operators that fit the person, most specific first."""
    services: list[tuple[Route, Reason]] = []
    if answers.rqth:
        services.append((Route.CAP_EMPLOI, Reason.DISABILITY))
    young = answers.age <= MISSION_LOCALE_MAX_AGE
    # Missions locales serve young people who have left school, not students in a job.
    if young and answers.situation is not Situation.ETUDIANT_EN_EMPLOI:
        services.append((Route.MISSION_LOCALE, Reason.YOUNG))
    if answers.cadre:
        services.append((Route.APEC, Reason.CADRE))
    if answers.situation is Situation.DEMANDEUR_EMPLOI_AVEC_ACTIVITE:
        services.append((Route.FRANCE_TRAVAIL, Reason.REDUCED_ACTIVITY))
    return services


def orient(answers: Answers) -> Orientation:
    """Route a person at UO0, with the reasons to give them."""
    if answers.suivi_autre_operateur:
        # CCTP 1.2.4: no double accompaniment.
        return Orientation(Route.NON_ELIGIBLE, (), (Reason.ALREADY_FOLLOWED,))
    if answers.situation is Situation.AGENT_PUBLIC:
        return Orientation(Route.NON_ELIGIBLE, (), (Reason.PUBLIC_AGENT,))

    services = _targeted_services(answers)
    if answers.situation is Situation.DEMANDEUR_EMPLOI_SANS_ACTIVITE:
        # Not an actif occupé: France Travail first, the other targeted services besides.
        others = [(r, why) for r, why in services if r is not Route.FRANCE_TRAVAIL]
        return Orientation(
            Route.FRANCE_TRAVAIL,
            tuple(route for route, _ in others),
            (Reason.NO_ACTIVITY, *(why for _, why in others)),
        )

    if not services:
        return Orientation(Route.OPERATEUR_REGIONAL, (), (Reason.ACTIF_OCCUPE,))
    (first, _), rest = services[0], services[1:]
    return Orientation(
        first,
        (*(route for route, _ in rest), Route.OPERATEUR_REGIONAL),
        (*(why for _, why in services), Reason.CHOICE_IS_YOURS),
    )

"""UO0 routing (CCTP 1.2.4): who the regional operator takes on, and where others go."""

from __future__ import annotations

import pytest

from portal.orientation.rules import Answers, Reason, Route, Situation, orient

OCCUPIED = [
    Situation.SALARIE_PRIVE,
    Situation.INDEPENDANT,
    Situation.INTERIMAIRE,
    Situation.APPRENTI,
    Situation.ETUDIANT_EN_EMPLOI,
    Situation.RETRAITE_EN_EMPLOI,
]


def answers(
    situation: Situation,
    *,
    cadre: bool = False,
    age: int = 40,
    rqth: bool = False,
    suivi: bool = False,
) -> Answers:
    return Answers(situation, cadre, age, rqth, suivi)


@pytest.mark.parametrize("situation", OCCUPIED)
def test_an_adult_in_work_goes_to_the_regional_operator(situation: Situation) -> None:
    result = orient(answers(situation))
    assert result.route is Route.OPERATEUR_REGIONAL
    assert result.alternatives == ()
    assert result.reasons == (Reason.ACTIF_OCCUPE,)


@pytest.mark.parametrize(
    ("kwargs", "first"),
    [
        ({"cadre": True}, Route.APEC),
        ({"rqth": True}, Route.CAP_EMPLOI),
        ({"age": 22}, Route.MISSION_LOCALE),
        ({"age": 25}, Route.MISSION_LOCALE),
    ],
)
def test_targeted_services_come_first_and_the_regional_operator_stays_a_choice(
    kwargs: dict[str, object], first: Route
) -> None:
    result = orient(answers(Situation.SALARIE_PRIVE, **kwargs))  # type: ignore[arg-type]
    assert result.route is first
    assert result.alternatives[-1] is Route.OPERATEUR_REGIONAL
    assert result.regional_operator_offered
    assert result.reasons[-1] is Reason.CHOICE_IS_YOURS


def test_age_26_is_past_the_mission_locale() -> None:
    assert orient(answers(Situation.SALARIE_PRIVE, age=26)).route is Route.OPERATEUR_REGIONAL


def test_a_young_student_in_work_is_not_sent_to_a_mission_locale() -> None:
    result = orient(answers(Situation.ETUDIANT_EN_EMPLOI, age=20))
    assert result.route is Route.OPERATEUR_REGIONAL


def test_a_young_disabled_cadre_hears_of_every_service_disability_first() -> None:
    result = orient(answers(Situation.SALARIE_PRIVE, cadre=True, age=24, rqth=True))
    assert result.route is Route.CAP_EMPLOI
    assert result.alternatives == (Route.MISSION_LOCALE, Route.APEC, Route.OPERATEUR_REGIONAL)
    assert result.reasons == (Reason.DISABILITY, Reason.YOUNG, Reason.CADRE, Reason.CHOICE_IS_YOURS)


def test_a_job_seeker_with_reduced_activity_may_still_choose_the_regional_operator() -> None:
    result = orient(answers(Situation.DEMANDEUR_EMPLOI_AVEC_ACTIVITE))
    assert result.route is Route.FRANCE_TRAVAIL
    assert result.alternatives == (Route.OPERATEUR_REGIONAL,)


def test_a_job_seeker_with_no_activity_is_not_taken_on_by_the_regional_operator() -> None:
    result = orient(answers(Situation.DEMANDEUR_EMPLOI_SANS_ACTIVITE, cadre=True))
    assert result.route is Route.FRANCE_TRAVAIL
    assert result.alternatives == (Route.APEC,)
    assert not result.regional_operator_offered
    assert result.reasons[0] is Reason.NO_ACTIVITY


@pytest.mark.parametrize("situation", list(Situation))
def test_a_public_agent_or_a_person_followed_elsewhere_is_never_taken_on(
    situation: Situation,
) -> None:
    followed = orient(answers(situation, suivi=True))
    assert followed.route is Route.NON_ELIGIBLE
    assert followed.reasons == (Reason.ALREADY_FOLLOWED,)
    assert not followed.regional_operator_offered
    if situation is Situation.AGENT_PUBLIC:
        agent = orient(answers(situation, cadre=True, age=23))
        assert agent.route is Route.NON_ELIGIBLE
        assert agent.reasons == (Reason.PUBLIC_AGENT,)

"""The survey of each closure (CCTP 4.1) and indicator 8.1 per semester."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock as portal_clock
from portal.advisor.closing import close_unit
from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.clock import today_in_france
from portal.mail.models import OutboxMessage
from portal.network.models import StaffMember
from portal.satisfaction.indicators import (
    QUALITY_BONUS_THRESHOLD,
    SatisfactionFigures,
    Semester,
    last_semesters,
    satisfaction,
)
from portal.satisfaction.models import Survey
from portal.satisfaction.services import (
    InvalidSurveyLink,
    answer_survey,
    invite_to_survey,
    survey_id_from_token,
    survey_token,
)
from tests.workspace_data import engaged, staff


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16")


def closed_unit(session: Session, advisor: StaffMember) -> Unit:
    today = today_in_france()
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=3), today=today
    )
    close_unit(
        session,
        unit,
        kind=ClosureKind.SIGNED,
        closed_on=today,
        reason="objectif_atteint",
        today=today,
        by=advisor,
    )
    return unit


def test_each_closure_sends_one_survey_in_the_person_s_language(
    session: Session, advisor: StaffMember
) -> None:
    unit = closed_unit(session, advisor)  # close_unit invites
    person = unit.dossier.beneficiary
    survey = session.scalar(select(Survey).where(Survey.unit_id == unit.id))
    assert survey is not None and survey.closed_on == unit.closed_on
    assert invite_to_survey(session, unit) is survey  # once
    messages = session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == f"survey:{survey.id}")
    ).all()
    assert len(messages) == 1 and messages[0].to_address == person.email
    assert "/enquete/" in messages[0].body_text
    assert "médiateur de France compétences" in messages[0].body_text


def test_an_english_speaker_gets_the_survey_link_in_english(
    session: Session, advisor: StaffMember
) -> None:
    today = today_in_france()
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    unit.dossier.beneficiary.locale = "en"
    close_unit(
        session,
        unit,
        kind=ClosureKind.SIGNED,
        closed_on=today,
        reason="plus_besoin",
        today=today,
        by=advisor,
    )
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == unit.dossier.beneficiary.email)
    ).one()
    assert "?lang=en" in message.body_text  # the survey page opens in English


def test_a_survey_is_answered_once(session: Session, advisor: StaffMember) -> None:
    unit = closed_unit(session, advisor)
    survey = session.scalars(select(Survey).where(Survey.unit_id == unit.id)).one()
    now = portal_clock.now()
    assert answer_survey(session, survey, quality=4, usefulness=3, comment=" Merci ", now=now)
    assert not answer_survey(session, survey, quality=1, usefulness=1, comment="", now=now)
    assert (survey.quality, survey.usefulness, survey.comment) == (4, 3, "Merci")
    with pytest.raises(ValueError):
        answer_survey(session, survey, quality=5, usefulness=3, comment="", now=now)


def test_the_link_names_its_survey_and_cannot_be_forged(app: Flask) -> None:
    token = survey_token("secret", 42)
    assert survey_id_from_token("secret", token) == 42
    for wrong in (token + "x", survey_token("another secret", 42), "nonsense"):
        with pytest.raises(InvalidSurveyLink):
            survey_id_from_token("secret", wrong)


def test_semesters_run_from_january_and_july() -> None:
    assert Semester.of(date(2024, 6, 30)) == Semester(2024, 1)
    assert Semester.of(date(2024, 7, 1)) == Semester(2024, 2)
    assert Semester(2024, 1).previous() == Semester(2023, 2)
    assert (Semester(2023, 2).start, Semester(2023, 2).end) == (
        date(2023, 7, 1),
        date(2023, 12, 31),
    )
    assert last_semesters(date(2025, 2, 10)) == [
        Semester(2025, 1),
        Semester(2024, 2),
        Semester(2024, 1),
        Semester(2023, 2),
    ]


def test_indicator_8_1_on_a_controlled_semester(session: Session, advisor: StaffMember) -> None:
    """Surveys placed in 2019, a semester no other test uses: ten sent, eight answered, six
    found the service both of quality and useful (3 or 4 to both questions)."""
    today = today_in_france()
    answers = [(4, 4), (3, 3), (4, 3), (3, 4), (4, 4), (3, 3), (2, 4), (4, 1), None, None]
    days = [date(2019, 1, 2) + timedelta(days=17 * i) for i in range(10)]
    assert all(Semester.of(day) == Semester(2019, 1) for day in days)
    for day, answer in zip(days, answers, strict=True):
        unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
        survey = Survey(unit_id=unit.id, operator_id=unit.operator_id, closed_on=day)
        if answer:
            survey.quality, survey.usefulness = answer
            survey.answered_at = portal_clock.now()
        session.add(survey)
    # The next semester's first day counts in the next semester.
    unit = engaged(session, advisor, UnitKind.UO1, engaged_on=today, today=today)
    session.add(Survey(unit_id=unit.id, operator_id=unit.operator_id, closed_on=date(2019, 7, 1)))
    session.flush()
    assert advisor.operator_id is not None

    first, second = satisfaction(
        session, advisor.operator_id, [Semester(2019, 1), Semester(2019, 2)]
    )
    assert (first.sent, first.answered, first.positive) == (10, 8, 6)
    assert first.answer_rate == pytest.approx(0.8)
    assert first.positive_share == pytest.approx(0.75)
    assert first.reaches_bonus is False  # 75 % < 80 %
    assert (second.sent, second.answered, second.positive_share) == (1, 0, None)
    assert second.reaches_bonus is None


def test_the_bonus_threshold_is_80_percent_of_respondents() -> None:
    assert QUALITY_BONUS_THRESHOLD == 0.8
    semester = Semester(2024, 2)
    assert SatisfactionFigures(semester, 20, 10, 8).reaches_bonus is True
    assert SatisfactionFigures(semester, 20, 10, 7).reaches_bonus is False

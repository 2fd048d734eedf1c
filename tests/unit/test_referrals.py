"""Referral to the mediator of France compétences (CCTP 3.7): when the person may refer, the
mediator's steps and their refusals, and indicator 8.7."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from portal.mediation.complaints import answer_complaint, state_satisfaction
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import (
    Admissible,
    Complaint,
    Outcome,
    ReferralChannel,
    ReferredBy,
)
from portal.mediation.referrals import (
    decide_admissibility,
    grant_access,
    inform_operator,
    record_outcome,
    record_referral,
    refer_to_mediator,
    request_access,
)
from portal.mediation.rules import AllowedBecause, RefusalReason, referral_admissibility
from portal.network.models import StaffMember, StaffRole
from portal.reporting.complaints import referral_shares
from portal.satisfaction.indicators import Semester
from tests.mediation_data import at, letter
from tests.workspace_data import operator, staff

Code = ComplaintErrorCode
DAY = date(2026, 3, 2)
OPENS = DAY + timedelta(days=46)  # the day after the 45th


@pytest.fixture
def manager(session: Session) -> StaffMember:
    return staff(session, "16", StaffRole.MANAGER)


@pytest.fixture
def mediator(session: Session) -> StaffMember:
    return staff(session, role=StaffRole.MEDIATOR)


def answered(session: Session, manager: StaffMember, *, satisfied: bool | None) -> Complaint:
    complaint = letter(session, manager, received_on=DAY)
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(DAY))
    if satisfied is not None:
        state_satisfaction(session, complaint, satisfied=satisfied, now=at(DAY))
    return complaint


# Admissibility (rules)


def test_without_an_answer_it_opens_the_day_after_the_45th() -> None:
    on_45th = referral_admissibility(
        received_on=DAY, answered_on=None, satisfied=None, today=OPENS - timedelta(days=1)
    )
    assert not on_45th.allowed and on_45th.refused == RefusalReason.AWAITING_ANSWER
    assert on_45th.allowed_from == OPENS
    after = referral_admissibility(received_on=DAY, answered_on=None, satisfied=None, today=OPENS)
    assert after.allowed and after.because == AllowedBecause.NO_ANSWER_IN_TIME


def test_answered_in_time_it_depends_on_the_person_s_word() -> None:
    def verdict(satisfied: bool | None):  # type: ignore[no-untyped-def]
        return referral_admissibility(
            received_on=DAY, answered_on=DAY + timedelta(days=10), satisfied=satisfied, today=OPENS
        )

    assert verdict(False).allowed and verdict(False).because == AllowedBecause.NOT_SATISFIED
    assert verdict(True).refused == RefusalReason.SATISFIED
    assert verdict(True).allowed_from is None  # never, by waiting
    assert verdict(None).refused == RefusalReason.SATISFACTION_NOT_STATED


def test_a_late_answer_does_not_take_the_right_back_unless_it_satisfies() -> None:
    late = DAY + timedelta(days=60)
    unstated = referral_admissibility(received_on=DAY, answered_on=late, satisfied=None, today=late)
    assert unstated.allowed and unstated.because == AllowedBecause.NO_ANSWER_IN_TIME
    pleased = referral_admissibility(received_on=DAY, answered_on=late, satisfied=True, today=late)
    assert not pleased.allowed and pleased.refused == RefusalReason.SATISFIED


# The person's referral


def test_before_the_45_days_without_answer_the_referral_is_refused_with_its_date(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    with pytest.raises(ComplaintError) as error:
        refer_to_mediator(session, complaint, text=None, now=at(DAY), today=DAY + timedelta(9))
    assert error.value.code == Code.REFERRAL_NOT_YET and error.value.allowed_from == OPENS
    referral = refer_to_mediator(
        session, complaint, text="Aucune réponse.", now=at(OPENS), today=OPENS
    )
    assert referral.complaint_id == complaint.id and referral.operator_id == complaint.operator_id
    assert (referral.referred_by, referral.channel) == (ReferredBy.PERSON, ReferralChannel.PORTAL)
    assert referral.email == complaint.email and referral.admissible == Admissible.PENDING
    with pytest.raises(ComplaintError) as twice:
        refer_to_mediator(session, complaint, text=None, now=at(OPENS), today=OPENS)
    assert twice.value.code == Code.ALREADY_REFERRED


def test_answered_and_satisfied_the_referral_is_refused(
    session: Session, manager: StaffMember
) -> None:
    complaint = answered(session, manager, satisfied=True)
    with pytest.raises(ComplaintError) as error:
        refer_to_mediator(session, complaint, text=None, now=at(OPENS), today=OPENS)
    assert error.value.code == Code.REFERRAL_SATISFIED and error.value.allowed_from is None


def test_answered_and_not_satisfied_the_referral_is_allowed_at_once(
    session: Session, manager: StaffMember
) -> None:
    complaint = answered(session, manager, satisfied=None)
    with pytest.raises(ComplaintError) as unstated:
        refer_to_mediator(session, complaint, text=None, now=at(DAY), today=DAY)
    assert unstated.value.code == Code.REFERRAL_SATISFACTION_NOT_STATED
    state_satisfaction(session, complaint, satisfied=False, now=at(DAY))
    assert refer_to_mediator(session, complaint, text=None, now=at(DAY), today=DAY).id


# The mediator's steps


def test_the_mediator_works_an_admissible_referral_to_its_outcome(
    session: Session, manager: StaffMember, mediator: StaffMember
) -> None:
    referral = refer_to_mediator(
        session, answered(session, manager, satisfied=False), text=None, now=at(DAY), today=DAY
    )
    with pytest.raises(ComplaintError) as early:
        inform_operator(session, referral, by=mediator, now=at(DAY))
    assert early.value.code == Code.NOT_ADMISSIBLE
    with pytest.raises(ComplaintError) as not_mediator:
        decide_admissibility(
            session, referral, by=manager, admissible=True, reason=None, now=at(DAY)
        )
    assert not_mediator.value.code == Code.NOT_MEDIATOR
    decide_admissibility(session, referral, by=mediator, admissible=True, reason=None, now=at(DAY))
    assert referral.admissible == Admissible.YES and referral.closed_at is None
    with pytest.raises(ComplaintError) as decided:
        decide_admissibility(
            session, referral, by=mediator, admissible=False, reason="x", now=at(DAY)
        )
    assert decided.value.code == Code.ALREADY_DECIDED
    inform_operator(session, referral, by=mediator, now=at(DAY + timedelta(days=1)))
    assert referral.operator_informed_at == at(DAY + timedelta(days=1))
    with pytest.raises(ComplaintError) as informed:
        inform_operator(session, referral, by=mediator, now=at(DAY))
    assert informed.value.code == Code.ALREADY_INFORMED
    with pytest.raises(ComplaintError) as unasked:
        grant_access(session, referral, by=manager, now=at(DAY))
    assert unasked.value.code == Code.ACCESS_NOT_REQUESTED
    request_access(session, referral, by=mediator, now=at(DAY + timedelta(days=2)))
    assert referral.access_requested_at == at(DAY + timedelta(days=2))  # Annex 2 §3
    with pytest.raises(ComplaintError) as asked:
        request_access(session, referral, by=mediator, now=at(DAY))
    assert asked.value.code == Code.ALREADY_REQUESTED
    with pytest.raises(ComplaintError) as stranger:
        grant_access(session, referral, by=staff(session, "10", StaffRole.MANAGER), now=at(DAY))
    assert stranger.value.code == Code.WRONG_OPERATOR
    grant_access(session, referral, by=manager, now=at(DAY + timedelta(days=3)))
    assert referral.access_granted_by_id == manager.id
    with pytest.raises(ComplaintError) as granted:
        grant_access(session, referral, by=manager, now=at(DAY))
    assert granted.value.code == Code.ALREADY_GRANTED
    with pytest.raises(ComplaintError) as unsaid:
        record_outcome(
            session,
            referral,
            by=mediator,
            outcome=Outcome.RECOMMENDATION,
            accepted=None,
            now=at(DAY),
        )
    assert unsaid.value.code == Code.ACCEPTANCE_REQUIRED
    end = at(DAY + timedelta(days=30))
    record_outcome(
        session, referral, by=mediator, outcome=Outcome.RECOMMENDATION, accepted=True, now=end
    )
    assert (referral.outcome, referral.outcome_accepted, referral.closed_at) == (
        Outcome.RECOMMENDATION,
        True,
        end,
    )
    with pytest.raises(ComplaintError) as closed:
        record_outcome(session, referral, by=mediator, outcome=Outcome.NONE, accepted=None, now=end)
    assert closed.value.code == Code.REFERRAL_CLOSED


def test_not_admissible_needs_a_reason_and_ends_the_referral(
    session: Session, manager: StaffMember, mediator: StaffMember
) -> None:
    referral = refer_to_mediator(
        session, answered(session, manager, satisfied=False), text=None, now=at(DAY), today=DAY
    )
    with pytest.raises(ComplaintError) as bare:
        decide_admissibility(
            session, referral, by=mediator, admissible=False, reason=" ", now=at(DAY)
        )
    assert bare.value.code == Code.REASON_REQUIRED
    decide_admissibility(
        session, referral, by=mediator, admissible=False, reason="Hors champ du CEP.", now=at(DAY)
    )
    assert referral.admissible == Admissible.NO and referral.closed_at == at(DAY)
    with pytest.raises(ComplaintError) as after:
        request_access(session, referral, by=mediator, now=at(DAY))
    assert after.value.code == Code.REFERRAL_CLOSED


def test_the_mediator_records_a_letter_without_a_prior_complaint(
    session: Session, mediator: StaffMember
) -> None:
    operator_id = operator(session, "16").id
    common = dict(
        operator_id=operator_id,
        last_name="Martin",
        first_name="Louise",
        email=None,
        text="Courrier reçu.",
        referred_at=at(DAY),
        now=at(DAY + timedelta(days=2)),
    )
    with pytest.raises(ComplaintError) as portal:
        record_referral(session, by=mediator, channel=ReferralChannel.PORTAL, **common)  # type: ignore[arg-type]
    assert portal.value.code == Code.WRONG_CHANNEL
    referral = record_referral(session, by=mediator, channel=ReferralChannel.LETTER, **common)  # type: ignore[arg-type]
    assert referral.complaint_id is None and referral.referred_by == ReferredBy.MEDIATOR
    assert referral.recorded_by_id == mediator.id and referral.referred_at == at(DAY)


# Indicator 8.7


def test_8_7_counts_the_semester_s_complaints_followed_by_a_referral(
    session: Session, manager: StaffMember, mediator: StaffMember
) -> None:
    # 2019: before any other test's complaint, so the figures are this test's alone.
    s1, s2 = Semester(2019, 1), Semester(2019, 2)
    operator_id = manager.operator_id
    assert operator_id is not None
    complaints = [
        letter(session, manager, received_on=day)
        for day in (date(2019, 2, 1), date(2019, 3, 1), date(2019, 6, 30), date(2019, 7, 1))
    ]
    before = referral_shares(session, [s1, s2], [operator_id])
    assert [(f.complaints, f.referred, f.rate) for f in before] == [(3, 0, 0.0), (1, 0, 0.0)]
    late = date(2019, 9, 1)  # after the 45 days: referred in S2, counted with its S1 complaint
    refer_to_mediator(session, complaints[0], text=None, now=at(late), today=late)
    record_referral(
        session,
        by=mediator,
        channel=ReferralChannel.FC_FORM,
        operator_id=operator_id,
        last_name="Lefèvre",
        first_name="Camille",
        email=None,
        text=None,
        referred_at=at(late),
        now=at(late),
        complaint=complaints[1],
    )
    after = referral_shares(session, [s1, s2], [operator_id])
    assert [(f.semester, f.complaints, f.referred) for f in after] == [(s1, 3, 2), (s2, 1, 0)]
    assert after[0].rate == pytest.approx(2 / 3)
    nobody = referral_shares(session, [Semester(2018, 2)], [operator_id])
    assert nobody[0].complaints == 0 and nobody[0].rate is None
    national = referral_shares(session, [s1])
    assert any(f.operator_id == operator_id and f.referred == 2 for f in national)

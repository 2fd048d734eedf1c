"""The mediator's annual report: what belongs to the year and to the lot, admissibility with
its reasons grouped, the motives behind the referrals, the delays and the outcomes, in a
constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.mediation.complaints import acknowledge_complaint, answer_complaint
from portal.mediation.models import Complaint, Outcome, Referral, ReferralChannel
from portal.mediation.referrals import decide_admissibility, record_outcome, record_referral
from portal.network.models import StaffMember, StaffRole
from portal.reporting.mediation_report import mediation_report
from tests.mediation_data import at, letter
from tests.workspace_data import operator, staff

YEAR = 2020  # no other test commits rows in 2019-2020 (the web report tests use 2021-2022)


@pytest.fixture
def manager(session: Session) -> StaffMember:
    return staff(session, "16", StaffRole.MANAGER)


@pytest.fixture
def mediator(session: Session) -> StaffMember:
    return staff(session, role=StaffRole.MEDIATOR)


def complaint(
    session: Session,
    manager: StaffMember,
    received_on: date,
    *,
    motive: str = "delai_rendez_vous",
    ack_after: int | None = None,
    answer_after: int | None = None,
) -> Complaint:
    made = letter(session, manager, received_on=received_on)
    made.motive = motive
    if ack_after is not None:
        acknowledge_complaint(session, made, by=manager, now=at(received_on + timedelta(ack_after)))
    if answer_after is not None:
        answer_complaint(
            session,
            made,
            by=manager,
            answer="Réponse.",
            now=at(received_on + timedelta(answer_after)),
        )
    return made


def referral(
    session: Session, mediator: StaffMember, on: date, made: Complaint | None, operator_id: int
) -> Referral:
    return record_referral(
        session,
        by=mediator,
        channel=ReferralChannel.LETTER,
        operator_id=operator_id,
        last_name="Lefèvre",
        first_name="Camille",
        email=None,
        text=None,
        referred_at=at(on),
        now=at(on),
        complaint=made,
    )


def test_the_year_s_report_for_one_lot(
    session: Session, manager: StaffMember, mediator: StaffMember
) -> None:
    lot16 = operator(session, "16").id
    jan = date(YEAR, 1, 4)
    late_ack = complaint(session, manager, jan, ack_after=10, answer_after=50, motive="accueil")
    on_time = complaint(session, manager, jan, ack_after=2, answer_after=30)
    complaint(session, manager, jan, ack_after=7)  # acknowledged on the 7th day, unanswered
    # Received the year before: neither its delays nor its referral count.
    old = complaint(session, manager, date(YEAR - 1, 12, 30), ack_after=1, answer_after=3)
    referral(session, mediator, date(YEAR - 1, 12, 31), old, lot16)

    settled = referral(session, mediator, date(YEAR, 3, 1), late_ack, lot16)
    decide_admissibility(
        session, settled, by=mediator, admissible=True, reason=None, now=at(date(YEAR, 3, 2))
    )
    record_outcome(
        session,
        settled,
        by=mediator,
        outcome=Outcome.SETTLEMENT,
        accepted=True,
        now=at(date(YEAR, 3, 21)),
    )
    refused = referral(session, mediator, date(YEAR, 4, 1), on_time, lot16)
    decide_admissibility(
        session,
        refused,
        by=mediator,
        admissible=False,
        reason="Hors délai ",
        now=at(date(YEAR, 4, 2)),
    )
    for day in (5, 6):  # two without a complaint, one with the same reason, one pending
        without = referral(session, mediator, date(YEAR, 5, day), None, lot16)
    decide_admissibility(
        session,
        without,
        by=mediator,
        admissible=False,
        reason="Hors délai",
        now=at(date(YEAR, 5, 7)),
    )
    # Another lot's referral of the year: in the national report only.
    foreign = complaint(session, staff(session, "10", StaffRole.MANAGER), jan, ack_after=1)
    referral(session, mediator, date(YEAR, 6, 1), foreign, operator(session, "10").id)

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        report = mediation_report(session, year=YEAR, operator_id=lot16)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 5

    assert (report.referrals, report.admissible, report.not_admissible, report.pending) == (
        4,
        1,
        2,
        1,
    )
    assert report.reasons == [("Hors délai", 2)]
    assert dict(report.motives) == {"accueil": 1, "delai_rendez_vous": 1, None: 2}
    assert report.complaints == 3
    ack = report.acknowledgement
    assert (ack.count, ack.waiting, ack.median, ack.max, ack.within) == (3, 0, 7.0, 10, 2)
    assert ack.mean == pytest.approx(19 / 3) and ack.share_within == pytest.approx(2 / 3)
    answer = report.answer
    assert (answer.count, answer.waiting, answer.median, answer.max, answer.within) == (
        2,
        1,
        40.0,
        50,
        1,
    )
    assert (report.outcome_delay.count, report.outcome_delay.max) == (1, 20)
    outcomes = {o.outcome: (o.accepted, o.refused, o.unstated) for o in report.outcomes}
    assert outcomes == {
        Outcome.SETTLEMENT: (1, 0, 0),
        Outcome.RECOMMENDATION: (0, 0, 0),
        Outcome.NONE: (0, 0, 0),
    }

    national = mediation_report(session, year=YEAR)
    assert national.referrals == 5 and national.complaints == 4


def test_an_empty_year_has_no_figures(session: Session) -> None:
    report = mediation_report(session, year=2019, operator_id=operator(session, "16").id)
    assert (report.referrals, report.complaints, report.reasons, report.motives) == (0, 0, [], [])
    assert report.acknowledgement.median is None and report.acknowledgement.share_within is None

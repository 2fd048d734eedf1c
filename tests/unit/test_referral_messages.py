"""The correspondant médiation (CCTP 3.7) and the referral's two threads: who the operator's
contacts are, who may act on a complaint, and who may write on which thread, when."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.mediation.complaints import answer_complaint, state_satisfaction
from portal.mediation.contacts import designate_correspondent, mediation_contacts
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import Outcome, Referral, ReferralAuthor, Thread
from portal.mediation.policies import can_handle_complaint
from portal.mediation.referral_messages import post_referral_message, thread_messages
from portal.mediation.referrals import decide_admissibility, record_outcome, refer_to_mediator
from portal.network.models import StaffMember, StaffRole
from tests.mediation_data import at, letter
from tests.workspace_data import operator, staff

Code = ComplaintErrorCode
DAY = date(2026, 3, 2)
LATER = DAY + timedelta(days=20)


@pytest.fixture
def manager(session: Session) -> StaffMember:
    return staff(session, "16", StaffRole.MANAGER)


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16")


@pytest.fixture
def mediator(session: Session) -> StaffMember:
    return staff(session, role=StaffRole.MEDIATOR)


def referred(session: Session, manager: StaffMember) -> Referral:
    complaint = letter(session, manager, received_on=DAY)
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(DAY))
    state_satisfaction(session, complaint, satisfied=False, now=at(DAY))
    return refer_to_mediator(session, complaint, text=None, now=at(LATER), today=LATER)


def write(
    session: Session,
    referral: Referral,
    thread: Thread,
    author: ReferralAuthor,
    by: StaffMember | None,
    text: str = "Bonjour.",
) -> None:
    post_referral_message(
        session, referral, thread=thread, author=author, by=by, text=text, now=at(LATER)
    )


def refused(code: ComplaintErrorCode) -> Any:
    return pytest.raises(ComplaintError, match=f"^{code}")


def test_without_a_correspondant_the_managers_are_the_contacts(
    session: Session, manager: StaffMember, advisor: StaffMember
) -> None:
    contacts = mediation_contacts(session, manager.operator_id or 0)
    assert manager in contacts and advisor not in contacts
    assert all(m.role == StaffRole.MANAGER and m.active for m in contacts)


def test_the_designated_correspondant_is_the_only_contact_while_active(
    session: Session, manager: StaffMember, advisor: StaffMember
) -> None:
    op = operator(session, "16")
    designate_correspondent(session, op, member=advisor, by=manager)
    assert mediation_contacts(session, op.id) == [advisor]
    advisor.active = False  # left the operator: back to the managers
    assert manager in mediation_contacts(session, op.id)


def test_only_an_active_member_of_the_operator_may_be_designated(
    session: Session, manager: StaffMember, advisor: StaffMember
) -> None:
    op = operator(session, "16")
    with refused(Code.NOT_A_CONTACT):
        designate_correspondent(session, op, member=staff(session, "10"), by=manager)
    with refused(Code.NOT_A_CONTACT):
        designate_correspondent(
            session, op, member=staff(session, role=StaffRole.MEDIATOR), by=manager
        )
    with refused(Code.WRONG_OPERATOR):  # an advisor does not designate
        designate_correspondent(session, op, member=advisor, by=advisor)
    assert op.mediation_correspondent_id is None


def test_a_designated_advisor_handles_complaints_another_advisor_does_not(
    session: Session, manager: StaffMember, advisor: StaffMember
) -> None:
    other = staff(session, "16")
    complaint = letter(session, manager, received_on=DAY)
    assert not can_handle_complaint(advisor, complaint)
    designate_correspondent(session, operator(session, "16"), member=advisor, by=manager)
    assert can_handle_complaint(advisor, complaint)
    assert not can_handle_complaint(other, complaint)
    assert can_handle_complaint(manager, complaint)  # the managers keep their hand
    assert not can_handle_complaint(staff(session, "10", StaffRole.MANAGER), complaint)


def test_each_thread_keeps_its_messages_in_order(
    session: Session, manager: StaffMember, mediator: StaffMember
) -> None:
    referral = referred(session, manager)
    write(session, referral, Thread.PERSON, ReferralAuthor.MEDIATOR, mediator, "Question ?")
    write(session, referral, Thread.PERSON, ReferralAuthor.PERSON, None, "  Réponse.  ")
    decide_admissibility(
        session, referral, by=mediator, admissible=True, reason=None, now=at(LATER)
    )
    write(session, referral, Thread.OPERATOR, ReferralAuthor.MEDIATOR, mediator, "Au dossier.")
    write(session, referral, Thread.OPERATOR, ReferralAuthor.OPERATOR, manager, "Voici.")
    person = thread_messages(session, referral, Thread.PERSON)
    assert [(m.author, m.text) for m in person] == [
        (ReferralAuthor.MEDIATOR, "Question ?"),
        (ReferralAuthor.PERSON, "Réponse."),
    ]
    assert person[1].author_staff_id is None
    operator_side = thread_messages(session, referral, Thread.OPERATOR)
    assert [m.author_staff_id for m in operator_side] == [mediator.id, manager.id]


def test_the_operator_thread_opens_once_admissible_and_for_its_contacts(
    session: Session, manager: StaffMember, advisor: StaffMember, mediator: StaffMember
) -> None:
    referral = referred(session, manager)
    with refused(Code.NO_OPERATOR_THREAD_YET):
        write(session, referral, Thread.OPERATOR, ReferralAuthor.MEDIATOR, mediator)
    decide_admissibility(
        session, referral, by=mediator, admissible=True, reason=None, now=at(LATER)
    )
    with refused(Code.NOT_CORRESPONDENT):
        write(session, referral, Thread.OPERATOR, ReferralAuthor.OPERATOR, advisor)
    with refused(Code.WRONG_OPERATOR):
        foreign = staff(session, "10", StaffRole.MANAGER)
        write(session, referral, Thread.OPERATOR, ReferralAuthor.OPERATOR, foreign)
    designate_correspondent(session, operator(session, "16"), member=advisor, by=manager)
    write(session, referral, Thread.OPERATOR, ReferralAuthor.OPERATOR, advisor)
    assert len(thread_messages(session, referral, Thread.OPERATOR)) == 1


def test_refusals_wrong_thread_wrong_author_empty_closed(
    session: Session, manager: StaffMember, mediator: StaffMember
) -> None:
    referral = referred(session, manager)
    with refused(Code.EMPTY_TEXT):
        write(session, referral, Thread.PERSON, ReferralAuthor.PERSON, None, " \n ")
    with refused(Code.WRONG_AUTHOR):  # the operator never writes to the person here
        write(session, referral, Thread.PERSON, ReferralAuthor.OPERATOR, manager)
    with refused(Code.WRONG_AUTHOR):
        write(session, referral, Thread.OPERATOR, ReferralAuthor.PERSON, None)
    with refused(Code.NOT_MEDIATOR):
        write(session, referral, Thread.PERSON, ReferralAuthor.MEDIATOR, manager)
    decide_admissibility(
        session, referral, by=mediator, admissible=True, reason=None, now=at(LATER)
    )
    record_outcome(
        session, referral, by=mediator, outcome=Outcome.NONE, accepted=None, now=at(LATER)
    )
    with refused(Code.REFERRAL_CLOSED):
        write(session, referral, Thread.PERSON, ReferralAuthor.PERSON, None)
    assert thread_messages(session, referral, Thread.PERSON) == []

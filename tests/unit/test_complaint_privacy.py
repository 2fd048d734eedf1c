"""A complaint from someone the portal knows only by it (a letter, a call, the footer's form):
their export carries it, their erasure reaches it; and the person's word on the answer stays
while the mediator examines their referral."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.mediation.attachments import add_attachment
from portal.mediation.complaints import add_message, answer_complaint, state_satisfaction
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import Complaint, ComplaintAttachment, ComplaintMessage
from portal.mediation.referrals import refer_to_mediator
from portal.network.models import StaffRole
from portal.privacy.erasure import (
    PLACEHOLDER_NAME,
    PSEUDONYM_DOMAIN,
    ErasureError,
    ErasureErrorCode,
    erase_person,
    find_person,
)
from portal.privacy.export import export_person
from tests.mediation_data import at, letter
from tests.unit.test_complaints import pdf_bytes
from tests.workspace_data import staff

DAY = date(2026, 3, 2)


def test_a_complaint_only_person_is_exported_and_erased(session: Session) -> None:
    manager = staff(session, "16", StaffRole.MANAGER)
    complaint = letter(session, manager, received_on=DAY)
    complaint.postal_address = "3 rue des Lilas, 35000 Rennes"
    email = str(complaint.email).upper()  # the address as the manager types it
    add_message(session, complaint, text="Toujours rien.", now=at(DAY + timedelta(days=1)))
    add_attachment(session, complaint, filename="lettre.pdf", data=pdf_bytes(), now=at(DAY))
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(DAY))

    exported = export_person(session, email=email, now=at(DAY))
    assert [row["id"] for row in exported["tables"]["complaint"]] == [complaint.id]
    assert exported["tables"]["complaint_message"][0]["text"] == "Toujours rien."

    found = find_person(session, operator_id=manager.operator_id, email=email, now=at(DAY))
    assert found is not None and found.complaints == 1 and found.beneficiary_ids == []
    erase_person(session, operator_id=manager.operator_id, email=email, now=at(DAY), by=None)
    session.expire_all()
    erased = session.get_one(Complaint, complaint.id)
    assert erased.last_name == PLACEHOLDER_NAME and erased.first_name == PLACEHOLDER_NAME
    assert str(erased.email).endswith("@" + PSEUDONYM_DOMAIN)
    assert erased.text == "" and erased.answer is None and erased.postal_address is None
    assert erased.received_on == DAY and erased.motive == "delai_rendez_vous"  # Annex 2 stays
    count = func.count()
    where_message = ComplaintMessage.complaint_id == complaint.id
    assert session.scalar(select(count).where(where_message)) == 0
    where_file = ComplaintAttachment.complaint_id == complaint.id
    assert session.scalar(select(count).where(where_file)) == 0
    with pytest.raises(ErasureError) as again:
        erase_person(session, operator_id=manager.operator_id, email=email, now=at(DAY), by=None)
    assert again.value.code == ErasureErrorCode.UNKNOWN_PERSON


def test_the_word_on_the_answer_stays_while_the_mediator_works(session: Session) -> None:
    manager = staff(session, "16", StaffRole.MANAGER)
    complaint = letter(session, manager, received_on=DAY)
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(DAY))
    state_satisfaction(session, complaint, satisfied=False, now=at(DAY))
    state_satisfaction(session, complaint, satisfied=True, now=at(DAY))  # a change of mind
    state_satisfaction(session, complaint, satisfied=False, now=at(DAY))
    refer_to_mediator(session, complaint, text=None, now=at(DAY), today=DAY)
    with pytest.raises(ComplaintError) as refused:
        state_satisfaction(session, complaint, satisfied=True, now=at(DAY))
    assert refused.value.code == ComplaintErrorCode.REFERRAL_OPEN
    assert complaint.satisfied_flag is False

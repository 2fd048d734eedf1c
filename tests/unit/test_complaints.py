"""Complaints to the operator (CCTP 3.7): the clocks, every transition and its refusals, the
attachments checked on their content."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from io import BytesIO

import pytest
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy.orm import Session

from portal.mediation.attachments import ATTACHMENTS_PER_COMPLAINT, add_attachment
from portal.mediation.complaints import (
    acknowledge_complaint,
    add_message,
    answer_complaint,
    close_complaint,
    file_complaint,
    record_complaint,
    state_satisfaction,
)
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import Author, Channel, ComplaintStatus, Satisfaction
from portal.mediation.rules import ClockKind, acknowledge_by, answer_by, next_clock
from portal.network.models import StaffMember, StaffRole
from tests.mediation_data import at, complainant, letter
from tests.workspace_data import dossier, operator, person, staff

Code = ComplaintErrorCode
DAY = date(2026, 3, 2)


@pytest.fixture
def manager(session: Session) -> StaffMember:
    return staff(session, "16", StaffRole.MANAGER)


@pytest.fixture
def other_manager(session: Session) -> StaffMember:
    return staff(session, "10", StaffRole.MANAGER)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PNG")
    return out.getvalue()


# The clocks


def test_the_deadlines_are_calendar_days_from_receipt_across_the_new_year() -> None:
    assert acknowledge_by(date(2026, 12, 31)) == date(2027, 1, 7)
    assert answer_by(date(2026, 12, 31)) == date(2027, 2, 14)


def test_a_complaint_recorded_later_keeps_its_receipt_date_for_the_clocks(
    session: Session, manager: StaffMember
) -> None:
    received = date(2026, 12, 31)
    complaint = letter(session, manager, received_on=received, recorded_on=date(2027, 1, 10))
    assert complaint.received_on == received
    assert complaint.recorded_at.date() == date(2027, 1, 10)
    clock = next_clock(complaint, date(2027, 1, 10))
    assert clock is not None and clock.kind == ClockKind.ACKNOWLEDGE
    assert clock.due_on == date(2027, 1, 7) and clock.days_left == -3 and clock.overdue


def test_the_next_clock_moves_from_acknowledgement_to_answer_then_stops(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    first = next_clock(complaint, DAY)
    assert first is not None and (first.kind, first.days_left) == (ClockKind.ACKNOWLEDGE, 7)
    acknowledge_complaint(session, complaint, by=manager, now=at(DAY + timedelta(days=2)))
    second = next_clock(complaint, DAY + timedelta(days=45))
    assert second is not None and second.kind == ClockKind.ANSWER
    assert second.due_on == DAY + timedelta(days=45) and second.days_left == 0
    assert second.due_soon and not second.overdue
    assert not first.due_soon  # 7 days left
    answered_on = DAY + timedelta(days=10)
    answer_complaint(session, complaint, by=manager, answer="Un rendez-vous.", now=at(answered_on))
    assert next_clock(complaint, DAY + timedelta(days=60)) is None


def test_an_online_complaint_is_received_today_and_acknowledged_at_once(
    session: Session,
) -> None:
    complaint = file_complaint(
        session,
        operator_id=operator(session, "16").id,
        complainant=complainant(),
        motive="accueil",
        text="Personne ne m'a répondu.",
        now=at(DAY),
    )
    assert complaint.channel == Channel.ONLINE and complaint.received_on == DAY
    assert complaint.status == ComplaintStatus.ACKNOWLEDGED
    assert complaint.acknowledged_at == at(DAY)
    clock = next_clock(complaint, DAY)
    assert clock is not None and clock.kind == ClockKind.ANSWER


# Filing and recording: refusals


def test_an_online_complaint_needs_an_address_a_known_motive_and_words(session: Session) -> None:
    operator_id = operator(session, "16").id
    with pytest.raises(ComplaintError) as no_email:
        file_complaint(
            session,
            operator_id=operator_id,
            complainant=complainant(email=None),
            motive="accueil",
            text="x",
            now=at(DAY),
        )
    assert no_email.value.code == Code.EMAIL_REQUIRED
    with pytest.raises(ComplaintError) as unknown:
        file_complaint(
            session,
            operator_id=operator_id,
            complainant=complainant(),
            motive="mauvaise_humeur",
            text="x",
            now=at(DAY),
        )
    assert unknown.value.code == Code.UNKNOWN_MOTIVE
    with pytest.raises(ComplaintError) as empty:
        file_complaint(
            session,
            operator_id=operator_id,
            complainant=complainant(),
            motive="accueil",
            text="   ",
            now=at(DAY),
        )
    assert empty.value.code == Code.MISSING_FIELDS and empty.value.fields == ("text",)


def test_staff_record_a_past_receipt_but_never_a_future_one_nor_an_online_one(
    session: Session, manager: StaffMember
) -> None:
    kwargs = dict(complainant=complainant(), motive="autre", text="Par téléphone.")
    with pytest.raises(ComplaintError) as future:
        record_complaint(
            session,
            by=manager,
            channel=Channel.PHONE,
            received_on=DAY + timedelta(days=1),
            now=at(DAY),
            today=DAY,
            **kwargs,  # type: ignore[arg-type]
        )
    assert future.value.code == Code.RECEIVED_IN_FUTURE
    with pytest.raises(ComplaintError) as online:
        record_complaint(
            session,
            by=manager,
            channel=Channel.ONLINE,
            received_on=DAY,
            now=at(DAY),
            today=DAY,
            **kwargs,  # type: ignore[arg-type]
        )
    assert online.value.code == Code.ONLINE_IS_FILED


def test_a_complaint_tied_to_a_dossier_of_another_operator_is_refused(
    session: Session, other_manager: StaffMember
) -> None:
    advisor = staff(session, "16")
    theirs = dossier(session, advisor, opened_on=DAY)
    with pytest.raises(ComplaintError) as error:
        file_complaint(
            session,
            operator_id=operator(session, "10").id,
            complainant=complainant(),
            motive="livrable",
            text="x",
            now=at(DAY),
            dossier=theirs,
        )
    assert error.value.code == Code.DOSSIER_MISMATCH


def test_a_complaint_from_the_space_is_tied_to_the_dossier_and_its_person(
    session: Session,
) -> None:
    advisor = staff(session, "16")
    who = person(session)
    own = dossier(session, advisor, opened_on=DAY, who=who)
    complaint = file_complaint(
        session,
        operator_id=own.operator_id,
        complainant=complainant(email=who.email),
        motive="qualite_conseil",
        text="x",
        now=at(DAY),
        dossier=own,
    )
    assert complaint.dossier_id == own.id and complaint.beneficiary_id == who.id


# Transitions


def test_staff_of_another_operator_cannot_touch_the_complaint(
    session: Session, manager: StaffMember, other_manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    for step in (
        lambda: acknowledge_complaint(session, complaint, by=other_manager, now=at(DAY)),
        lambda: answer_complaint(session, complaint, by=other_manager, answer="x", now=at(DAY)),
        lambda: add_message(session, complaint, text="x", by=other_manager, now=at(DAY)),
    ):
        with pytest.raises(ComplaintError) as error:
            step()
        assert error.value.code == Code.WRONG_OPERATOR
    assert complaint.status == ComplaintStatus.RECEIVED


def test_received_acknowledged_answered_closed_each_once(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    with pytest.raises(ComplaintError) as early:
        close_complaint(session, complaint, by=manager, now=at(DAY))
    assert early.value.code == Code.NOT_ANSWERED
    acknowledge_complaint(session, complaint, by=manager, now=at(DAY))
    assert complaint.status == ComplaintStatus.ACKNOWLEDGED
    assert complaint.acknowledged_by_id == manager.id
    with pytest.raises(ComplaintError) as twice:
        acknowledge_complaint(session, complaint, by=manager, now=at(DAY))
    assert twice.value.code == Code.ALREADY_ACKNOWLEDGED
    with pytest.raises(ComplaintError) as blank:
        answer_complaint(session, complaint, by=manager, answer=" ", now=at(DAY))
    assert blank.value.code == Code.EMPTY_TEXT
    answer_complaint(session, complaint, by=manager, answer="Nous vous rappelons.", now=at(DAY))
    assert complaint.status == ComplaintStatus.ANSWERED and complaint.answered_on == DAY
    with pytest.raises(ComplaintError) as again:
        answer_complaint(session, complaint, by=manager, answer="Encore.", now=at(DAY))
    assert again.value.code == Code.ALREADY_ANSWERED
    close_complaint(session, complaint, by=manager, now=at(DAY + timedelta(days=1)))
    assert complaint.status == ComplaintStatus.CLOSED
    with pytest.raises(ComplaintError) as closed:
        add_message(session, complaint, text="Autre chose ?", by=manager, now=at(DAY))
    assert closed.value.code == Code.COMPLAINT_CLOSED


def test_an_answer_without_acknowledgement_acknowledges_too(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(DAY))
    assert complaint.acknowledged_at == at(DAY) and complaint.answered_at == at(DAY)


def test_the_person_states_satisfaction_only_once_answered(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    with pytest.raises(ComplaintError) as error:
        state_satisfaction(session, complaint, satisfied=False, now=at(DAY))
    assert error.value.code == Code.NOT_ANSWERED
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(DAY))
    state_satisfaction(session, complaint, satisfied=False, now=at(DAY + timedelta(days=1)))
    assert complaint.satisfied == Satisfaction.NO
    assert complaint.satisfied_at == at(DAY + timedelta(days=1))


def test_a_message_from_the_person_reopens_a_closed_complaint(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    answer_complaint(session, complaint, by=manager, answer="Première.", now=at(DAY))
    state_satisfaction(session, complaint, satisfied=True, now=at(DAY))
    close_complaint(session, complaint, by=None, now=at(DAY))
    later = DAY + timedelta(days=3)
    message = add_message(session, complaint, text="Rien n'a changé.", now=at(later))
    assert message.author == Author.PERSON and complaint.messages == [message]
    assert complaint.status == ComplaintStatus.ACKNOWLEDGED
    assert complaint.closed_at is None and complaint.reopened_count == 1
    answer_complaint(session, complaint, by=manager, answer="Seconde.", now=at(later))
    # The first answer's day stays (Annex 2 §3); the person is asked again.
    assert complaint.answer == "Seconde." and complaint.answered_on == DAY
    assert complaint.satisfied == Satisfaction.UNKNOWN


def test_a_message_from_the_person_on_an_open_complaint_does_not_reopen_it(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    add_message(session, complaint, text="Une précision.", now=at(DAY))
    reply = add_message(session, complaint, text="Bien reçu.", by=manager, now=at(DAY))
    assert reply.author == Author.STAFF and reply.author_staff_id == manager.id
    assert complaint.status == ComplaintStatus.RECEIVED and complaint.reopened_count == 0
    with pytest.raises(ComplaintError) as empty:
        add_message(session, complaint, text="", now=at(DAY))
    assert empty.value.code == Code.EMPTY_TEXT


# Attachments


def test_a_pdf_or_an_image_is_kept_with_its_digest(session: Session, manager: StaffMember) -> None:
    complaint = letter(session, manager, received_on=DAY)
    data = pdf_bytes()
    scan = add_attachment(
        session, complaint, filename="C:\\scans\\courrier.pdf", data=data, by=manager, now=at(DAY)
    )
    assert (scan.content_type, scan.filename, scan.size) == (
        "application/pdf",
        "courrier.pdf",
        len(data),
    )
    assert scan.sha256 == hashlib.sha256(data).hexdigest()
    image = add_attachment(session, complaint, filename="capture", data=png_bytes(), now=at(DAY))
    assert image.content_type == "image/png" and image.filename == "capture.png"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Code.ATTACHMENT_EMPTY),
        (b"MZ\x90\x00 an executable renamed", Code.ATTACHMENT_TYPE),
        (b"%PDF-1.7 only a header", Code.ATTACHMENT_DAMAGED),
        (b"%PDF-" + b"0" * 2048, Code.ATTACHMENT_TOO_LARGE),
    ],
)
def test_a_file_is_judged_by_its_content_and_size(
    session: Session, manager: StaffMember, data: bytes, code: ComplaintErrorCode
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    with pytest.raises(ComplaintError) as error:
        add_attachment(
            session, complaint, filename="lettre.pdf", data=data, now=at(DAY), max_bytes=1024
        )
    assert error.value.code == code and complaint.attachments == []


def test_a_complaint_holds_a_bounded_number_of_files(
    session: Session, manager: StaffMember
) -> None:
    complaint = letter(session, manager, received_on=DAY)
    data = png_bytes()
    for _ in range(ATTACHMENTS_PER_COMPLAINT):
        add_attachment(session, complaint, filename="p.png", data=data, now=at(DAY))
    with pytest.raises(ComplaintError) as error:
        add_attachment(session, complaint, filename="p.png", data=data, now=at(DAY))
    assert error.value.code == Code.TOO_MANY_ATTACHMENTS


# Erasure (RGPD): the registry reaches complaints by the address given


def test_erasing_the_person_blanks_the_complaint_and_deletes_its_thread(
    session: Session,
) -> None:
    from sqlalchemy import func, select

    from portal.mediation.models import ComplaintMessage
    from portal.privacy.erasure import pseudonymise
    from portal.privacy.models import ErasureReason

    who = person(session)
    complaint = file_complaint(
        session,
        operator_id=operator(session, "16").id,
        complainant=complainant(email=who.email.upper()),
        motive="confidentialite",
        text="Mon dossier a été lu par un tiers.",
        now=at(DAY),
        beneficiary=who,
    )
    add_message(session, complaint, text="Une précision.", now=at(DAY))
    add_attachment(session, complaint, filename="p.png", data=png_bytes(), now=at(DAY))
    record = pseudonymise(
        session,
        beneficiary_ids=[who.id],
        email=who.email,
        now=at(DAY),
        reason=ErasureReason.REQUEST,
        operator_id=complaint.operator_id,
        by=None,
    )
    assert record is not None
    session.expire_all()
    assert complaint.text == "" and complaint.last_name != "Lefèvre"
    assert complaint.email is not None and complaint.email.endswith("invalid")
    assert complaint.received_on == DAY and complaint.motive == "confidentialite"
    left = select(func.count()).select_from(ComplaintMessage)
    assert session.scalar(left.where(ComplaintMessage.complaint_id == complaint.id)) == 0
    assert complaint.attachments == []

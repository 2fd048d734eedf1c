"""Erasing a person: what the registry marks personal goes, the numbers stay.

Indicators 8.4 (delay to the first appointment), 6.8 (re-engagements) and 8.1 (satisfaction)
are computed before and after, on the same rows, and must not move.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.closing import close_unit
from portal.advisor.indicators import reengagements
from portal.advisor.models import ClosureKind, Unit, UnitKind
from portal.advisor.unit_work import record_interaction
from portal.beneficiary.models import SignInLink
from portal.booking import indicators as delays
from portal.booking.models import (
    AppointmentRequest,
    AppointmentStatus,
    RequestStatus,
)
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableStatus,
    LivrableVersion,
    Signature,
    SignatureMethod,
    SignatureParty,
)
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.manage.indicator_views import load_requests
from portal.network.models import Operator, StaffMember
from portal.people.models import Beneficiary
from portal.privacy.erasure import (
    PLACEHOLDER_NAME,
    PSEUDONYM_DOMAIN,
    ErasureError,
    ErasureErrorCode,
    erase_person,
    find_person,
)
from portal.privacy.export import export_person
from portal.privacy.models import ErasureReason, ErasureRecord
from portal.satisfaction.indicators import last_semesters, satisfaction
from portal.satisfaction.models import Survey
from portal.satisfaction.services import answer_survey
from tests import staff_booking_data as booking
from tests import workspace_data as ws
from tests.conftest import FrozenClock

# The day and moment of each test, read from the frozen clock when the test starts (not at
# import, which would be stale across midnight); the helpers below read these names.
TODAY: date
NOW: datetime


@pytest.fixture(autouse=True)
def _frozen_day(clock: FrozenClock) -> None:
    global TODAY, NOW
    TODAY = clock.today
    NOW = datetime.combine(TODAY, time(15), UTC)


@dataclass
class Story:
    operator: Operator
    advisor: StaffMember
    email: str
    person: Beneficiary
    closed: Unit
    signature_ids: list[int]


def a_story(session: Session) -> Story:
    """A person of operator 16 with the whole journey: a request and its first appointment,
    a closed UO2.1 with notes, a signed livrable and an answered survey, a re-engagement a
    month later, a sign-in link and a sent e-mail."""
    op = booking.operator(session)
    advisor = ws.staff(session, "16")
    email = f"Camille-{uuid.uuid4().hex[:8]}@Example.org"
    request = booking.request_for(
        session, op, requested_on=TODAY - timedelta(days=70), status=RequestStatus.HONOURED
    )
    person = request.beneficiary
    person.email, person.last_name = email, "Lefèvre-Erase"
    request.comment = "Je travaille chez ACME, appelez-moi après 18 h"
    slot = booking.slot_at(
        session, advisor, None, datetime.combine(TODAY - timedelta(days=62), time(9), UTC)
    )
    booking.book(session, slot, request, status=AppointmentStatus.HELD)
    dossier = ws.dossier(session, advisor, opened_on=TODAY - timedelta(days=62), who=person)
    unit = ws.engaged(
        session,
        advisor,
        UnitKind.UO21,
        engaged_on=TODAY - timedelta(days=60),
        today=TODAY,
        in_dossier=dossier,
    )
    record_interaction(
        session,
        unit,
        occurred_on=TODAY - timedelta(days=50),
        contact_mode="visio",
        duration_minutes=45,
        by=advisor,
        today=TODAY,
        notes="Mme Lefèvre évoque un burn-out",
    )
    livrable = Livrable(unit_id=unit.id, kind=LivrableKind.PROJET_PROFESSIONNEL)
    livrable.status = LivrableStatus.SIGNED
    livrable.content = {"sections": {"projet": "Devenir boulangère à Ajaccio"}}
    session.add(livrable)
    session.flush()
    version = LivrableVersion(
        livrable_id=livrable.id,
        number=1,
        content=livrable.content,
        content_sha256="a" * 64,
        pdf=b"%PDF-1.4 Camille Lefevre",
        frozen_by_id=advisor.id,
    )
    session.add(version)
    session.flush()
    signatures = [
        Signature(
            version_id=version.id,
            party=party,
            method=SignatureMethod.PAPER,
            signer_name=name,
            signed_on=TODAY - timedelta(days=30),
            recorded_by_id=advisor.id,
        )
        for party, name in (
            (SignatureParty.ADVISOR, advisor.full_name),
            (SignatureParty.BENEFICIARY, "Camille Lefèvre"),
        )
    ]
    session.add_all(signatures)
    close_unit(
        session,
        unit,
        kind=ClosureKind.SIGNED,
        closed_on=TODAY - timedelta(days=30),
        reason="objectif_atteint",
        today=TODAY,
        by=advisor,
    )
    survey = session.scalars(select(Survey).where(Survey.unit_id == unit.id)).one()
    answer_survey(session, survey, quality=4, usefulness=3, comment="Merci à Mme Durand !", now=NOW)
    again = ws.dossier(session, advisor, opened_on=TODAY - timedelta(days=10), who=person)
    assert again.reengagement_of_unit_id == unit.id
    session.add(
        SignInLink(
            email=email.lower(),
            token_sha256=uuid.uuid4().hex * 2,
            created_at=NOW - timedelta(days=1),
            expires_at=NOW - timedelta(days=1) + timedelta(minutes=30),
        )
    )
    session.add(
        OutboxMessage(
            to_address=email,
            subject="Votre rendez-vous",
            body_text="Bonjour Camille",
            status=OutboxStatus.SENT,
            sent_at=NOW - timedelta(days=60),
        )
    )
    session.flush()
    return Story(op, advisor, email, person, unit, [s.id for s in signatures])


def figures(session: Session, op: Operator) -> tuple[object, ...]:
    start, end = TODAY - timedelta(days=120), TODAY
    return (
        delays.delay_report(load_requests(op, start, end), today=TODAY),
        reengagements(session, op.id, start, end + timedelta(days=1)),
        satisfaction(session, op.id, last_semesters(TODAY)),
    )


def test_indicators_give_the_same_numbers_after_an_erasure(session: Session) -> None:
    story = a_story(session)
    before = figures(session, story.operator)
    assert before[1].reengaged >= 1  # type: ignore[attr-defined]

    record = erase_person(
        session, operator_id=story.operator.id, email=story.email, now=NOW, by=story.advisor.id
    )
    session.expire_all()

    assert figures(session, story.operator) == before
    assert record.unit_numbers == [story.closed.number]
    assert (record.reason, record.erased_by_id, record.records) == (
        ErasureReason.REQUEST,
        story.advisor.id,
        1,
    )


def test_erasure_replaces_every_personal_column_and_keeps_numbers_and_codes(
    session: Session,
) -> None:
    story = a_story(session)
    number, engaged_on, motif = story.closed.number, story.closed.engaged_on, story.closed.motif
    erase_person(session, operator_id=story.operator.id, email=story.email, now=NOW, by=None)
    session.expire_all()

    person = session.get_one(Beneficiary, story.person.id)
    assert (person.first_name, person.last_name, person.phone) == (
        PLACEHOLDER_NAME,
        PLACEHOLDER_NAME,
        "",
    )
    assert person.email.endswith("@" + PSEUDONYM_DOMAIN)
    assert story.email.lower().split("@")[0] not in person.email
    assert person.birth_date == date(1985, 1, 1)  # kept to its year
    unit = session.get_one(Unit, story.closed.id)
    assert (unit.number, unit.engaged_on, unit.motif) == (number, engaged_on, motif)
    assert [i.notes for i in unit.interactions] == [""]
    survey = session.scalars(select(Survey).where(Survey.unit_id == unit.id)).one()
    assert (survey.quality, survey.usefulness, survey.comment) == (4, 3, "")
    request = session.scalars(
        select(AppointmentRequest).where(AppointmentRequest.beneficiary_id == person.id)
    ).one()
    assert (request.comment, request.commune_insee, request.requested_on) == (
        "",
        "2A004",
        TODAY - timedelta(days=70),
    )
    livrable = session.scalars(select(Livrable).where(Livrable.unit_id == unit.id)).one()
    version = livrable.versions[0]
    assert (livrable.content, version.content, version.pdf) == ({}, {}, b"")
    assert version.content_sha256 == "a" * 64  # the proof that something was signed stays
    names = {s.party: s.signer_name for s in version.signatures}
    assert names[SignatureParty.BENEFICIARY] == PLACEHOLDER_NAME
    assert names[SignatureParty.ADVISOR] == story.advisor.full_name
    lower = story.email.lower()
    assert session.scalars(select(SignInLink).where(SignInLink.email == lower)).all() == []
    # Sent e-mails are deleted; one still to send (the survey's invitation) is left to the
    # sender: it may be another operator's reminder.
    left = session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == story.email))
    assert [m.status for m in left] == [OutboxStatus.PENDING]
    # Nothing else is left under the old address.
    tables = export_person(session, email=story.email, now=NOW)["tables"]
    assert {name for name, rows in tables.items() if rows} == {"outbox_message"}


def test_both_dossiers_of_the_person_share_one_pseudonym(session: Session) -> None:
    """Indicator 6.8 counts people by (address, birth date): still one person after."""
    story = a_story(session)
    erase_person(session, operator_id=story.operator.id, email=story.email, now=NOW, by=None)
    session.expire_all()
    record = session.scalars(select(ErasureRecord).order_by(ErasureRecord.id.desc()).limit(1)).one()
    assert story.closed.number in record.unit_numbers
    assert len(record.unit_numbers) == 1  # the re-engagement's dossier has no unit yet


def test_a_person_of_another_operator_is_unknown(session: Session) -> None:
    story = a_story(session)
    other = booking.operator(session, "10")
    assert find_person(session, operator_id=other.id, email=story.email, now=NOW) is None
    with pytest.raises(ErasureError) as raised:
        erase_person(session, operator_id=other.id, email=story.email, now=NOW, by=None)
    assert raised.value.code == ErasureErrorCode.UNKNOWN_PERSON
    assert session.get_one(Beneficiary, story.person.id).email == story.email


def test_an_erasure_happens_once(session: Session) -> None:
    story = a_story(session)
    erase_person(session, operator_id=story.operator.id, email=story.email, now=NOW, by=None)
    with pytest.raises(ErasureError) as raised:
        erase_person(session, operator_id=story.operator.id, email=story.email, now=NOW, by=None)
    assert raised.value.code == ErasureErrorCode.UNKNOWN_PERSON


def test_a_person_with_an_appointment_to_come_is_not_erased(session: Session) -> None:
    op = booking.operator(session)
    advisor = ws.staff(session, "16")
    request = booking.request_for(session, op, requested_on=TODAY)
    slot = booking.slot_at(
        session, advisor, None, datetime.combine(TODAY + timedelta(days=3), time(9), UTC)
    )
    booking.book(session, slot, request)
    email = request.beneficiary.email
    found = find_person(session, operator_id=op.id, email=email, now=NOW)
    assert found is not None and found.upcoming_appointments == 1
    with pytest.raises(ErasureError) as raised:
        erase_person(session, operator_id=op.id, email=email, now=NOW, by=None)
    assert raised.value.code == ErasureErrorCode.STILL_ACTIVE
    assert session.get_one(Beneficiary, request.beneficiary_id).email == email

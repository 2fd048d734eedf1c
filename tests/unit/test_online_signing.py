"""Signing a livrable online: the advisor first, then the beneficiary with a link and a
one-time code; the code's limits, the link's expiry, the withdrawal on a new version, and
the evidence each step leaves."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor.models import UnitKind
from portal.clock import now
from portal.esign import online
from portal.esign.evidence import events_of, verify_chain
from portal.esign.models import EventKind, RequestStatus, SignatureRequest, SigningPlace
from portal.esign.online import OnlineErrorCode, OnlineSigningError
from portal.livrables.models import LivrableStatus, LivrableVersion, SignatureMethod, SignatureParty
from portal.livrables.signing import (
    SigningError,
    SigningErrorCode,
    freeze_for_signature,
    record_signature,
    reopen_draft,
)
from portal.mail.models import OutboxMessage
from portal.network.models import StaffMember
from tests.unit.test_signing import livrable_of, noon
from tests.workspace_data import engaged, staff

KEY = "test-secret-key"
REASON = "objectif_atteint"


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16")


@pytest.fixture
def today(clock: object) -> date:
    from portal.clock import today_in_france

    return today_in_france()


@pytest.fixture
def version(session: Session, advisor: StaffMember, today: date) -> LivrableVersion:
    """Printed yesterday, to be signed online, signed by the advisor today."""
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    frozen = freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(today - timedelta(days=1))
    )
    online.choose_method(session, frozen, SignatureMethod.ELECTRONIC, by=advisor, now=now())
    online.sign_as_advisor(session, frozen, by=advisor, today=today)
    return frozen


@pytest.fixture
def request_(session: Session, version: LivrableVersion, advisor: StaffMember) -> SignatureRequest:
    return online.request_signature(
        session, version, by=advisor, place=SigningPlace.REMOTE, reason=REASON, now=now()
    )


def refused(code: OnlineErrorCode) -> Any:
    return pytest.raises(OnlineSigningError, match=f"^{code.value}$")


def sign(session: Session, request: SignatureRequest, code: str, **given: Any) -> bool:
    from portal.clock import today_in_france

    values: dict[str, Any] = {
        "mention": "Lu et approuvé",
        "name": "Camille Lefèvre",
        "consent": True,
    }
    values.update(given)
    return online.sign_as_beneficiary(
        session,
        request,
        code=code,
        secret_key=KEY,
        now=now(),
        today=today_in_france(),
        **values,
    )


def kinds(session: Session, version: LivrableVersion) -> list[EventKind]:
    return [EventKind(e.kind) for e in events_of(session, version.id)]


# --- The whole path ---------------------------------------------------------------------------


def test_the_beneficiary_signs_with_the_code_and_the_unit_closes_that_day(
    app: Flask, session: Session, request_: SignatureRequest, today: date
) -> None:
    online.open_request(session, request_, now=now())
    sent = online.send_code(session, request_, secret_key=KEY, now=now())
    assert (sent.channel, sent.to) == ("sms", "+33612345678")
    assert sent.masked == "+336 •• •• •• 78"

    assert sign(session, request_, f" {sent.code[:3]} {sent.code[3:]} ") is True

    version = request_.version
    unit = version.livrable.unit
    assert version.livrable.status == LivrableStatus.SIGNED
    assert (unit.closed_on, unit.motif_cloture) == (today, REASON)
    person = version.signature_of(SignatureParty.BENEFICIARY)
    assert person is not None and person.method == SignatureMethod.ELECTRONIC
    assert request_.status == RequestStatus.SIGNED and request_.code_hmac is None
    steps = kinds(session, version)
    expected = [
        EventKind.PAPER_PRINTED,
        EventKind.METHOD_CHOSEN,
        EventKind.SIGNED,
        EventKind.REQUESTED,
        EventKind.OPENED,
        EventKind.CODE_SENT,
        EventKind.CODE_VERIFIED,
        EventKind.CONSENT_GIVEN,
        EventKind.SIGNED,
    ]
    assert steps[: len(expected)] == expected
    assert EventKind.COPY_DELIVERED in steps[len(expected) :]
    signed = [e for e in events_of(session, version.id) if e.kind == EventKind.SIGNED]
    assert signed[0].detail["identification"] == "session+password"
    assert signed[1].detail["identification"] == "remote:link+code:sms"
    assert verify_chain(session, version.id).broken is None


def test_the_advisor_signs_first_and_the_method_is_then_fixed(
    session: Session, advisor: StaffMember, today: date
) -> None:
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    version = freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(today - timedelta(days=1))
    )
    with refused(OnlineErrorCode.NOT_ONLINE):
        online.sign_as_advisor(session, version, by=advisor, today=today)
    online.choose_method(session, version, SignatureMethod.ELECTRONIC, by=advisor, now=now())
    with refused(OnlineErrorCode.ADVISOR_FIRST):
        online.request_signature(
            session, version, by=advisor, place=SigningPlace.REMOTE, reason=REASON, now=now()
        )
    # Paper signatures are refused on a version to sign online.
    with pytest.raises(SigningError, match=SigningErrorCode.WRONG_METHOD.value):
        record_signature(
            session,
            version,
            party=SignatureParty.ADVISOR,
            signed_on=today,
            signer_name="X",
            by=advisor,
            today=today,
        )
    online.sign_as_advisor(session, version, by=advisor, today=today)
    with refused(OnlineErrorCode.ALREADY_SIGNED):
        online.choose_method(session, version, SignatureMethod.PAPER, by=advisor, now=now())


# --- The code's limits ------------------------------------------------------------------------


def test_five_wrong_codes_block_the_code_and_each_try_is_recorded(
    app: Flask, session: Session, request_: SignatureRequest
) -> None:
    sent = online.send_code(session, request_, secret_key=KEY, now=now())
    wrong = "000000" if sent.code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with refused(OnlineErrorCode.CODE_WRONG) as error:
            sign(session, request_, wrong)
        assert error.value.tries_left == left and error.value.keep
    with refused(OnlineErrorCode.CODE_BLOCKED):
        sign(session, request_, wrong)
    # The right code no longer works: a new one is needed.
    with refused(OnlineErrorCode.NO_CODE):
        sign(session, request_, sent.code)
    assert kinds(session, request_.version).count(EventKind.CODE_FAILED) == 5
    fresh = online.send_code(session, request_, secret_key=KEY, now=now())
    assert sign(session, request_, fresh.code) is True


def test_a_code_lasts_ten_minutes(
    app: Flask, session: Session, request_: SignatureRequest, clock: Any
) -> None:
    sent = online.send_code(session, request_, secret_key=KEY, now=now())
    clock.advance(minutes=10)
    with refused(OnlineErrorCode.CODE_EXPIRED):
        sign(session, request_, sent.code)


def test_three_resends_an_hour_then_a_clear_time_to_wait(
    app: Flask, session: Session, request_: SignatureRequest, clock: Any
) -> None:
    first = now()
    for _ in range(4):  # the first code and three resends
        online.send_code(session, request_, secret_key=KEY, now=now())
        clock.advance(minutes=5)
    with refused(OnlineErrorCode.TOO_MANY_CODES) as error:
        online.send_code(session, request_, secret_key=KEY, now=now())
    assert error.value.retry_at == first + timedelta(hours=1)
    clock.advance(minutes=45)
    assert online.send_code(session, request_, secret_key=KEY, now=now()).code


def test_the_mention_the_name_and_the_consent_are_checked_before_the_code(
    app: Flask, session: Session, request_: SignatureRequest
) -> None:
    sent = online.send_code(session, request_, secret_key=KEY, now=now())
    with refused(OnlineErrorCode.MENTION):
        sign(session, request_, sent.code, mention="ok")
    with refused(OnlineErrorCode.NAME):
        sign(session, request_, sent.code, name="Dominique Martin")
    with refused(OnlineErrorCode.CONSENT):
        sign(session, request_, sent.code, consent=False)
    assert request_.code_failures == 0
    # Case, accents and word order do not matter.
    assert sign(session, request_, sent.code, mention="lu et approuve.", name="LEFEVRE camille")


def test_a_code_of_another_request_does_not_sign(
    app: Flask, session: Session, request_: SignatureRequest, advisor: StaffMember, today: date
) -> None:
    other_unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    other = freeze_for_signature(
        session, livrable_of(session, other_unit), by=advisor, now=noon(today)
    )
    online.choose_method(session, other, SignatureMethod.ELECTRONIC, by=advisor, now=now())
    online.sign_as_advisor(session, other, by=advisor, today=today)
    other_request = online.request_signature(
        session, other, by=advisor, place=SigningPlace.REMOTE, reason=REASON, now=now()
    )
    mine = online.send_code(session, request_, secret_key=KEY, now=now())
    theirs = online.send_code(session, other_request, secret_key=KEY, now=now())
    if mine.code != theirs.code:
        with refused(OnlineErrorCode.CODE_WRONG):
            sign(session, other_request, mine.code)
    assert other_request.version.livrable.status == LivrableStatus.FROZEN


def test_without_a_mobile_the_code_goes_by_e_mail_and_is_never_stored_in_clear(
    app: Flask, session: Session, request_: SignatureRequest
) -> None:
    from portal.esign.notices import queue_code

    request_.beneficiary.phone = ""
    sent = online.send_code(session, request_, secret_key=KEY, now=now())
    assert sent.channel == "email" and sent.to == request_.beneficiary.email
    message = queue_code(session, request_, sent)
    assert sent.code not in message.body_text
    assert message.sealed_secrets
    code_sent = [e for e in events_of(session, request_.version_id) if e.kind == "code_sent"]
    assert code_sent[-1].detail["channel"] == "email"
    assert sent.code not in str(code_sent[-1].detail)


# --- The link's life --------------------------------------------------------------------------


def test_the_link_works_until_the_end_of_the_deadline_day(
    app: Flask, session: Session, request_: SignatureRequest, clock: Any
) -> None:
    unit = request_.version.livrable.unit
    assert request_.expires_at == online.end_of_day(unit.deadline)
    clock.set(request_.expires_at - timedelta(seconds=1))
    online.open_request(session, request_, now=now())
    clock.set(request_.expires_at)
    with refused(OnlineErrorCode.EXPIRED):
        online.open_request(session, request_, now=now())
    assert request_.status == RequestStatus.EXPIRED
    assert kinds(session, request_.version)[-1] == EventKind.REQUEST_EXPIRED
    with refused(OnlineErrorCode.EXPIRED):
        online.send_code(session, request_, secret_key=KEY, now=now())


def test_the_expiry_job_ends_overdue_requests_once(
    app: Flask, session: Session, request_: SignatureRequest
) -> None:
    later = request_.expires_at + timedelta(minutes=1)
    assert online.expire_requests(session, now=later) >= 1
    assert request_.status == RequestStatus.EXPIRED
    assert online.expire_requests(session, now=later) == 0
    assert kinds(session, request_.version).count(EventKind.REQUEST_EXPIRED) == 1


def test_a_new_version_withdraws_the_pending_request_and_tells_the_person(
    app: Flask, session: Session, request_: SignatureRequest, advisor: StaffMember
) -> None:
    livrable = request_.version.livrable
    person = request_.beneficiary
    reopen_draft(session, livrable, by=advisor, now=now())
    assert request_.status == RequestStatus.WITHDRAWN
    assert kinds(session, request_.version)[-2:] == [
        EventKind.VOIDED,
        EventKind.REQUEST_WITHDRAWN,
    ]
    told = session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic.like(f"signature-request:{request_.id}:%"))
    ).all()
    assert [m.to_address for m in told] == [person.email]
    assert "modifié" in told[0].body_text
    with refused(OnlineErrorCode.WITHDRAWN):
        online.open_request(session, request_, now=now())
    # The next printing keeps the method chosen.
    again = freeze_for_signature(session, livrable, by=advisor, now=now())
    assert again.method == SignatureMethod.ELECTRONIC


def test_a_new_request_kills_the_old_link(
    app: Flask, session: Session, request_: SignatureRequest, advisor: StaffMember
) -> None:
    second = online.request_signature(
        session,
        request_.version,
        by=advisor,
        place=SigningPlace.IN_SESSION,
        reason=REASON,
        now=now(),
    )
    assert request_.status == RequestStatus.WITHDRAWN
    assert online.pending_request(session, request_.version) is second
    from portal.esign.codes import request_token

    assert online.find_request(session, KEY, request_token(KEY, second.id, second.nonce)) is second
    assert online.find_request(session, KEY, request_token(KEY, second.id, "forged")) is None
    assert online.find_request(session, KEY, "not-a-token") is None

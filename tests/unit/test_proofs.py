"""The « Preuves » panel's core and the paper copy by post: every event kind has its words
in French and English, a tampered row shows as a broken chain in plain words, a paper copy is
asked for once at a time, its address stays out of the chain and is blanked on erasure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import update
from sqlalchemy.orm import Session

from portal.advisor.models import UnitKind
from portal.esign import texts
from portal.esign.copies import (
    CopyError,
    CopyErrorCode,
    PostalAddress,
    copy_available,
    last_address,
    mark_copy_sent,
    request_paper_copy,
)
from portal.esign.evidence import BreakKind, Origin, events_of, verify_chain
from portal.esign.models import ActorKind, EventKind, PaperCopyRequest, SignatureEvent
from portal.esign.proof_views import chain_status, event_actor, event_words
from portal.esign.proofs import proofs_of, short_user_agent
from portal.livrables.models import LivrableVersion
from portal.livrables.signing import (
    attach_scan,
    complete_if_signed,
    freeze_for_signature,
    reopen_draft,
)
from portal.network.models import StaffMember
from portal.privacy.erasure import erase_person
from tests.unit.test_signing import PDF, livrable_of, noon, sign_both
from tests.workspace_data import engaged, staff

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
HOME = PostalAddress.of(["12 rue des Lilas", "Bâtiment B"], "35000", "Rennes")


@pytest.fixture
def today(clock: object) -> date:
    from portal.clock import today_in_france

    return today_in_france()


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return staff(session, "16", name="Nadia Conseillère")


@pytest.fixture
def frozen(session: Session, advisor: StaffMember, today: date) -> LivrableVersion:
    unit = engaged(
        session, advisor, UnitKind.UO1, engaged_on=today - timedelta(days=10), today=today
    )
    origin = Origin(ip="192.0.2.7", user_agent=FIREFOX)
    return freeze_for_signature(
        session, livrable_of(session, unit), by=advisor, now=noon(today), origin=origin
    )


@pytest.fixture
def signed(
    session: Session, frozen: LivrableVersion, advisor: StaffMember, today: date
) -> LivrableVersion:
    sign_both(session, frozen, advisor, today, today)
    attach_scan(session, frozen, filename="scan.pdf", data=PDF, by=advisor)
    assert complete_if_signed(session, frozen.livrable, by=advisor, today=today)
    return frozen


def test_every_event_kind_has_its_words_in_french_and_english(app: Flask) -> None:
    with app.test_request_context():
        for kind in EventKind:
            with force_locale("fr"):
                french = str(texts.EVENT_LABELS[kind])
            with force_locale("en"):
                english = str(texts.EVENT_LABELS[kind])
            assert french and english and french != english, kind
        with force_locale("en"):
            assert str(texts.EVENT_LABELS[EventKind.CODE_FAILED]) == "Wrong verification code"
            assert str(texts.CHANNELS["sms"]) == "by text message (SMS)"
            assert {str(texts.ACTORS[a]) for a in texts.ACTORS} == {"the beneficiary", "the portal"}
        for kind in BreakKind:
            with force_locale("en"):
                assert "Broken at step no. 3" in str(texts.BREAKS[kind] % {"num": 3})


def test_a_user_agent_is_said_in_a_few_words() -> None:
    assert short_user_agent(FIREFOX) == "Firefox 140 · Windows"
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
    )
    assert short_user_agent(iphone) == "Safari 18 · iOS"
    edge = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
    )
    assert short_user_agent(edge) == "Edge 131 · Windows"
    assert short_user_agent("x" * 80) == "x" * 40 + "…"
    assert short_user_agent(None) is None


def test_the_panel_lists_each_step_with_who_and_from_where(
    app: Flask, session: Session, signed: LivrableVersion
) -> None:
    [proofs] = proofs_of(session, signed.livrable)
    assert proofs.number == 1 and not proofs.voided and proofs.chain.intact
    assert proofs.document_sha256 == signed.content_sha256
    kinds = [event.kind for event in proofs.events]
    assert kinds[:4] == [
        EventKind.PAPER_PRINTED,
        EventKind.PAPER_DATES_RECORDED,
        EventKind.PAPER_DATES_RECORDED,
        EventKind.SCAN_UPLOADED,
    ]
    assert EventKind.COPY_DELIVERED in kinds
    printed = proofs.events[0]
    assert (printed.ip, printed.user_agent) == ("192.0.2.7", "Firefox 140 · Windows")
    with app.test_request_context(), force_locale("fr"):
        assert event_actor(printed) == "Nadia Conseillère"
        words = event_words(proofs.events[1])
        assert (words["label"], words["party"]) == (
            "Date de signature sur papier enregistrée",
            "conseiller",
        )
        delivered = next(e for e in proofs.events if e.kind == EventKind.COPY_DELIVERED)
        assert event_actor(delivered) == "le portail"
        assert event_words(delivered)["channel"] == "par e-mail"
        assert chain_status(proofs.chain).startswith("Intacte : chacune des")


def test_a_row_tampered_through_sql_shows_the_chain_broken_in_plain_words(
    app: Flask, session: Session, signed: LivrableVersion
) -> None:
    second = events_of(session, signed.id)[1]
    session.execute(
        update(SignatureEvent)
        .where(SignatureEvent.id == second.id)
        .values(detail={**second.detail, "signed_on": "2020-01-01"})
    )
    session.expire_all()
    [proofs] = proofs_of(session, signed.livrable)
    assert not proofs.chain.intact
    with app.test_request_context():
        with force_locale("fr"):
            assert chain_status(proofs.chain) == (
                "Rompue à l'étape n° 2 : elle a été modifiée après son enregistrement."
            )
        with force_locale("en"):
            assert chain_status(proofs.chain) == (
                "Broken at step no. 2: it was changed after it was recorded."
            )


def test_versions_come_newest_first_and_a_voided_one_is_marked(
    session: Session, frozen: LivrableVersion, advisor: StaffMember, today: date
) -> None:
    livrable = frozen.livrable
    reopen_draft(session, livrable, by=advisor, now=noon(today))
    again = freeze_for_signature(session, livrable, by=advisor, now=noon(today))
    proofs = proofs_of(session, livrable)
    assert [(p.number, p.voided) for p in proofs] == [(2, False), (1, True)]
    assert [e.kind for e in proofs[1].events] == [EventKind.PAPER_PRINTED, EventKind.VOIDED]
    assert not copy_available(frozen) and copy_available(again)


def test_a_paper_copy_is_evidence_without_its_address(
    session: Session, signed: LivrableVersion, advisor: StaffMember, today: date
) -> None:
    person = signed.livrable.unit.dossier.beneficiary
    request = request_paper_copy(
        session, version=signed, beneficiary=person, address=HOME, now=noon(today)
    )
    asked = events_of(session, signed.id)[-1]
    assert asked.kind == EventKind.PAPER_COPY_REQUESTED
    assert asked.actor_kind == ActorKind.BENEFICIARY and asked.actor_beneficiary_id == person.id
    assert asked.detail == {"channel": "post", "request_id": request.id}
    assert "Lilas" not in str(asked.detail) and "35000" not in str(asked.detail)
    assert request.address_lines == "12 rue des Lilas\nBâtiment B" and request.pending

    with pytest.raises(CopyError) as twice:
        request_paper_copy(
            session, version=signed, beneficiary=person, address=HOME, now=noon(today)
        )
    assert twice.value.code == CopyErrorCode.PENDING

    mark_copy_sent(session, request, by=advisor, now=noon(today) + timedelta(hours=2))
    sent = events_of(session, signed.id)[-1]
    assert sent.kind == EventKind.COPY_DELIVERED and sent.actor_staff_id == advisor.id
    assert sent.detail == {"channel": "post", "request_id": request.id}
    with pytest.raises(CopyError) as again:
        mark_copy_sent(session, request, by=advisor, now=noon(today))
    assert again.value.code == CopyErrorCode.ALREADY_SENT
    # Once posted, another copy may be asked for, and the form starts from the last address.
    assert last_address(session, person.id) == HOME
    request_paper_copy(session, version=signed, beneficiary=person, address=HOME, now=noon(today))
    assert verify_chain(session, signed.id).intact


def test_an_address_needs_a_street_a_postcode_and_a_town(
    session: Session, frozen: LivrableVersion, today: date
) -> None:
    person = frozen.livrable.unit.dossier.beneficiary
    with pytest.raises(CopyError) as error:
        request_paper_copy(
            session,
            version=frozen,
            beneficiary=person,
            address=PostalAddress.of(["  ", ""], "35000", "Rennes"),
            now=noon(today),
        )
    assert error.value.code == CopyErrorCode.INCOMPLETE


def test_erasure_blanks_the_address_and_keeps_the_chain_whole(
    session: Session, signed: LivrableVersion, advisor: StaffMember, today: date
) -> None:
    person = signed.livrable.unit.dossier.beneficiary
    request = request_paper_copy(
        session, version=signed, beneficiary=person, address=HOME, now=noon(today)
    )
    erase_person(
        session,
        operator_id=signed.livrable.unit.operator_id,
        email=person.email,
        now=noon(today),
        by=None,
    )
    session.expire_all()
    row = session.get_one(PaperCopyRequest, request.id)
    assert (row.address_lines, row.postcode, row.town) == ("", "", "")
    assert verify_chain(session, signed.id).intact
    assert last_address(session, person.id) is None

"""The named transitions of a dossier and its units, and every refusal they may give
(`UnitErrorCode`), on the demo network in a rolled-back session."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from portal.advisor.closing import close_on_written_request, close_unit
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import (
    ClosureKind,
    ConsentMode,
    Dossier,
    Unit,
    UnitKind,
    UnitStatus,
)
from portal.advisor.rules import Stage
from portal.advisor.unit_work import missing_fields, record_interaction, update_unit_data
from portal.advisor.units import (
    Consent,
    EntryData,
    engage_unit,
    engageable_kinds,
    mark_appointment_held,
    mark_appointment_missed,
)
from portal.advisor.views.texts import ERROR_MESSAGES
from portal.booking.models import Appointment, AppointmentStatus, RequestStatus
from portal.network.models import StaffMember, StaffRole
from tests import staff_booking_data as booking
from tests import workspace_data as ws

TODAY = date(2026, 11, 18)  # a Wednesday; purchase orders exist for 2025 to 2027
NOW = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)


def appointment(
    session: Session, advisor: StaffMember, starts_at: datetime, *, last_name: str = "Martin"
) -> Appointment:
    op = ws.operator(session, "16")
    request = booking.request_for(
        session, op, requested_on=starts_at.date() - timedelta(days=5), last_name=last_name
    )
    slot = booking.slot_at(session, advisor, advisor.sites[0], starts_at)
    return booking.book(session, slot, request)


def refused(code: UnitErrorCode) -> Any:
    return pytest.raises(UnitError, match=f"^{code.value}")


@pytest.fixture(autouse=True)
def orders(session: Session) -> None:
    """Purchase orders for the years these tests engage in, whatever year they run in."""
    ws.ensure_orders(session, "16", (2025, 2026, 2027))


def engage(
    session: Session,
    dossier: Dossier,
    kind: UnitKind,
    by: StaffMember,
    *,
    on: date = TODAY,
    today: date = TODAY,
    consent_on: date | None = None,
    entry: EntryData = ws.ENTRY,
    referent: StaffMember | None = None,
) -> Unit:
    return engage_unit(
        session,
        dossier,
        kind,
        engaged_on=on,
        consent=Consent(consent_on or on, ConsentMode.ORAL),
        entry=entry,
        by=by,
        today=today,
        referent=referent,
    )


def sign(session: Session, unit: Unit, on: date) -> None:
    close_unit(
        session, unit, kind=ClosureKind.SIGNED, closed_on=on, reason="poursuite", today=TODAY
    )


def test_every_error_code_has_a_sentence() -> None:
    assert set(ERROR_MESSAGES) == set(UnitErrorCode)


# --- The first appointment --------------------------------------------------------------------


def test_a_held_first_appointment_opens_the_dossier_once(session: Session) -> None:
    advisor = ws.staff(session)
    held = appointment(session, advisor, NOW - timedelta(hours=2))
    dossier = mark_appointment_held(session, held, by=advisor, now=NOW)
    assert held.status == AppointmentStatus.HELD
    assert held.request is not None and held.request.status == RequestStatus.HONOURED
    assert dossier.first_appointment_id == held.id and dossier.request_id == held.request_id
    assert dossier.opened_on == TODAY and dossier.advisor_id == advisor.id
    assert dossier.beneficiary_id == held.beneficiary_id
    assert engageable_kinds(dossier) == (UnitKind.UO1, UnitKind.UO21)
    with refused(UnitErrorCode.APPOINTMENT_NOT_BOOKED):
        mark_appointment_held(session, held, by=advisor, now=NOW)
    # A second appointment of the same request, held later, finds the same dossier.
    second = booking.book(
        session, booking.slot_at(session, advisor, None, NOW - timedelta(hours=1)), held.request
    )
    assert mark_appointment_held(session, second, by=advisor, now=NOW).id == dossier.id


def test_an_appointment_to_come_cannot_be_held_or_missed(session: Session) -> None:
    advisor = ws.staff(session)
    later = appointment(session, advisor, NOW + timedelta(minutes=5))
    with refused(UnitErrorCode.APPOINTMENT_IN_FUTURE):
        mark_appointment_held(session, later, by=advisor, now=NOW)
    with refused(UnitErrorCode.APPOINTMENT_IN_FUTURE):
        mark_appointment_missed(session, later, now=NOW)
    assert later.status == AppointmentStatus.BOOKED


def test_a_missed_appointment_puts_the_request_back_on_the_waiting_list(session: Session) -> None:
    advisor = ws.staff(session)
    missed = appointment(session, advisor, NOW - timedelta(hours=3))
    mark_appointment_missed(session, missed, now=NOW)
    assert missed.status == AppointmentStatus.MISSED
    assert missed.request is not None and missed.request.status == RequestStatus.WAITING
    with refused(UnitErrorCode.APPOINTMENT_NOT_BOOKED):
        mark_appointment_missed(session, missed, now=NOW)


# --- Engagements --------------------------------------------------------------------------


def test_engaging_a_uo1_records_consent_number_order_and_deadline(session: Session) -> None:
    advisor = ws.staff(session)
    dossier = ws.dossier(session, advisor, opened_on=TODAY - timedelta(days=2))
    unit = engage(session, dossier, UnitKind.UO1, advisor, consent_on=TODAY - timedelta(days=1))
    assert unit.status == UnitStatus.OPEN and unit.advisor_id == advisor.id
    assert unit.deadline == date(2027, 1, 18)
    assert (unit.consent_given_on, unit.consent_mode) == (TODAY - timedelta(days=1), "oral")
    assert unit.consent_recorded_by_id == advisor.id and unit.consent_recorded_at is not None
    assert unit.number.startswith("16261101") and len(unit.number) == 14
    assert unit.formatted_number == f"16 26 11 01 {unit.number[8:]}"
    assert unit.purchase_order_ref.startswith("2026-Lot16-UO01-01-")
    assert (unit.origine, unit.motif, unit.motif_detaille) == (
        "individuelle",
        "projet",
        "changer_metier",
    )
    assert engageable_kinds(dossier) == ()


def test_one_unit_at_a_time_and_uo1_only_opens_a_dossier(session: Session) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, engaged_on=TODAY - timedelta(days=20), today=TODAY)
    with refused(UnitErrorCode.OPEN_UNIT):
        engage(session, unit.dossier, UnitKind.UO21, advisor)
    sign(session, unit, TODAY - timedelta(days=5))
    assert engageable_kinds(unit.dossier) == (UnitKind.UO21,)
    with refused(UnitErrorCode.DOSSIER_HAS_UNITS):
        engage(session, unit.dossier, UnitKind.UO1, advisor)
    with refused(UnitErrorCode.UO22_NEEDS_SIGNED_UO21):
        engage(session, unit.dossier, UnitKind.UO22, advisor)
    uo21 = engage(session, unit.dossier, UnitKind.UO21, advisor)
    assert uo21.deadline == date(2027, 5, 18)


def test_a_uo21_follows_only_a_signed_uo1(session: Session) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, engaged_on=date(2026, 8, 1), today=TODAY)
    unit.status, unit.closure_kind = UnitStatus.CLOSED, ClosureKind.ABANDON
    unit.closed_on, unit.motif_cloture = unit.deadline, "abandon"
    session.flush()
    with refused(UnitErrorCode.UO21_NEEDS_SIGNED_UO1):
        engage(session, unit.dossier, UnitKind.UO21, advisor)
    assert engageable_kinds(unit.dossier) == ()


def test_the_referent_named_at_uo21_is_kept_in_uo22(session: Session) -> None:
    me, referent = ws.staff(session), ws.staff(session)
    dossier = ws.dossier(session, me, opened_on=date(2026, 3, 2))
    uo21 = engage(session, dossier, UnitKind.UO21, me, on=date(2026, 3, 2), referent=referent)
    assert uo21.advisor_id == referent.id and dossier.advisor_id == referent.id
    assert uo21.consent_recorded_by_id == me.id
    assert uo21.deadline == date(2026, 9, 2)
    sign(session, uo21, date(2026, 8, 31))
    uo22 = engage(session, dossier, UnitKind.UO22, me, on=date(2026, 9, 10))
    assert uo22.advisor_id == referent.id
    assert uo22.deadline == date(2027, 9, 2)  # 18 months from the UO2.1's engagement
    assert uo22.purchase_order_ref.startswith("2026-Lot16-UO2.2-01-")
    assert uo22.number[6:8] == "22"


def test_the_referent_is_an_active_advisor_of_the_operator(session: Session) -> None:
    me = ws.staff(session)
    for wrong in (
        ws.staff(session, "16", StaffRole.MANAGER),
        ws.staff(session, "10"),
    ):
        dossier = ws.dossier(session, me, opened_on=TODAY)
        with refused(UnitErrorCode.REFERENT_NOT_ADVISOR):
            engage(session, dossier, UnitKind.UO21, me, referent=wrong)
    gone = ws.staff(session)
    gone.active = False
    with refused(UnitErrorCode.REFERENT_NOT_ADVISOR):
        engage(session, ws.dossier(session, me, opened_on=TODAY), UnitKind.UO21, me, referent=gone)


def test_a_uo22_cannot_start_after_18_months_from_its_uo21(session: Session) -> None:
    advisor = ws.staff(session)
    dossier = ws.dossier(session, advisor, opened_on=date(2025, 1, 10))
    uo21 = engage(session, dossier, UnitKind.UO21, advisor, on=date(2025, 1, 10))
    sign(session, uo21, date(2025, 6, 30))
    late = date(2026, 7, 11)  # 18 months after 10 January 2025, and a day
    with refused(UnitErrorCode.UO22_PAST_DEADLINE):
        engage(session, dossier, UnitKind.UO22, advisor, on=late)
    assert engage(session, dossier, UnitKind.UO22, advisor, on=date(2026, 7, 10)).deadline == date(
        2026, 7, 10
    )


def test_engagement_dates_and_consent(session: Session) -> None:
    advisor = ws.staff(session)
    dossier = ws.dossier(session, advisor, opened_on=TODAY - timedelta(days=3))
    with refused(UnitErrorCode.DATE_IN_FUTURE) as future:
        engage(session, dossier, UnitKind.UO1, advisor, on=TODAY + timedelta(days=1))
    assert future.value.fields == ("engaged_on",)
    with refused(UnitErrorCode.DATE_BEFORE_START) as early:
        engage(session, dossier, UnitKind.UO1, advisor, on=TODAY - timedelta(days=4))
    assert early.value.fields == ("engaged_on",)
    with refused(UnitErrorCode.DATE_IN_FUTURE) as consent:
        engage(session, dossier, UnitKind.UO1, advisor, consent_on=TODAY + timedelta(days=1))
    assert consent.value.fields == ("consent_given_on",)
    # No unit before the person agreed to it.
    with refused(UnitErrorCode.DATE_BEFORE_START) as before_consent:
        engage(
            session,
            dossier,
            UnitKind.UO1,
            advisor,
            on=TODAY - timedelta(days=1),
            consent_on=TODAY,
        )
    assert before_consent.value.fields == ("engaged_on",)
    assert dossier.units == []


def test_entry_data_is_required_and_checked_against_the_tables(session: Session) -> None:
    advisor = ws.staff(session)
    dossier = ws.dossier(session, advisor, opened_on=TODAY)
    with refused(UnitErrorCode.MISSING_FIELDS) as missing:
        engage(session, dossier, UnitKind.UO1, advisor, entry=EntryData("", "projet", ""))
    assert missing.value.fields == ("origine", "motif_detaille")
    with refused(UnitErrorCode.UNKNOWN_CODE) as unknown:
        engage(session, dossier, UnitKind.UO1, advisor, entry=EntryData("x", "projet", "vae"))
    assert set(unknown.value.fields) == {"origine", "motif_detaille"}  # vae is not a « projet »


# --- Within a unit ------------------------------------------------------------------------


def test_annex2_data_by_unit_and_stage(session: Session) -> None:
    advisor = ws.staff(session)
    uo1 = ws.engaged(session, advisor, engaged_on=TODAY, today=TODAY)
    assert missing_fields(uo1, Stage.CLOSURE) == ()
    uo21 = ws.engaged(session, advisor, UnitKind.UO21, engaged_on=TODAY, today=TODAY)
    assert missing_fields(uo21, Stage.ENGAGEMENT) == ()
    assert missing_fields(uo21, Stage.CLOSURE) == (
        "types_service",
        "prestations",
        "auto_prescription",
        "financements",
        "decouvertes",
    )
    update_unit_data(
        session,
        uo21,
        {
            "types_service": ["pmsmp"],
            "prestations": ["aucune"],
            "auto_prescription": False,
            "financements": ["aucun"],
            "decouvertes": ["pmsmp"],
        },
    )
    assert missing_fields(uo21, Stage.CLOSURE) == ()
    with refused(UnitErrorCode.UNKNOWN_CODE) as mixed:
        update_unit_data(session, uo21, {"prestations": ["aucune", "vae"]})
    assert mixed.value.fields == ("prestations",)
    with refused(UnitErrorCode.UNKNOWN_CODE):  # the stored motive is « projet »
        update_unit_data(session, uo21, {"motif_detaille": "vae"})
    with refused(UnitErrorCode.MISSING_FIELDS):
        update_unit_data(session, uo21, {"origine": None})
    with pytest.raises(ValueError):
        update_unit_data(session, uo21, {"motif_cloture": "plus_besoin"})
    update_unit_data(session, uo21, {"motif": "competences", "motif_detaille": "vae"})
    assert (uo21.motif, uo21.motif_detaille) == ("competences", "vae")


def test_interactions_belong_to_the_open_unit_between_engagement_and_deadline(
    session: Session,
) -> None:
    advisor = ws.staff(session)
    unit = ws.engaged(session, advisor, engaged_on=date(2026, 9, 1), today=TODAY)

    def add(day: date, mode: str = "visio", service: str | None = None) -> object:
        return record_interaction(
            session,
            unit,
            occurred_on=day,
            contact_mode=mode,
            duration_minutes=45,
            by=advisor,
            today=TODAY,
            service_type=service,
        )

    add(date(2026, 9, 1), "atelier_collectif", "information")
    with refused(UnitErrorCode.DATE_BEFORE_START):
        add(date(2026, 8, 31))
    with refused(UnitErrorCode.DATE_AFTER_DEADLINE) as after:
        add(date(2026, 11, 2))  # deadline 1 November
    assert after.value.fields == ("occurred_on",)
    with refused(UnitErrorCode.UNKNOWN_CODE) as mode:
        add(date(2026, 9, 2), "pigeon")
    assert mode.value.fields == ("mode_contact",)
    sign(session, unit, date(2026, 10, 30))
    with refused(UnitErrorCode.UNIT_CLOSED):
        add(date(2026, 10, 1))
    session.refresh(unit)
    assert [(i.occurred_on, i.contact_mode) for i in unit.interactions] == [
        (date(2026, 9, 1), "atelier_collectif")
    ]


# --- Closing ------------------------------------------------------------------------------


def test_closing_by_the_persons_act(session: Session) -> None:
    advisor = ws.staff(session)
    uo1 = ws.engaged(session, advisor, engaged_on=date(2026, 10, 1), today=TODAY)
    for kind, code in (
        (ClosureKind.ABANDON, UnitErrorCode.WRONG_UNIT),
        (ClosureKind.REQUESTED, UnitErrorCode.WRONG_UNIT),
    ):
        with refused(code):
            close_unit(session, uo1, kind=kind, closed_on=TODAY, reason="poursuite", today=TODAY)
    with refused(UnitErrorCode.DATE_IN_FUTURE):
        close_unit(
            session,
            uo1,
            kind=ClosureKind.SIGNED,
            closed_on=TODAY + timedelta(days=1),
            reason="poursuite",
            today=TODAY,
        )
    with refused(UnitErrorCode.DATE_BEFORE_START):
        close_unit(
            session,
            uo1,
            kind=ClosureKind.SIGNED,
            closed_on=date(2026, 9, 30),
            reason="poursuite",
            today=TODAY,
        )
    with refused(UnitErrorCode.NOT_VOLUNTARY_REASON):
        close_unit(
            session, uo1, kind=ClosureKind.SIGNED, closed_on=TODAY, reason="abandon", today=TODAY
        )
    close_unit(
        session,
        uo1,
        kind=ClosureKind.SIGNED,
        closed_on=TODAY,
        reason="poursuite",
        today=TODAY,
        by=advisor,
    )
    assert (uo1.status, uo1.closure_kind, uo1.closed_on) == ("closed", "signed", TODAY)
    assert uo1.closed_by_id == advisor.id and uo1.motif_cloture == "poursuite"
    with refused(UnitErrorCode.UNIT_CLOSED):
        close_unit(
            session, uo1, kind=ClosureKind.SIGNED, closed_on=TODAY, reason="poursuite", today=TODAY
        )


def test_a_uo22_closes_on_a_written_request_only(session: Session) -> None:
    advisor = ws.staff(session)
    dossier = ws.dossier(session, advisor, opened_on=date(2026, 1, 5))
    uo21 = engage(session, dossier, UnitKind.UO21, advisor, on=date(2026, 1, 5))
    with refused(UnitErrorCode.WRONG_UNIT):
        close_on_written_request(
            session, uo21, text="Stop", reason="plus_besoin", on=TODAY, today=TODAY, by=advisor
        )
    sign(session, uo21, date(2026, 6, 1))
    uo22 = engage(session, dossier, UnitKind.UO22, advisor, on=date(2026, 6, 2))
    with refused(UnitErrorCode.WRONG_UNIT):
        sign(session, uo22, TODAY)
    with refused(UnitErrorCode.MISSING_FIELDS) as empty:
        close_on_written_request(
            session, uo22, text="  ", reason="plus_besoin", on=TODAY, today=TODAY, by=advisor
        )
    assert empty.value.fields == ("closure_trace",)
    with refused(UnitErrorCode.DATE_AFTER_DEADLINE):
        close_on_written_request(
            session,
            uo22,
            text="Merci",
            reason="plus_besoin",
            on=date(2027, 7, 6),
            today=date(2027, 8, 1),
            by=advisor,
        )
    close_on_written_request(
        session,
        uo22,
        text=" Je souhaite arrêter. ",
        reason="plus_besoin",
        on=TODAY,
        today=TODAY,
        by=advisor,
    )
    assert uo22.closure_kind == ClosureKind.REQUESTED
    assert uo22.closure_trace == "Je souhaite arrêter."
    assert missing_fields(uo22, Stage.CLOSURE)  # the person's act is never refused for data

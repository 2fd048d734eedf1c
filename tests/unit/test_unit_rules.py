"""The contract's figures on units: delays and the 80 % warning, Annex 2 numbering and
purchase-order references (also under concurrency, on PostgreSQL), the automatic abandon,
re-engagements and indicator 6.8, and the demo caseloads built on them."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.advisor.closing import close_expired_units, close_on_written_request, close_unit
from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.indicators import reengagements
from portal.advisor.models import (
    ClosureKind,
    ConsentMode,
    Dossier,
    PurchaseOrder,
    Unit,
    UnitKind,
    UnitStatus,
)
from portal.advisor.rules import (
    PAPER_RETURN_GRACE_DAYS,
    DeadlineState,
    add_months,
    deadline_view,
    unit_deadline,
)
from portal.advisor.units import Consent, engage_unit
from portal.demo.dossiers import add_demo_dossiers
from portal.livrables.models import Livrable, LivrableKind, LivrableStatus
from portal.network.models import StaffMember
from portal.satisfaction.models import Survey
from tests import workspace_data as ws

ORDER_REF = re.compile(r"^\d{4}-Lot\d{2}-UO(01|2\.1|2\.2)-\d{2}-\d{5}$")


def engage(
    session: Session, dossier: Dossier, kind: UnitKind, by: StaffMember, on: date, today: date
) -> Unit:
    return engage_unit(
        session,
        dossier,
        kind,
        engaged_on=on,
        consent=Consent(on, ConsentMode.WRITTEN),
        entry=ws.ENTRY,
        by=by,
        today=today,
    )


# --- Delays -------------------------------------------------------------------------------


def test_a_month_later_is_the_same_day_or_the_months_last() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert add_months(date(2026, 5, 31), -3) == date(2026, 2, 28)


def test_unit_deadlines_follow_cctp_1_2_6() -> None:
    assert unit_deadline(UnitKind.UO1, date(2026, 1, 31)) == date(2026, 3, 31)
    assert unit_deadline(UnitKind.UO1, date(2025, 12, 31)) == date(2026, 2, 28)
    assert unit_deadline(UnitKind.UO21, date(2026, 3, 15)) == date(2026, 9, 15)
    # UO2.2: 18 months from the UO2.1's engagement, not from its own.
    assert unit_deadline(UnitKind.UO22, date(2026, 10, 1), date(2026, 3, 15)) == date(2027, 9, 15)
    with pytest.raises(ValueError):
        unit_deadline(UnitKind.UO22, date(2026, 10, 1))


def test_the_advisor_is_warned_at_80_percent_of_the_delay() -> None:
    engaged, deadline = date(2026, 1, 1), date(2026, 3, 1)  # 59 days
    on_track = deadline_view(engaged, deadline, date(2026, 2, 16))  # day 46: 78 %
    assert (on_track.state, on_track.days_left) == (DeadlineState.ON_TRACK, 13)
    warned = deadline_view(engaged, deadline, date(2026, 2, 18))  # day 48: 81 %
    assert (warned.state, warned.days_left) == (DeadlineState.WARNING, 11)
    last_day = deadline_view(engaged, deadline, deadline)
    assert (last_day.state, last_day.days_left) == (DeadlineState.WARNING, 0)
    late = deadline_view(engaged, deadline, date(2026, 3, 2))
    assert (late.state, late.days_left) == (DeadlineState.OVERDUE, -1)


# --- Numbering ----------------------------------------------------------------------------


def test_dossier_numbers_count_per_operator_and_reset_each_month(session: Session) -> None:
    ws.ensure_orders(session, "16", (2031,))
    ws.ensure_orders(session, "01", (2031,))
    advisor, other = ws.staff(session, "16"), ws.staff(session, "01")
    today = date(2031, 12, 31)

    def number(by: StaffMember, kind: UnitKind, on: date) -> str:
        dossier = ws.dossier(session, by, opened_on=on)
        return engage(session, dossier, kind, by, on, today).number

    assert number(advisor, UnitKind.UO1, date(2031, 3, 5)) == "16310301000001"
    assert number(advisor, UnitKind.UO21, date(2031, 3, 6)) == "16310321000002"
    assert number(other, UnitKind.UO1, date(2031, 3, 6)) == "01310301000001"  # its own count
    assert number(advisor, UnitKind.UO1, date(2031, 4, 1)) == "16310401000001"  # a new month
    unit = session.scalar(select(Unit).where(Unit.number == "16310321000002"))
    assert unit is not None and unit.formatted_number == "16 31 03 21 000002"


def test_purchase_order_references_and_exhaustion(session: Session) -> None:
    op = ws.operator(session, "16")
    advisor = ws.staff(session, "16")
    today = date(2032, 12, 31)
    for number, quantity in ((1, 2), (2, 1)):
        session.add(
            PurchaseOrder(
                operator_id=op.id,
                year=2032,
                kind=UnitKind.UO21,
                number=number,
                quantity=quantity,
                issued_on=date(2032, 1, 2),
            )
        )
    session.flush()

    def engage_uo21() -> Unit:
        dossier = ws.dossier(session, advisor, opened_on=date(2032, 6, 1))
        return engage(session, dossier, UnitKind.UO21, advisor, date(2032, 6, 1), today)

    refs = [engage_uo21().purchase_order_ref for _ in range(3)]
    assert refs == [
        "2032-Lot16-UO2.1-01-00001",
        "2032-Lot16-UO2.1-01-00002",
        "2032-Lot16-UO2.1-02-00001",
    ]
    assert all(ORDER_REF.match(ref) for ref in refs)
    with pytest.raises(UnitError) as exhausted:
        engage_uo21()
    assert exhausted.value.code == UnitErrorCode.NO_PURCHASE_ORDER
    with pytest.raises(UnitError) as none:  # no UO1 order at all in 2032
        dossier = ws.dossier(session, advisor, opened_on=date(2032, 6, 1))
        engage(session, dossier, UnitKind.UO1, advisor, date(2032, 6, 1), today)
    assert none.value.code == UnitErrorCode.NO_PURCHASE_ORDER
    orders = session.scalars(
        select(PurchaseOrder).where(PurchaseOrder.operator_id == op.id, PurchaseOrder.year == 2032)
    )
    assert sorted(o.consumed for o in orders) == [1, 2]


def test_twenty_simultaneous_engagements_get_consecutive_numbers(
    app: Flask, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the race is run against the real PostgreSQL server")
    from portal.extensions import db

    contenders = 20
    with app.app_context():
        ws.ensure_orders(db.session, "16", (2034,))
        advisor = ws.staff(db.session, "16")
        dossier_ids = [
            ws.dossier(db.session, advisor, opened_on=date(2034, 5, 2)).id
            for _ in range(contenders)
        ]
        advisor_id = advisor.id
        db.session.commit()
        engine = db.engine
    barrier = threading.Barrier(contenders)

    def contend(dossier_id: int) -> tuple[str, str]:
        with Session(engine) as session:
            dossier = session.get_one(Dossier, dossier_id)
            by = session.get_one(StaffMember, advisor_id)
            dossier.units  # noqa: B018  (loaded before the race)
            barrier.wait()
            unit = engage(session, dossier, UnitKind.UO1, by, date(2034, 5, 3), date(2034, 5, 31))
            session.commit()
            return unit.number, unit.purchase_order_ref

    with ThreadPoolExecutor(max_workers=contenders) as pool:
        results = list(pool.map(contend, dossier_ids))
    counters = sorted(int(number[8:]) for number, _ in results)
    assert counters == list(range(counters[0], counters[0] + contenders))
    assert all(number.startswith("16340501") for number, _ in results)
    consumed = sorted(int(ref[-5:]) for _, ref in results)
    assert consumed == list(range(consumed[0], consumed[0] + contenders))


# --- The automatic abandon ----------------------------------------------------------------


def test_close_expired_records_the_abandon_at_the_deadline_once(session: Session) -> None:
    advisor = ws.staff(session)
    today = date(2026, 11, 18)
    late = ws.engaged(session, advisor, engaged_on=date(2026, 8, 1), today=today)
    current = ws.engaged(session, advisor, engaged_on=date(2026, 10, 1), today=today)
    closed = close_expired_units(session, today=today)
    assert late in closed and current not in closed
    assert late.status == UnitStatus.CLOSED and late.closure_kind == ClosureKind.ABANDON
    assert late.closed_on == late.deadline == date(2026, 10, 1)
    assert late.motif_cloture == "abandon" and late.closed_by_id is None
    assert session.scalar(select(Survey).where(Survey.unit_id == late.id)) is not None
    assert current.is_open
    assert close_expired_units(session, today=today) == []  # a second run closes nothing
    assert late.closed_on == date(2026, 10, 1)


def test_a_livrable_printed_for_signature_waits_for_the_paper_to_come_back(
    session: Session,
) -> None:
    advisor = ws.staff(session)
    today = date(2026, 11, 18)
    printed = ws.engaged(session, advisor, engaged_on=date(2026, 9, 10), today=today)
    session.add(
        Livrable(unit_id=printed.id, kind=LivrableKind.ETAT_DES_LIEUX, status=LivrableStatus.FROZEN)
    )
    untouched = ws.engaged(session, advisor, engaged_on=date(2026, 9, 10), today=today)
    session.flush()
    first = close_expired_units(session, today=today)
    assert untouched in first and printed not in first and printed.is_open
    last_wait = printed.deadline + timedelta(days=PAPER_RETURN_GRACE_DAYS)
    assert printed not in close_expired_units(session, today=last_wait)
    assert printed in close_expired_units(session, today=last_wait + timedelta(days=1))
    assert printed.closure_kind == ClosureKind.ABANDON and printed.closed_on == date(2026, 11, 10)


# --- Re-engagements (indicator 6.8) ---------------------------------------------------------


def test_a_new_dossier_within_three_months_of_a_closure_is_flagged(session: Session) -> None:
    advisor = ws.staff(session)
    today = date(2026, 11, 18)
    first = ws.engaged(session, advisor, UnitKind.UO21, engaged_on=date(2026, 3, 2), today=today)
    close_unit(
        session,
        first,
        kind=ClosureKind.SIGNED,
        closed_on=date(2026, 7, 20),
        reason="objectif_atteint",
        today=today,
    )
    email = first.dossier.beneficiary.email

    def back(on: date, *, address: str = email.upper(), code: str = "16") -> Dossier:
        member = advisor if code == "16" else ws.staff(session, code)
        return ws.dossier(session, member, opened_on=on, who=ws.person(session, email=address))

    assert back(date(2026, 10, 20)).reengagement_of_unit_id == first.id  # 3 months to the day
    assert back(date(2026, 10, 21)).reengagement_of_unit_id is None
    assert (
        back(date(2026, 8, 1), address="someone.else@example.org").reengagement_of_unit_id is None
    )
    assert back(date(2026, 8, 1), code="10").reengagement_of_unit_id is None  # another operator


def test_indicator_6_8_counts_people_who_closed_a_uo2_and_came_back(session: Session) -> None:
    ws.ensure_orders(session, "16", (2031,))
    ws.ensure_orders(session, "10", (2031,))
    advisor = ws.staff(session, "16")
    today = date(2031, 12, 31)

    def uo21(by: StaffMember, engaged_on: date, signed_on: date) -> Unit:
        unit = engage(
            session,
            ws.dossier(session, by, opened_on=engaged_on),
            UnitKind.UO21,
            by,
            engaged_on,
            today,
        )
        close_unit(
            session,
            unit,
            kind=ClosureKind.SIGNED,
            closed_on=signed_on,
            reason="objectif_atteint",
            today=today,
        )
        return unit

    def comes_back(unit: Unit, on: date) -> Dossier:
        who = ws.person(session, email=unit.dossier.beneficiary.email)
        return ws.dossier(session, advisor, opened_on=on, who=who)

    uo21(advisor, date(2031, 1, 6), date(2031, 3, 3))  # closed, not back
    back = uo21(advisor, date(2031, 1, 7), date(2031, 3, 10))
    assert comes_back(back, date(2031, 5, 20)).reengagement_of_unit_id == back.id
    twice = uo21(advisor, date(2031, 1, 8), date(2031, 3, 15))  # UO2.1 then UO2.2: one person
    uo22 = engage(session, twice.dossier, UnitKind.UO22, advisor, date(2031, 3, 16), today)
    close_on_written_request(
        session,
        uo22,
        text="C'est bon pour moi.",
        reason="plus_besoin",
        on=date(2031, 3, 25),
        today=today,
        by=advisor,
    )
    too_late = uo21(advisor, date(2031, 1, 9), date(2031, 3, 20))
    assert comes_back(too_late, date(2031, 7, 1)).reengagement_of_unit_id is None
    uo1 = ws.engaged(session, advisor, UnitKind.UO1, engaged_on=date(2031, 2, 1), today=today)
    close_unit(
        session,
        uo1,
        kind=ClosureKind.SIGNED,
        closed_on=date(2031, 3, 5),
        reason="poursuite",
        today=today,
    )
    comes_back(uo1, date(2031, 3, 20))  # back after a UO1: not indicator 6.8
    uo21(advisor, date(2031, 1, 10), date(2031, 4, 1))  # closed after the period
    uo21(ws.staff(session, "10"), date(2031, 1, 6), date(2031, 3, 3))  # another operator

    march = reengagements(
        session, ws.operator(session, "16").id, date(2031, 3, 1), date(2031, 4, 1)
    )
    assert (march.closed_uo2, march.reengaged) == (4, 1)
    assert march.rate == 0.25
    empty = reengagements(
        session, ws.operator(session, "16").id, date(2031, 8, 1), date(2031, 9, 1)
    )
    assert (empty.closed_uo2, empty.reengaged, empty.rate) == (0, 0, None)


# --- Demo caseloads -----------------------------------------------------------------------


def test_demo_advisors_hold_dossiers_in_every_state(session: Session) -> None:
    advisor = session.scalar(
        select(StaffMember).where(StaffMember.email == "conseiller1@lot16.cep-demo.example")
    )
    assert advisor is not None
    dossiers = list(session.scalars(select(Dossier).where(Dossier.advisor_id == advisor.id)))
    assert 10 <= len(dossiers) <= 14
    units = [u for d in dossiers for u in d.units]
    today = max(d.opened_on for d in dossiers)
    states = {deadline_view(u.engaged_on, u.deadline, today).state for u in units if u.is_open}
    assert states == set(DeadlineState)
    assert {u.closure_kind for u in units} >= {None, "signed", "requested", "abandon"}
    assert {u.kind for u in units if u.is_open} == {"01", "21", "22"}
    assert any(d.reengagement_of_unit_id for d in dossiers)
    assert any(not d.units for d in dossiers)
    # Loading the demo caseloads stays quick for `make run` and the test start: counted in
    # statements, not seconds, which depend on the machine and what else runs on it.
    statements = []
    bind = session.connection()
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (the statement text)
    event.listen(bind, "before_cursor_execute", listener)
    try:
        added = add_demo_dossiers(session, today)  # again, in this rolled-back session
    finally:
        event.remove(bind, "before_cursor_execute", listener)
    assert added >= 40
    # 431 statements for 44 dossiers on 2026-12-04: about ten a dossier, no per-row queries
    # growing with the demo network.
    assert len(statements) <= 12 * added

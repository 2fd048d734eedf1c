"""The national view — every indicator, every operator, thirteen months — is a fixed handful
of SQL statements: their number does not grow with the periods or the operators."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.reporting.indicators import COMPUTED, Period, compute, last_months


@contextmanager
def counted(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def count(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):  # SQLite's own transaction start
            statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_national_view_is_a_fixed_handful_of_statements(session: Session) -> None:
    months = last_months(date(2026, 12, 7), 13)
    assert [months[0].key, months[-1].key] == ["2025-12", "2026-12"]
    with counted(session) as national:
        figures = compute(session, months)
    operators = {f.operator_id for f in figures if f.operator_id is not None}
    assert len(operators) >= 18
    assert {f.number for f in figures} == set(COMPUTED)
    assert {f.period for f in figures} == set(months)
    assert len(national) <= 13  # measured: 13 (the brief allows 20)
    with counted(session) as with_sites:
        compute(session, [*months, Period.parse("2026-S1"), Period.parse("2026-S2")], by_site=True)
    with counted(session) as one_month_one_lot:
        compute(session, months[-1:], operator_ids=sorted(operators)[:1], by_site=True)
    # the semesters add the one statement per group of periods (6.8, 2.3/2.4) and sites one
    assert len(with_sites) <= len(national) + 3
    assert len(one_month_one_lot) == len(with_sites) - 2

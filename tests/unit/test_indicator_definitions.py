"""The catalogue of CCTP 4.3 and the periods the indicators are computed over."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.reporting.indicators import BY_NUMBER, COMPUTED, DEFINITIONS, Period, unit_of
from portal.reporting.indicators.figures import figure, national


def test_every_indicator_of_the_cctp_in_its_order() -> None:
    assert [d.number for d in DEFINITIONS] == [
        *("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3"),
        *("4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4"),
        *("6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8"),
        *("7.1", "7.2", "7.3", "7.4", "8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7"),
    ]
    never = {"7.1", "7.2", "7.3", "7.4", "8.3", "8.5"}
    assert {d.number for d in DEFINITIONS if d.missing is not None} == never
    assert set(COMPUTED) == {d.number for d in DEFINITIONS} - never
    assert BY_NUMBER["8.1"].threshold == 0.8
    assert {d.number for d in DEFINITIONS if d.by_category} == {"2.3", "2.4", "8.2"}
    assert (unit_of("8.4", None), unit_of("8.4", "within_30"), unit_of("6.5", None)) == (
        "days",
        "rate",
        "count",
    )


def test_the_words_in_both_languages(app: Flask) -> None:
    with app.test_request_context():
        with force_locale("fr"):
            assert str(BY_NUMBER["4.3"].label) == "Clôture et facturation UO2.1 (BC en cours)"
            assert str(BY_NUMBER["6.6"].definition).startswith("UO2.1 clôturées à la fin")
        with force_locale("en"):
            assert str(BY_NUMBER["4.3"].label) == "UO2.1 closure and billing (current order)"
            assert str(BY_NUMBER["7.1"].definition) == (
                "UO0 billed / full-time equivalents assigned to UO0"
            )


def test_periods() -> None:
    november = Period.parse("2026-11")
    assert (november.kind, november.start, november.end) == (
        "month",
        date(2026, 11, 1),
        date(2026, 12, 1),
    )
    assert Period.parse("2026-S2") == Period.semester_of(date(2026, 12, 31))
    assert Period.parse("2026-S2").end == date(2027, 1, 1)
    assert Period.month_of(date(2026, 12, 7)).key == "2026-12"
    assert Period.parse(" 2026-S1 ").key == "2026-S1"
    assert november.year_before().key == "2025-11"
    for wrong in ("2026-13", "2026-00", "2026-S3", "26-11", "novembre", ""):
        with pytest.raises(ValueError, match="not a month"):
            Period.parse(wrong)


def test_the_nation_adds_the_operators_terms() -> None:
    march = Period.parse("2031-03")

    def f(number: str, operator: int, num: float, den: float | None, site: int | None = None):  # type: ignore[no-untyped-def]
        return figure(number, march, operator, site, num, den)

    nation = national(
        [
            f("1.2", 1, 3, 50),
            f("1.2", 2, 7, 50),
            f("1.2", 2, 5, 10, site=9),  # a site's figure: not added again
            f("2.1", 1, 4, 1000),
            f("2.1", 2, 6, None),  # no population known: left out of the nation's rate
            f("3", 1, 4, 2),
            f("3", 2, 2, 2),
            f("6.5", 1, 1, None),
            f("6.5", 2, 2, None),
        ]
    )
    assert {(n.number, n.numerator, n.denominator, n.value) for n in nation} == {
        ("1.2", 10, 100, 0.1),
        ("2.1", 4, 1000, 0.004),
        ("3", 6, 4, 0.5),
        ("6.5", 3, None, 3),
    }
    assert {(n.operator_id, n.site_id) for n in nation} == {(None, None)}

"""The legal deadline of the first appointment: 30 jours ouvrés after the request (CCTP 3.3),
with the public holidays of the commune's territory."""

from __future__ import annotations

from datetime import date

import pytest

from portal.booking.calendar import (
    add_working_days,
    first_appointment_deadline,
    is_working_day,
    territory_for_insee,
    working_days_between,
)

RENNES, STRASBOURG, METZ, PARIS = "35238", "67482", "57463", "75056"
FORT_DE_FRANCE, POINTE_A_PITRE, AJACCIO = "97209", "97120", "2A004"


@pytest.mark.parametrize(
    ("insee", "code"),
    [
        (RENNES, "metropole"),
        (AJACCIO, "metropole"),
        (STRASBOURG, "alsace-moselle"),
        ("68224", "alsace-moselle"),  # Mulhouse
        (METZ, "alsace-moselle"),
        (FORT_DE_FRANCE, "martinique"),
        (POINTE_A_PITRE, "guadeloupe"),
        ("97302", "guyane"),
        ("97411", "la-reunion"),
        ("97611", "mayotte"),
    ],
)
def test_territory_of_a_commune(insee: str, code: str) -> None:
    assert territory_for_insee(insee).code == code


def test_request_day_is_not_counted() -> None:
    metro = territory_for_insee(PARIS)
    # Monday 2 March 2026: the first working day after it is Tuesday 3 March.
    assert add_working_days(date(2026, 3, 2), 1, metro) == date(2026, 3, 3)
    # Requested on a Saturday: Monday is the first working day.
    assert add_working_days(date(2026, 3, 7), 1, metro) == date(2026, 3, 9)


def test_christmas_and_new_year_in_metropolitan_france() -> None:
    # Friday 19 December 2025; 25 December and 1 January are holidays; 26 December is not.
    assert first_appointment_deadline(date(2025, 12, 19), territory_for_insee(RENNES)) == date(
        2026, 2, 3
    )


def test_alsace_moselle_counts_26_december_as_a_holiday() -> None:
    strasbourg = territory_for_insee(STRASBOURG)
    assert not is_working_day(date(2025, 12, 26), strasbourg)
    assert is_working_day(date(2025, 12, 26), territory_for_insee(RENNES))
    assert first_appointment_deadline(date(2025, 12, 19), strasbourg) == date(2026, 2, 4)


def test_good_friday_in_alsace_moselle() -> None:
    # Requested Friday 20 February 2026: the 30th working day is Good Friday, 3 April —
    # a working day in Paris, a holiday in Metz (then Easter Monday everywhere).
    assert first_appointment_deadline(date(2026, 2, 20), territory_for_insee(PARIS)) == date(
        2026, 4, 3
    )
    assert first_appointment_deadline(date(2026, 2, 20), territory_for_insee(METZ)) == date(
        2026, 4, 7
    )


def test_abolition_of_slavery_day_overseas() -> None:
    # Martinique: 22 May; Guadeloupe: 27 May. Also 1, 8, 14 and 25 May everywhere.
    requested = date(2026, 4, 10)
    assert first_appointment_deadline(requested, territory_for_insee(PARIS)) == date(2026, 5, 28)
    martinique = territory_for_insee(FORT_DE_FRANCE)
    assert not is_working_day(date(2026, 5, 22), martinique)
    assert first_appointment_deadline(requested, martinique) == date(2026, 5, 29)
    guadeloupe = territory_for_insee(POINTE_A_PITRE)
    assert not is_working_day(date(2026, 5, 27), guadeloupe)
    assert first_appointment_deadline(requested, guadeloupe) == date(2026, 5, 29)


def test_working_days_between_is_signed() -> None:
    metro = territory_for_insee(PARIS)
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9), metro) == 5
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2), metro) == -5
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2), metro) == 0

"""How the steering pages write a figure: a small share keeps its significant digits."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.reporting.steering_cells import formatted


@pytest.mark.parametrize(
    ("value", "unit", "fr", "en"),
    [
        (0.0004, "rate", "0,04 %", "0.04 %"),
        (0.00042, "rate", "0,042 %", "0.042 %"),
        (0.0523, "rate", "5,2 %", "5.2 %"),
        (0.8, "rate", "80 %", "80 %"),
        (0.0, "rate", "0 %", "0 %"),
        (-0.005, "change", "-0,5 %", "-0.5 %"),
        (12.25, "days", "12,2", "12.2"),
        (None, "rate", "—", "—"),
    ],
)
def test_a_figure_reads_with_its_significant_digits(
    app: Flask, value: float | None, unit: str, fr: str, en: str
) -> None:
    for lang, expected in (("fr", fr), ("en", en)):
        with app.test_request_context(f"/?lang={lang}"):
            shown = formatted(value, unit).replace("\u202f", " ").replace("\u00a0", " ")
            assert shown == expected

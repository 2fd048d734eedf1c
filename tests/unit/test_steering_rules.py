"""Which figures the steering views flag « sous le seuil » (issue 15 §3): 8.4 by the contract's
rule of 30 jours ouvrés (CCTP 3.3), 8.1 under its 80 % threshold (CCTP 4.3); and the lot's page
reads the sites' figures of exactly those indicators to name the late sites."""

from __future__ import annotations

from portal.reporting.indicators import BY_NUMBER, WITHIN_30
from portal.reporting.steering_tables import Column, below_rule, ruled_numbers


def test_the_ruled_indicators_are_the_delay_and_the_quality() -> None:
    assert ruled_numbers() == ["8.1", "8.4"]


def test_each_rule_flags_the_side_beyond_it() -> None:
    within = Column(BY_NUMBER["8.4"], WITHIN_30)
    assert below_rule(within, 0.9) and not below_rule(within, 1.0)
    mean = Column(BY_NUMBER["8.4"], None)
    assert below_rule(mean, 31.0) and not below_rule(mean, 30.0)
    quality = Column(BY_NUMBER["8.1"], None)
    assert below_rule(quality, 0.79) and not below_rule(quality, 0.8)
    assert not below_rule(quality, None)  # no figure: nothing to flag
    assert not any(below_rule(Column(BY_NUMBER["6.5"], None), v) for v in (0.0, 1e6))

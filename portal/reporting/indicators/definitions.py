"""The indicators of CCTP 4.3, as the contract names and defines them: one `Definition` each
(the entries, in the contract's order: `catalogue`).

The words are the CCTP's (shortened where a table cell repeats itself); `how` says what the
portal counts where the CCTP is silent. 7.1–7.4, 8.3 and 8.5 rest on data the portal does not
hold (staff time, mystery contacts, service-done checks): they carry `missing` and are never
computed — no figure is ever made up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

Unit = Literal["rate", "count", "days", "change"]

ENGAGEMENTS = _l("Engagements")
CLOSURES = _l("Clôtures et facturations")
JOURNEYS = _l("Parcours")
MEANS = _l("Moyens")
QUALITY = _l("Qualité")

ORDERS = _l("Pilotage de la consommation des bons de commande")
RECOURSE = _l("Analyse du recours")
AGREEMENT = _l("Pilotage de l'accord-cadre")
JOURNEY_ANALYSIS = _l("Analyse des parcours")
MEANS_ANALYSIS = _l("Analyse des moyens")

# 8.4 also gives, as category WITHIN_30, the share of first appointments within the legal
# 30 working days (CCTP 3.3); its unit is then a rate (see `unit_of`).
WITHIN_30 = "within_30"


@dataclass(frozen=True, slots=True)
class Definition:
    number: str  # « 1.1 », « 6.5 », « 8.4 »
    family: LazyString
    label: LazyString  # the CCTP's short name
    definition: LazyString  # the CCTP's formula, in words
    periodicity: Literal["month", "semester"]
    unit: Unit  # how to show the value
    needs: tuple[str, ...]  # the data it relies on
    missing: LazyString | None  # what outside data is missing (never computed then)
    threshold: float | None = None  # a value to reach, highlighted by the views
    purpose: LazyString | None = None  # the CCTP's second column
    by_site: bool = False  # meaningful per site (else: per lot only)
    by_category: bool = False  # one figure per category (2.3, 2.4, 8.2)
    how: LazyString | None = None  # what the portal counts, where the CCTP is silent

    @property
    def computed(self) -> bool:
        return self.missing is None


M: Literal["month", "semester"] = "month"
S: Literal["month", "semester"] = "semester"
UOS = ("UO1", "UO2.1", "UO2.2")
Words = Callable[[str], tuple[LazyString, LazyString]]


def one(number: str, label: LazyString, definition: LazyString, **rest: Any) -> Definition:
    rest.setdefault("missing", None)
    return Definition(number=number, label=label, definition=definition, **rest)


def series(numbers: str, uos: tuple[str, ...], words: Words, **rest: Any) -> list[Definition]:
    """One definition per unit of work, numbered « 4.1 », « 4.2 »… from `numbers` (« 4.1 »)."""
    family, first = numbers.split(".")
    return [one(f"{family}.{int(first) + i}", *words(uo), **rest) for i, uo in enumerate(uos)]

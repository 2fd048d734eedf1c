"""Every indicator of CCTP 4.3, in the contract's order (6.x–8.x: `catalogue_quality`), and
how to show each figure. The indicators that differ only by their unit of work (UO0, UO1,
UO2.1, UO2.2) are written once, as a series."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.reporting.indicators.catalogue_quality import JOURNEYS_AND_QUALITY
from portal.reporting.indicators.definitions import (
    AGREEMENT,
    CLOSURES,
    ENGAGEMENTS,
    ORDERS,
    RECOURSE,
    UOS,
    WITHIN_30,
    Definition,
    M,
    Unit,
    one,
    series,
)

ORDERED = ("purchase_orders",)
ORDER_HOW = _l(
    "Cumul de l'année jusqu'à la fin de la période, rapporté aux quantités des bons de "
    "commande de l'année émis à cette date."
)
ALL_ORDERS_HOW = _l(
    "Cumul depuis le premier bon de commande jusqu'à la fin de la période, rapporté aux "
    "quantités de tous les bons de commande émis à cette date."
)

# What the indicators of each family share.
RECOURSE_RATE: dict[str, Any] = {
    "family": ENGAGEMENTS,
    "periodicity": M,
    "unit": "rate",
    "purpose": RECOURSE,
}
CLOSING: dict[str, Any] = {
    "family": CLOSURES,
    "periodicity": M,
    "unit": "rate",
    "needs": ("units", "orientation_contacts", *ORDERED),
}

DEFINITIONS: tuple[Definition, ...] = (
    *series(
        "1.1",
        ("UO0", *UOS),
        lambda uo: (
            _l("Engagements %(uo)s", uo=uo),
            _l(
                "Actifs reçus ou engagés en %(uo)s / actifs ciblés par le bon de commande en cours",
                uo=uo,
            ),
        ),
        family=ENGAGEMENTS,
        periodicity=M,
        unit="rate",
        needs=("units", "orientation_contacts", *ORDERED),
        purpose=ORDERS,
        how=ORDER_HOW,
    ),
    one(
        "2.1",
        _l("Taux de recours au service SPRO"),
        _l("Actifs reçus en UO0 / population active régionale"),
        needs=("orientation_contacts", "population_active"),
        **RECOURSE_RATE,
    ),
    one(
        "2.2",
        _l("Taux de recours au CEP"),
        _l(
            "Engagements en CEP (UO1 + UO2) / population « CEP » régionale (actifs en emploi "
            "moins les cadres, sauf DOM hors Martinique, et les agents publics)"
        ),
        needs=("units", "population_cep"),
        **RECOURSE_RATE,
    ),
    *series(
        "2.3",
        ("CS", "statut"),
        lambda which: (
            (
                _l("Taux de recours au CEP selon la catégorie sociale"),
                _l("Bénéficiaires par catégorie sociale / population « CEP » régionale"),
            )
            if which == "CS"
            else (
                _l("Taux de recours au CEP selon le statut"),
                _l("Bénéficiaires par statut / population « CEP » régionale"),
            )
        ),
        needs=("units", "profile", "population_cep"),
        **RECOURSE_RATE,
        by_category=True,
        how=_l(
            "Bénéficiaires engagés en UO1 ou UO2 dans la période, selon leur profil (« "
            "non_renseigne » : profil sans cette donnée)."
        ),
    ),
    one(
        "3",
        _l("Développement du recours"),
        _l(
            "Évolution des actifs engagés en UO1 + UO2 par rapport au même mois de l'année "
            "précédente"
        ),
        family=ENGAGEMENTS,
        periodicity=M,
        unit="change",
        needs=("units",),
        purpose=RECOURSE,
        by_site=True,
    ),
    *series(
        "4.1",
        ("UO0", *UOS),
        lambda uo: (
            _l("Clôture et facturation %(uo)s (BC en cours)", uo=uo),
            _l(
                "Actifs ayant clôturé l'%(uo)s (et donnant lieu à facturation) / actifs ciblés "
                "par le bon de commande en cours",
                uo=uo,
            ),
        ),
        **CLOSING,
        purpose=ORDERS,
        how=_l(
            "Cumul de l'année jusqu'à la fin de la période, rapporté aux bons de commande de "
            "l'année émis à cette date ; une UO0 est facturable quand elle a un numéro, une UO1 "
            "ou UO2 quelle que soit sa clôture."
        ),
    ),
    *series(
        "5.1",
        ("UO0", *UOS),
        lambda uo: (
            _l("Clôture et facturation %(uo)s (tous BC)", uo=uo),
            _l(
                "Actifs ayant clôturé l'%(uo)s (et donnant lieu à facturation) / actifs ciblés "
                "par l'ensemble des bons de commande émis depuis la notification de "
                "l'accord-cadre",
                uo=uo,
            ),
        ),
        **CLOSING,
        purpose=AGREEMENT,
        how=ALL_ORDERS_HOW,
    ),
    *JOURNEYS_AND_QUALITY,
)
BY_NUMBER: dict[str, Definition] = {d.number: d for d in DEFINITIONS}


def unit_of(number: str, category: str | None) -> Unit:
    """The unit of a figure: its definition's, but a rate for 8.4's « within 30 days »."""
    if number == "8.4" and category == WITHIN_30:
        return "rate"
    return BY_NUMBER[number].unit

"""CCTP 4.3, indicators 1.x to 5.x: engagements, recourse, closures and billing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.reporting.indicators.definitions import (
    AGREEMENT,
    CLOSURES,
    ENGAGEMENTS,
    ORDERS,
    RECOURSE,
    Definition,
    M,
    _def,
)

_ORDERS = ("purchase_orders",)
_ORDER_HOW = _l(
    "Cumul de l'année jusqu'à la fin de la période, rapporté aux quantités des bons de "
    "commande de l'année émis à cette date."
)
_ALL_ORDERS_HOW = _l(
    "Cumul depuis le premier bon de commande jusqu'à la fin de la période, rapporté aux "
    "quantités de tous les bons de commande émis à cette date."
)

COUNTS: tuple[Definition, ...] = (
    _def(
        "1.1",
        ENGAGEMENTS,
        _l("Engagements UO0"),
        _l("Actifs reçus en UO0 / actifs ciblés par le bon de commande en cours"),
        M,
        "rate",
        ("orientation_contacts", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "1.2",
        ENGAGEMENTS,
        _l("Engagements UO1"),
        _l("Actifs engagés en UO1 / actifs ciblés par le bon de commande en cours"),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "1.3",
        ENGAGEMENTS,
        _l("Engagements UO2.1"),
        _l("Actifs engagés en UO2.1 / actifs ciblés par le bon de commande en cours"),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "1.4",
        ENGAGEMENTS,
        _l("Engagements UO2.2"),
        _l("Actifs engagés en UO2.2 / actifs ciblés par le bon de commande en cours"),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "2.1",
        ENGAGEMENTS,
        _l("Taux de recours au service SPRO"),
        _l("Actifs reçus en UO0 / population active régionale"),
        M,
        "rate",
        ("orientation_contacts", "population_active"),
        purpose=RECOURSE,
    ),
    _def(
        "2.2",
        ENGAGEMENTS,
        _l("Taux de recours au CEP"),
        _l(
            "Engagements en CEP (UO1 + UO2) / population « CEP » régionale (actifs en emploi "
            "moins les cadres, sauf DOM hors Martinique, et les agents publics)"
        ),
        M,
        "rate",
        ("units", "population_cep"),
        purpose=RECOURSE,
    ),
    _def(
        "2.3",
        ENGAGEMENTS,
        _l("Taux de recours au CEP selon la catégorie sociale"),
        _l("Bénéficiaires par catégorie sociale / population « CEP » régionale"),
        M,
        "rate",
        ("units", "profile", "population_cep"),
        purpose=RECOURSE,
        by_category=True,
        how=_l(
            "Bénéficiaires engagés en UO1 ou UO2 dans la période, selon la catégorie "
            "sociale de leur profil (« non renseignée » à part)."
        ),
    ),
    _def(
        "2.4",
        ENGAGEMENTS,
        _l("Taux de recours au CEP selon le statut"),
        _l("Bénéficiaires par statut / population « CEP » régionale"),
        M,
        "rate",
        ("units", "profile", "population_cep"),
        purpose=RECOURSE,
        by_category=True,
        how=_l(
            "Bénéficiaires engagés en UO1 ou UO2 dans la période, selon le statut de "
            "leur profil (« non renseigné » à part)."
        ),
    ),
    _def(
        "3",
        ENGAGEMENTS,
        _l("Développement du recours"),
        _l(
            "Évolution des actifs engagés en UO1 + UO2 par rapport au même mois de l'année "
            "précédente"
        ),
        M,
        "change",
        ("units",),
        purpose=RECOURSE,
        by_site=True,
    ),
    _def(
        "4.1",
        CLOSURES,
        _l("Clôture et facturation UO0 (BC en cours)"),
        _l(
            "Actifs ayant clôturé l'UO0 (et donnant lieu à facturation) / actifs ciblés par "
            "le bon de commande en cours"
        ),
        M,
        "rate",
        ("orientation_contacts", *_ORDERS),
        purpose=ORDERS,
        how=_l(
            "Contacts UO0 numérotés (facturables) de l'année, cumulés jusqu'à la fin de "
            "la période, rapportés aux quantités des bons de commande UO0 de l'année."
        ),
    ),
    _def(
        "4.2",
        CLOSURES,
        _l("Clôture et facturation UO1 (BC en cours)"),
        _l(
            "Actifs ayant clôturé l'UO1 (et donnant lieu à facturation) / actifs ciblés par "
            "le bon de commande en cours"
        ),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "4.3",
        CLOSURES,
        _l("Clôture UO2.1 (BC en cours)"),
        _l(
            "Actifs ayant clôturé l'UO2.1 (et donnant lieu à facturation) / actifs ciblés par "
            "le bon de commande en cours"
        ),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "4.4",
        CLOSURES,
        _l("Clôture UO2.2 (BC en cours)"),
        _l(
            "Actifs ayant clôturé l'UO2.2 (et donnant lieu à facturation) / actifs ciblés par "
            "le bon de commande en cours"
        ),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=ORDERS,
        how=_ORDER_HOW,
    ),
    _def(
        "5.1",
        CLOSURES,
        _l("Clôture et facturation UO0 (tous BC)"),
        _l(
            "Actifs ayant clôturé l'UO0 (et donnant lieu à facturation) / actifs ciblés par "
            "l'ensemble des bons de commande émis depuis la notification de l'accord-cadre"
        ),
        M,
        "rate",
        ("orientation_contacts", *_ORDERS),
        purpose=AGREEMENT,
        how=_ALL_ORDERS_HOW,
    ),
    _def(
        "5.2",
        CLOSURES,
        _l("Clôture et facturation UO1 (tous BC)"),
        _l(
            "Actifs ayant clôturé l'UO1 (et donnant lieu à facturation) / actifs ciblés par "
            "l'ensemble des bons de commande émis depuis la notification de l'accord-cadre"
        ),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=AGREEMENT,
        how=_ALL_ORDERS_HOW,
    ),
    _def(
        "5.3",
        CLOSURES,
        _l("Clôture et facturation UO2.1 (tous BC)"),
        _l(
            "Actifs ayant clôturé l'UO2.1 (et donnant lieu à facturation) / actifs ciblés par "
            "l'ensemble des bons de commande émis depuis la notification de l'accord-cadre"
        ),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=AGREEMENT,
        how=_ALL_ORDERS_HOW,
    ),
    _def(
        "5.4",
        CLOSURES,
        _l("Clôture et facturation UO2.2 (tous BC)"),
        _l(
            "Actifs ayant clôturé l'UO2.2 (et donnant lieu à facturation) / actifs ciblés par "
            "l'ensemble des bons de commande émis depuis la notification de l'accord-cadre"
        ),
        M,
        "rate",
        ("units", *_ORDERS),
        purpose=AGREEMENT,
        how=_ALL_ORDERS_HOW,
    ),
)

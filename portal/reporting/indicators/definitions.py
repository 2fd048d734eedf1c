"""The indicators of CCTP 4.3, as the contract names and defines them: one `Definition` each.

The words are the CCTP's (shortened where a table cell repeats itself); `how` says what the
portal counts where the CCTP is silent. 7.1–7.4, 8.3 and 8.5 rest on data the portal does not
hold (staff time, mystery contacts, service-done checks): they carry `missing` and are never
computed — no figure is ever made up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


def unit_of(number: str, category: str | None) -> Unit:
    """The unit of a figure: its definition's, but a rate for 8.4's « within 30 days »."""
    if number == "8.4" and category == WITHIN_30:
        return "rate"
    return BY_NUMBER[number].unit


_ORDER_HOW = _l(
    "Cumul de l'année jusqu'à la fin de la période, rapporté aux quantités des bons de "
    "commande de l'année émis à cette date."
)
_ALL_ORDERS_HOW = _l(
    "Cumul depuis le premier bon de commande jusqu'à la fin de la période, rapporté aux "
    "quantités de tous les bons de commande émis à cette date."
)
_NO_STAFF_TIME = _l(
    "Les ETP mobilisés par unité d'œuvre ne sont pas saisis dans le portail : l'indicateur "
    "attend les déclarations du titulaire."
)


M: Literal["month", "semester"] = "month"
S: Literal["month", "semester"] = "semester"
_ORDERS = ("purchase_orders",)


def _def(
    number: str,
    family: LazyString,
    label: LazyString,
    definition: LazyString,
    periodicity: Literal["month", "semester"],
    unit: Unit,
    needs: tuple[str, ...],
    missing: LazyString | None = None,
    **extra: object,
) -> Definition:
    return Definition(number, family, label, definition, periodicity, unit, needs, missing, **extra)  # type: ignore[arg-type]


DEFINITIONS: tuple[Definition, ...] = (
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
    _def(
        "6.1",
        JOURNEYS,
        _l("Ingénierie de parcours"),
        _l(
            "Part des UO2 clôturées au cours desquelles le bénéficiaire a mobilisé une "
            "prestation complémentaire"
        ),
        M,
        "rate",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "6.2",
        JOURNEYS,
        _l("Délais UO1"),
        _l("Délai moyen de réalisation de l'UO1 entre engagement et clôture volontaire"),
        M,
        "days",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
        how=_l(
            "Jours calendaires, sur les UO clôturées dans la période à la demande ou avec "
            "la signature de la personne (les abandons exclus)."
        ),
    ),
    _def(
        "6.3",
        JOURNEYS,
        _l("Délais UO2.1"),
        _l("Délai moyen de réalisation de l'UO2.1 entre engagement et clôture volontaire"),
        M,
        "days",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "6.4",
        JOURNEYS,
        _l("Délais UO2.2"),
        _l("Délai moyen de réalisation de l'UO2.2 entre engagement et clôture volontaire"),
        M,
        "days",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "6.5",
        JOURNEYS,
        _l("Abandons UO1"),
        _l(
            "UO1 clôturées à la fin du délai de réalisation imparti sans l'accord de la "
            "personne (abandons)"
        ),
        M,
        "count",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "6.6",
        JOURNEYS,
        _l("Abandons UO2.1"),
        _l(
            "UO2.1 clôturées à la fin du délai de réalisation imparti sans l'accord de la "
            "personne (abandons)"
        ),
        M,
        "count",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "6.7",
        JOURNEYS,
        _l("Abandons UO2.2"),
        _l(
            "UO2.2 clôturées à la fin du délai de réalisation imparti sans l'accord de la "
            "personne (abandons)"
        ),
        M,
        "count",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "6.8",
        JOURNEYS,
        _l("Ré-engagements quasi-immédiats"),
        _l(
            "Part des bénéficiaires ayant clos une UO2 qui se réengagent dans les trois mois "
            "qui suivent la clôture"
        ),
        M,
        "rate",
        ("units",),
        purpose=JOURNEY_ANALYSIS,
        by_site=True,
    ),
    _def(
        "7.1",
        MEANS,
        _l("Temps moyen homme UO0"),
        _l("UO0 facturées / ETP mobilisés pour la réalisation de l'UO0"),
        S,
        "rate",
        ("staff_time",),
        _NO_STAFF_TIME,
        purpose=MEANS_ANALYSIS,
    ),
    _def(
        "7.2",
        MEANS,
        _l("Temps moyen homme UO1"),
        _l("UO1 facturées / ETP mobilisés pour la réalisation de l'UO1"),
        S,
        "rate",
        ("staff_time",),
        _NO_STAFF_TIME,
        purpose=MEANS_ANALYSIS,
    ),
    _def(
        "7.3",
        MEANS,
        _l("Temps moyen homme UO2.1"),
        _l("UO2.1 facturées / ETP mobilisés pour la réalisation de l'UO2.1"),
        S,
        "rate",
        ("staff_time",),
        _NO_STAFF_TIME,
        purpose=MEANS_ANALYSIS,
    ),
    _def(
        "7.4",
        MEANS,
        _l("Temps moyen homme UO2.2"),
        _l("UO2.2 facturées / ETP mobilisés pour la réalisation de l'UO2.2"),
        S,
        "rate",
        ("staff_time",),
        _NO_STAFF_TIME,
        purpose=MEANS_ANALYSIS,
    ),
    _def(
        "8.1",
        QUALITY,
        _l("Qualité et utilité perçues"),
        _l(
            "Part des bénéficiaires déclarant que le service rendu a été de qualité et utile "
            "(questionnaires adressés à la clôture des UO1, 2.1 et 2.2)"
        ),
        S,
        "rate",
        ("surveys",),
        threshold=0.8,
        purpose=AGREEMENT,
    ),
    _def(
        "8.2",
        QUALITY,
        _l("Diversité des services"),
        _l("Part de mobilisation de chaque type de service (table de référence de l'annexe 2)"),
        S,
        "rate",
        ("units",),
        purpose=AGREEMENT,
        by_site=True,
        by_category=True,
        how=_l(
            "Parmi les UO2 clôturées dans la période, part de celles où chaque type de "
            "service a été mobilisé (une UO peut en mobiliser plusieurs)."
        ),
    ),
    _def(
        "8.3",
        QUALITY,
        _l("Qualité accueil aiguillage"),
        _l("Part de contacts mystères estimant que le service rendu à l'UO0 a été de qualité"),
        S,
        "rate",
        ("mystery_contacts",),
        _l(
            "Les contacts mystères sont menés hors du portail : leurs résultats n'y sont pas "
            "saisis."
        ),
        purpose=AGREEMENT,
    ),
    _def(
        "8.4",
        QUALITY,
        _l("Délais de 1er rendez-vous"),
        _l(
            "Délai entre le contact UO0 ou la demande de rendez-vous en ligne et le premier "
            "rendez-vous"
        ),
        S,
        "days",
        ("appointments",),
        purpose=AGREEMENT,
        by_site=True,
        how=_l(
            "Moyenne en jours ouvrés du territoire, le jour de la demande non compté, "
            "sur les demandes de la période ayant un premier rendez-vous ; la catégorie "
            "« within_30 » donne la part tenue dans les 30 jours ouvrés."
        ),
    ),
    _def(
        "8.5",
        QUALITY,
        _l("Qualité des livrables"),
        _l(
            "Part de livrables par UO jugés conformes sur l'échantillon contrôlé au titre du "
            "service fait"
        ),
        S,
        "rate",
        ("service_done_checks",),
        _l(
            "Le contrôle de service fait est mené par France compétences hors du portail : "
            "ses résultats n'y sont pas saisis."
        ),
        purpose=AGREEMENT,
    ),
    _def(
        "8.6",
        QUALITY,
        _l("Taux d'auto-prescription"),
        _l(
            "Prestations complémentaires mobilisées auprès du titulaire / totalité des "
            "prestations complémentaires mobilisées"
        ),
        S,
        "rate",
        ("units",),
        purpose=AGREEMENT,
        by_site=True,
        how=_l(
            "Parmi les UO clôturées dans la période ayant au moins une prestation "
            "complémentaire, part de celles où elle a été mobilisée auprès du titulaire."
        ),
    ),
    _def(
        "8.7",
        QUALITY,
        _l("Gestion des réclamations"),
        _l(
            "Réclamations auprès du titulaire suivies d'une réclamation auprès du médiateur "
            "de France compétences / réclamations auprès du titulaire"
        ),
        S,
        "rate",
        ("complaints",),
        purpose=AGREEMENT,
    ),
)

BY_NUMBER: dict[str, Definition] = {d.number: d for d in DEFINITIONS}

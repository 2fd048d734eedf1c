"""CCTP 4.3, indicators 6.x to 8.x: journeys, means and quality (see `catalogue`)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.reporting.indicators.definitions import (
    AGREEMENT,
    JOURNEY_ANALYSIS,
    JOURNEYS,
    MEANS,
    MEANS_ANALYSIS,
    QUALITY,
    UOS,
    Definition,
    M,
    S,
    one,
    series,
)

NO_STAFF_TIME = _l(
    "Les ETP mobilisés par unité d'œuvre ne sont pas saisis dans le portail : l'indicateur "
    "attend les déclarations du titulaire."
)

# What the indicators of each family share.
JOURNEY: dict[str, Any] = {
    "family": JOURNEYS,
    "periodicity": M,
    "needs": ("units",),
    "purpose": JOURNEY_ANALYSIS,
    "by_site": True,
}
STEERING: dict[str, Any] = {"family": QUALITY, "periodicity": S, "purpose": AGREEMENT}

JOURNEYS_AND_QUALITY: tuple[Definition, ...] = (
    one(
        "6.1",
        _l("Ingénierie de parcours"),
        _l(
            "Part des UO2 clôturées au cours desquelles le bénéficiaire a mobilisé une prestation "
            "complémentaire"
        ),
        unit="rate",
        **JOURNEY,
    ),
    *series(
        "6.2",
        UOS,
        lambda uo: (
            _l("Délais %(uo)s", uo=uo),
            _l(
                "Délai moyen de réalisation de l'%(uo)s entre engagement et clôture volontaire",
                uo=uo,
            ),
        ),
        unit="days",
        **JOURNEY,
        how=_l(
            "Jours calendaires, sur les UO clôturées dans la période à la demande ou avec la "
            "signature de la personne (les abandons exclus)."
        ),
    ),
    *series(
        "6.5",
        UOS,
        lambda uo: (
            _l("Abandons %(uo)s", uo=uo),
            _l(
                "%(uo)s clôturées à la fin du délai de réalisation imparti sans l'accord de la "
                "personne (abandons)",
                uo=uo,
            ),
        ),
        unit="count",
        **JOURNEY,
    ),
    one(
        "6.8",
        _l("Ré-engagements quasi-immédiats"),
        _l(
            "Part des bénéficiaires ayant clos une UO2 qui se réengagent dans les trois mois qui "
            "suivent la clôture"
        ),
        unit="rate",
        **JOURNEY,
    ),
    *series(
        "7.1",
        ("UO0", *UOS),
        lambda uo: (
            _l("Temps moyen homme %(uo)s", uo=uo),
            _l("%(uo)s facturées / ETP mobilisés pour la réalisation de l'%(uo)s", uo=uo),
        ),
        family=MEANS,
        periodicity=S,
        unit="rate",
        needs=("staff_time",),
        missing=NO_STAFF_TIME,
        purpose=MEANS_ANALYSIS,
    ),
    one(
        "8.1",
        _l("Qualité et utilité perçues"),
        _l(
            "Part des bénéficiaires déclarant que le service rendu a été de qualité et utile "
            "(questionnaires adressés à la clôture des UO1, 2.1 et 2.2)"
        ),
        unit="rate",
        needs=("surveys",),
        threshold=0.8,
        **STEERING,
    ),
    one(
        "8.2",
        _l("Diversité des services"),
        _l("Part de mobilisation de chaque type de service (table de référence de l'annexe 2)"),
        unit="rate",
        needs=("units",),
        **STEERING,
        by_site=True,
        by_category=True,
        how=_l(
            "Parmi les UO2 clôturées dans la période, part de celles où chaque type de service a "
            "été mobilisé (une UO peut en mobiliser plusieurs)."
        ),
    ),
    one(
        "8.3",
        _l("Qualité accueil aiguillage"),
        _l("Part de contacts mystères estimant que le service rendu à l'UO0 a été de qualité"),
        unit="rate",
        needs=("mystery_contacts",),
        **STEERING,
        missing=_l(
            "Les contacts mystères sont menés hors du portail : leurs résultats n'y sont pas "
            "saisis."
        ),
    ),
    one(
        "8.4",
        _l("Délais de 1er rendez-vous"),
        _l(
            "Délai entre le contact UO0 ou la demande de rendez-vous en ligne et le premier "
            "rendez-vous"
        ),
        unit="days",
        needs=("appointments",),
        **STEERING,
        by_site=True,
        how=_l(
            "Moyenne en jours ouvrés du territoire, le jour de la demande non compté, sur les "
            "demandes de la période ayant un premier rendez-vous ; la catégorie « within_30 » "
            "donne la part tenue dans les 30 jours ouvrés."
        ),
    ),
    one(
        "8.5",
        _l("Qualité des livrables"),
        _l(
            "Part de livrables par UO jugés conformes sur l'échantillon contrôlé au titre du "
            "service fait"
        ),
        unit="rate",
        needs=("service_done_checks",),
        **STEERING,
        missing=_l(
            "Le contrôle de service fait est mené par France compétences hors du portail : ses "
            "résultats n'y sont pas saisis."
        ),
    ),
    one(
        "8.6",
        _l("Taux d'auto-prescription"),
        _l(
            "Prestations complémentaires mobilisées auprès du titulaire / totalité des "
            "prestations complémentaires mobilisées"
        ),
        unit="rate",
        needs=("units",),
        **STEERING,
        by_site=True,
        how=_l(
            "Parmi les UO clôturées dans la période ayant au moins une prestation complémentaire, "
            "part de celles où elle a été mobilisée auprès du titulaire."
        ),
    ),
    one(
        "8.7",
        _l("Gestion des réclamations"),
        _l(
            "Réclamations auprès du titulaire suivies d'une réclamation auprès du médiateur de "
            "France compétences / réclamations auprès du titulaire"
        ),
        unit="rate",
        needs=("complaints",),
        **STEERING,
    ),
)

"""CCTP 4.3, indicators 6.x to 8.x: journeys, means and quality."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.reporting.indicators.definitions import (
    AGREEMENT,
    JOURNEY_ANALYSIS,
    JOURNEYS,
    MEANS,
    MEANS_ANALYSIS,
    QUALITY,
    Definition,
    M,
    S,
    _def,
)

_NO_STAFF_TIME = _l(
    "Les ETP mobilisés par unité d'œuvre ne sont pas saisis dans le portail : l'indicateur "
    "attend les déclarations du titulaire."
)

JOURNEYS_AND_QUALITY: tuple[Definition, ...] = (
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

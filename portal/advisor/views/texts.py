"""Words of the advisor's screens: why a transition was refused, the Annex 2 field names,
and the labels of units, consents, closures and appointment statuses.

Every `UnitErrorCode` has a sentence here (a test checks it), so that no refusal reaches a
person as a code.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.advisor.errors import UnitError, UnitErrorCode
from portal.advisor.models import ClosureKind, ConsentMode, UnitKind
from portal.advisor.rules import DELAY_MONTHS
from portal.booking.models import AppointmentStatus

ERROR_MESSAGES = {
    UnitErrorCode.APPOINTMENT_NOT_BOOKED: _l(
        "Ce rendez-vous a déjà été renseigné, déplacé ou annulé : il ne peut plus être marqué "
        "tenu ou absent."
    ),
    UnitErrorCode.APPOINTMENT_IN_FUTURE: _l(
        "Ce rendez-vous n'a pas encore commencé : il ne peut pas être marqué tenu ou absent."
    ),
    UnitErrorCode.DOSSIER_HAS_UNITS: _l(
        "Une UO1 ne peut qu'ouvrir un dossier : ce dossier a déjà une unité."
    ),
    UnitErrorCode.OPEN_UNIT: _l(
        "Une unité est déjà ouverte dans ce dossier : elle doit être clôturée avant d'en "
        "engager une autre."
    ),
    UnitErrorCode.UO21_NEEDS_SIGNED_UO1: _l(
        "Après une UO1, l'UO2.1 ne peut être engagée qu'une fois l'état des lieux partagé signé."
    ),
    UnitErrorCode.UO22_NEEDS_SIGNED_UO21: _l(
        "L'UO2.2 ne peut être engagée qu'après une UO2.1 clôturée par la signature du projet "
        "professionnel."
    ),
    UnitErrorCode.UO22_PAST_DEADLINE: _l(
        "Les %(months)d mois comptés depuis l'engagement de l'UO2.1 sont écoulés : l'UO2.2 ne "
        "peut plus être engagée.",
        months=DELAY_MONTHS[UnitKind.UO22],
    ),
    UnitErrorCode.DATE_IN_FUTURE: _l("Cette date ne peut pas être dans le futur."),
    UnitErrorCode.DATE_BEFORE_START: _l(
        "Cette date est trop ancienne : elle précède l'ouverture du dossier, la clôture de "
        "l'unité précédente, le consentement ou l'engagement de l'unité."
    ),
    UnitErrorCode.DATE_AFTER_DEADLINE: _l("Cette date est postérieure à l'échéance de l'unité."),
    UnitErrorCode.NO_PURCHASE_ORDER: _l(
        "Aucun bon de commande n'est disponible pour cette unité et cette année : prévenez "
        "votre responsable, qui enregistre les bons de commande."
    ),
    UnitErrorCode.MISSING_FIELDS: _l("Cette information est obligatoire."),
    UnitErrorCode.UNKNOWN_CODE: _l(
        "Cette valeur n'est pas dans la table de référence, ne correspond pas au motif choisi, "
        "ou « Aucune » est cochée avec une autre valeur."
    ),
    UnitErrorCode.UNIT_CLOSED: _l("Cette unité est clôturée : elle ne peut plus être modifiée."),
    UnitErrorCode.WRONG_UNIT: _l("Cette clôture n'est pas possible pour ce type d'unité."),
    UnitErrorCode.NOT_VOLUNTARY_REASON: _l("Choisissez un motif de clôture volontaire."),
    UnitErrorCode.REFERENT_NOT_ADVISOR: _l(
        "Le référent unique doit être un conseiller actif de l'opérateur."
    ),
}


def error_message(error: UnitError) -> str:
    return str(ERROR_MESSAGES[error.code])


# Annex 2, section 2: the names of the unit fields, as the advisor reads them.
FIELD_LABELS = {
    "origine": _l("Origine de la démarche"),
    "motif": _l("Motif de sollicitation"),
    "motif_detaille": _l("Motif de sollicitation détaillé"),
    "types_service": _l("Types de service mobilisés"),
    "prestations": _l("Prestations complémentaires"),
    "auto_prescription": _l(
        "Prestation complémentaire réalisée par l'opérateur (« auto-prescription »)"
    ),
    "financements": _l("Financements de formation mobilisés"),
    "decouvertes": _l("Découvertes métiers, formation en situation de travail ou expériences"),
    "projet_cpir": _l("Projet de reconversion déposé à la CPIR (dispositif démissionnaire)"),
    "description_service": _l("Description du service rendu"),
    "etat_projet": _l("État du projet à la clôture"),
    "motif_cloture": _l("Motif de clôture"),
}

KIND_TITLES = {
    UnitKind.UO1: _l("Premier niveau de conseil personnalisé"),
    UnitKind.UO21: _l("Appui à la formalisation du projet professionnel"),
    UnitKind.UO22: _l("Appui à la mise en œuvre du projet professionnel"),
}

# The delay, as the engagement form states it (CCTP 1.2.6, figures from rules.DELAY_MONTHS).
KIND_DELAYS = {
    UnitKind.UO1: _l(
        "%(months)d mois à compter de l'engagement", months=DELAY_MONTHS[UnitKind.UO1]
    ),
    UnitKind.UO21: _l(
        "%(months)d mois à compter de l'engagement", months=DELAY_MONTHS[UnitKind.UO21]
    ),
    UnitKind.UO22: _l(
        "jusqu'à %(months)d mois après l'engagement de l'UO2.1", months=DELAY_MONTHS[UnitKind.UO22]
    ),
}

LIVRABLE_TITLES = {
    UnitKind.UO1: _l("État des lieux partagé"),
    UnitKind.UO21: _l("Projet professionnel"),
}

CONSENT_LABELS = {
    ConsentMode.ORAL: _l("Oralement, au cours d'un échange"),
    ConsentMode.WRITTEN: _l("Par écrit (formulaire ou courrier signé)"),
    ConsentMode.EMAIL: _l("Par e-mail"),
    ConsentMode.ONLINE: _l("Depuis son espace personnel"),
}

CLOSURE_LABELS = {
    ClosureKind.SIGNED: _l("Clôturée par la signature du livrable"),
    ClosureKind.REQUESTED: _l("Clôturée sur demande écrite du bénéficiaire"),
    ClosureKind.ABANDON: _l("Clôturée automatiquement en fin de délai (abandon)"),
}

APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.BOOKED: _l("réservé"),
    AppointmentStatus.HELD: _l("tenu"),
    AppointmentStatus.MISSED: _l("absent"),
    AppointmentStatus.MOVED: _l("déplacé"),
    AppointmentStatus.CANCELLED: _l("annulé"),
}

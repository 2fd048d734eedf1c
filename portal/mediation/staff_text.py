"""The words of the operator's complaint screens: each refusal of the core, said to staff."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.rules import ClockKind

Code = ComplaintErrorCode

REFUSALS: dict[ComplaintErrorCode, LazyString] = {
    Code.MISSING_FIELDS: _l("Des informations manquent : complétez les champs signalés."),
    Code.UNKNOWN_MOTIVE: _l("Ce motif n'existe pas : choisissez-en un dans la liste."),
    Code.RECEIVED_IN_FUTURE: _l(
        "La date de réception ne peut pas être dans le futur : indiquez le jour où la "
        "réclamation est arrivée."
    ),
    Code.ONLINE_IS_FILED: _l(
        "Une réclamation en ligne est déposée par la personne elle-même sur le portail."
    ),
    Code.WRONG_OPERATOR: _l("Cette réclamation relève d'un autre opérateur."),
    Code.DOSSIER_MISMATCH: _l("Ce dossier n'est pas celui de cette personne chez vous."),
    Code.ALREADY_ACKNOWLEDGED: _l("La réception de cette réclamation est déjà accusée."),
    Code.ALREADY_ANSWERED: _l(
        "Cette réclamation a déjà sa réponse ; écrivez un message si vous avez à compléter."
    ),
    Code.NOT_ANSWERED: _l("Une réclamation se clôt une fois qu'elle a reçu sa réponse."),
    Code.COMPLAINT_CLOSED: _l("Cette réclamation est close : elle ne peut plus changer."),
    Code.EMPTY_TEXT: _l("Le texte est vide : écrivez-le avant d'envoyer."),
    Code.ATTACHMENT_EMPTY: _l("Le fichier est vide."),
    Code.ATTACHMENT_TOO_LARGE: _l("Le fichier est trop lourd (10 Mo au plus)."),
    Code.ATTACHMENT_TYPE: _l(
        "Ce fichier n'est ni un PDF, ni une image JPEG ou PNG, quel que soit son nom."
    ),
    Code.ATTACHMENT_DAMAGED: _l("Ce fichier ne s'ouvre pas : il est peut-être abîmé."),
    Code.TOO_MANY_ATTACHMENTS: _l(
        "Cette réclamation a déjà toutes ses pièces jointes (5 au plus)."
    ),
}

DEFAULT_REFUSAL = _l("Cette action n'est pas possible sur cette réclamation.")

# The name of each clock in the queue and on the complaint page.
CLOCK_LABELS = {
    ClockKind.ACKNOWLEDGE: _l("Accusé de réception"),
    ClockKind.ANSWER: _l("Réponse"),
}


def refusal(error: ComplaintError) -> str:
    return str(REFUSALS.get(error.code, DEFAULT_REFUSAL))


__all__ = ["CLOCK_LABELS", "REFUSALS", "refusal"]

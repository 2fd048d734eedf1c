"""The words of the dossier access screens: the refusals of the core said to the mediator and
to the operator, and what a read was, said to the person and to the mediator."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.audit.models import ReadWhat
from portal.mediation.errors import ComplaintError, ComplaintErrorCode

Code = ComplaintErrorCode

REFUSALS: dict[ComplaintErrorCode, LazyString] = {
    Code.NOT_ADMISSIBLE: _l(
        "L'accès au dossier se demande une fois la saisine déclarée recevable."
    ),
    Code.ALREADY_REQUESTED: _l("L'accès à ce dossier est déjà demandé."),
    Code.REFERRAL_CLOSED: _l("Cette saisine est close : l'accès au dossier ne change plus."),
    Code.ACCESS_NOT_REQUESTED: _l("Le médiateur n'a pas demandé l'accès à ce dossier."),
    Code.ALREADY_GRANTED: _l("L'accès à ce dossier est déjà accordé au médiateur."),
    Code.WRONG_OPERATOR: _l("Cette saisine relève d'un autre opérateur."),
}
DEFAULT_REFUSAL = _l("Cette action n'est pas possible sur cette saisine.")
NO_DOSSIER = _l(
    "Cette saisine n'est liée à aucun dossier d'accompagnement : il n'y a pas de dossier à "
    "demander."
)
NO_REFERRAL = _l("Cette réclamation n'a pas de saisine du médiateur en cours.")

# What the person reads in their space: « … a consulté votre dossier : <what> ».
READ_LABELS_FOR_PERSON = {
    ReadWhat.DOSSIER: _l("votre dossier (accompagnements, rendez-vous et documents)"),
    ReadWhat.LIVRABLE_PDF: _l("un document de votre accompagnement (PDF)"),
}
# What the mediator reads in their own list.
READ_LABELS = {
    ReadWhat.DOSSIER: _l("Page du dossier"),
    ReadWhat.LIVRABLE_PDF: _l("Document (PDF)"),
}

APPOINTMENT_STATUS = {
    "booked": _l("prévu"),
    "moved": _l("déplacé"),
    "cancelled": _l("annulé"),
    "held": _l("tenu"),
    "missed": _l("absence de la personne"),
}
SIGNATURE_PARTY = {"advisor": _l("Conseiller"), "beneficiary": _l("Bénéficiaire")}
SIGNATURE_METHOD = {"paper": _l("sur papier"), "electronic": _l("en ligne")}


def refusal(error: ComplaintError) -> str:
    return str(REFUSALS.get(error.code, DEFAULT_REFUSAL))


__all__ = [
    "APPOINTMENT_STATUS",
    "NO_DOSSIER",
    "NO_REFERRAL",
    "READ_LABELS",
    "READ_LABELS_FOR_PERSON",
    "REFUSALS",
    "SIGNATURE_METHOD",
    "SIGNATURE_PARTY",
    "refusal",
]

"""The words of the mediator's screens: each refusal of the core said to the mediator, and
the labels of channels, decisions and outcomes."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import Admissible, Outcome, ReferralChannel
from portal.mediation.staff_text import REFUSALS as COMPLAINT_REFUSALS

Code = ComplaintErrorCode

REFUSALS: dict[ComplaintErrorCode, LazyString] = {
    **COMPLAINT_REFUSALS,
    Code.RECEIVED_IN_FUTURE: _l(
        "La date de réception ne peut pas être dans le futur : indiquez le jour où la saisine "
        "est arrivée."
    ),
    Code.WRONG_OPERATOR: _l(
        "Cette réclamation a été adressée à un autre opérateur : vérifiez le numéro ou "
        "l'opérateur choisi."
    ),
    Code.ALREADY_REFERRED: _l(
        "Cette réclamation fait déjà l'objet d'une saisine en cours : ouvrez-la depuis la file."
    ),
    Code.NOT_MEDIATOR: _l("Seul le médiateur de France compétences peut faire cela."),
    Code.WRONG_CHANNEL: _l(
        "Une saisine par le portail est faite par la personne elle-même ; enregistrez ici les "
        "courriers et le formulaire de France compétences."
    ),
    Code.ALREADY_DECIDED: _l("La recevabilité de cette saisine est déjà décidée."),
    Code.REASON_REQUIRED: _l("Indiquez pourquoi la saisine n'est pas recevable."),
    Code.NOT_ADMISSIBLE: _l("Cette étape demande une saisine déclarée recevable."),
    Code.ALREADY_INFORMED: _l("L'opérateur est déjà informé de cette saisine."),
    Code.ALREADY_REQUESTED: _l("L'accès au dossier est déjà demandé."),
    Code.ACCESS_NOT_REQUESTED: _l("L'accès au dossier n'a pas été demandé."),
    Code.ALREADY_GRANTED: _l("L'accès au dossier est déjà accordé."),
    Code.ACCEPTANCE_REQUIRED: _l("Indiquez si la recommandation ou la transaction a été acceptée."),
    Code.REFERRAL_CLOSED: _l("Cette saisine est close : elle ne peut plus changer."),
}

DEFAULT_REFUSAL = _l("Cette action n'est pas possible sur cette saisine.")

CHANNEL_LABELS = {
    ReferralChannel.PORTAL: _l("Portail (par la personne)"),
    ReferralChannel.LETTER: _l("Courrier"),
    ReferralChannel.FC_FORM: _l("Formulaire de France compétences"),
}

ADMISSIBLE_LABELS = {
    Admissible.PENDING: _l("À décider"),
    Admissible.YES: _l("Recevable"),
    Admissible.NO: _l("Non recevable"),
}

OUTCOME_LABELS = {
    Outcome.RECOMMENDATION: _l("Recommandation"),
    Outcome.SETTLEMENT: _l("Transaction"),
    Outcome.NONE: _l("Sans suite"),
}


def refusal(error: ComplaintError) -> str:
    return str(REFUSALS.get(error.code, DEFAULT_REFUSAL))


__all__ = ["ADMISSIBLE_LABELS", "CHANNEL_LABELS", "OUTCOME_LABELS", "REFUSALS", "refusal"]

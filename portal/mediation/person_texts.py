"""The words of the person's complaint pages: statuses, and the refusals of the core told in
the person's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.mediation.errors import ComplaintErrorCode as Code
from portal.mediation.models import ComplaintStatus

STATUS_LABELS = {
    ComplaintStatus.RECEIVED: _l("Reçue, en attente de l'accusé de réception"),
    ComplaintStatus.ACKNOWLEDGED: _l("Reçue, en attente de la réponse de votre opérateur"),
    ComplaintStatus.ANSWERED: _l("Votre opérateur a répondu"),
    ComplaintStatus.CLOSED: _l("Close"),
}

ATTACHMENT_ERRORS = {
    Code.ATTACHMENT_EMPTY: _l("Le fichier « %(name)s » est vide."),
    Code.ATTACHMENT_TOO_LARGE: _l(
        "Le fichier « %(name)s » est trop lourd : %(max)s au plus par fichier."
    ),
    Code.ATTACHMENT_TYPE: _l(
        "Le fichier « %(name)s » n'est ni un PDF ni une image JPEG ou PNG (son contenu le dit, "
        "quel que soit son nom) : joignez un PDF ou une photo."
    ),
    Code.ATTACHMENT_DAMAGED: _l(
        "Le fichier « %(name)s » ne s'ouvre pas : il est peut-être abîmé. Enregistrez-le à "
        "nouveau, puis joignez-le."
    ),
}
TOO_MANY_ATTACHMENTS = _l("%(num)d pièces jointes au plus.")
CHOOSE_AGAIN = _l(
    "Pour votre sécurité, les pièces jointes ne sont pas gardées quand le formulaire est à "
    "corriger : choisissez-les à nouveau."
)
NO_OPERATOR = _l(
    "Aucun opérateur du conseil en évolution professionnelle ne couvre cette commune : "
    "écrivez directement au médiateur de France compétences (adresse en bas de page)."
)

ACTION_ERRORS = {
    Code.EMPTY_TEXT: _l("Écrivez votre message."),
    Code.NOT_ANSWERED: _l("Votre opérateur n'a pas encore répondu."),
    Code.REFERRAL_OPEN: _l(
        "Vous avez saisi le médiateur : votre avis sur la réponse ne peut plus changer tant "
        "qu'il examine votre demande."
    ),
    Code.REFERRAL_NOT_YET: _l(
        "Le médiateur ne peut pas encore être saisi : votre opérateur a d'abord le temps de "
        "vous répondre (CCTP 3.7)."
    ),
    Code.REFERRAL_SATISFACTION_NOT_STATED: _l(
        "Dites d'abord si la réponse de votre opérateur vous satisfait."
    ),
    Code.REFERRAL_SATISFIED: _l(
        "Vous avez indiqué que la réponse vous satisfait : le médiateur ne peut pas être saisi."
    ),
    Code.ALREADY_REFERRED: _l("Vous avez déjà saisi le médiateur pour cette réclamation."),
}
ACTION_ERROR = _l("Cette demande n'a pas pu être enregistrée. Réessayez plus tard.")

# A field the core found empty once trimmed (white space only).
FIELD_ERRORS = {
    "last_name": _l("Indiquez votre nom."),
    "first_name": _l("Indiquez votre prénom."),
    "email": _l("Indiquez votre adresse e-mail : l'accusé de réception y est envoyé."),
    "motive": _l("Choisissez le motif de votre réclamation."),
    "text": _l("Décrivez votre réclamation."),
    "dossier": _l("Choisissez l'opérateur de votre réclamation."),
}

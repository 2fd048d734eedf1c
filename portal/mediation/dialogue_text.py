"""The words of the referral's threads and of the correspondant's page: each refusal of the
core, said to the one who wrote (mediator, operator or person)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from portal.mediation.errors import ComplaintError, ComplaintErrorCode

Code = ComplaintErrorCode

REFUSALS: dict[ComplaintErrorCode, LazyString] = {
    Code.EMPTY_TEXT: _l("Le message est vide : écrivez-le avant d'envoyer."),
    Code.REFERRAL_CLOSED: _l(
        "Cette saisine du médiateur est close : elle ne reçoit plus de messages."
    ),
    Code.NO_OPERATOR_THREAD_YET: _l(
        "Les échanges avec l'opérateur s'ouvrent une fois la saisine déclarée recevable."
    ),
    Code.WRONG_AUTHOR: _l("Ce fil d'échanges n'est pas le vôtre."),
    Code.NOT_MEDIATOR: _l("Seul le médiateur écrit sur ce fil."),
    Code.WRONG_OPERATOR: _l("Cette saisine relève d'un autre opérateur."),
    Code.NOT_CORRESPONDENT: _l(
        "Seuls le correspondant médiation et les responsables de l'opérateur répondent au "
        "médiateur."
    ),
    Code.NOT_A_CONTACT: _l(
        "Choisissez un membre actif de votre structure, conseiller ou responsable."
    ),
}

DEFAULT_REFUSAL = _l("Ce message n'a pas pu être enregistré.")


def refusal(error: ComplaintError) -> str:
    return str(REFUSALS.get(error.code, DEFAULT_REFUSAL))


__all__ = ["REFUSALS", "refusal"]

"""The words people read about online signing: every refusal of `portal.esign.online`, for
the beneficiary's page and the advisor's panel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.esign.codes import CODE_MAX_FAILURES, CODE_MINUTES
from portal.esign.online import OnlineErrorCode as Code

MESSAGES = {
    Code.NOT_ONLINE: _l(
        "Ce document se signe sur papier : choisissez d'abord la signature en ligne."
    ),
    Code.ALREADY_SIGNED: _l(
        "Une signature est déjà enregistrée : la méthode ne peut plus changer et la demande "
        "ne peut plus être envoyée."
    ),
    Code.ADVISOR_FIRST: _l("Signez d'abord vous-même : le bénéficiaire signe après vous."),
    Code.NOT_PENDING: _l("Ce document n'est pas ou plus en attente de signature."),
    Code.EXPIRED: _l(
        "Le délai pour signer ce document est passé : l'échéance de l'accompagnement est "
        "atteinte. Contactez votre conseiller."
    ),
    Code.WITHDRAWN: _l(
        "Cette demande de signature a été retirée : le document a changé ou votre conseiller "
        "vous a envoyé une nouvelle demande. Utilisez le lien le plus récent."
    ),
    Code.SIGNED: _l("Vous avez déjà signé ce document avec ce lien."),
    Code.UNIT_CLOSED: _l("Cet accompagnement est clôturé : le document ne peut plus être signé."),
    Code.TOO_MANY_CODES: _l(
        "Trop de codes demandés en une heure. Vous pourrez en demander un nouveau à %(time)s."
    ),
    Code.NO_CODE: _l("Demandez d'abord un code : il vous est envoyé aussitôt."),
    Code.CODE_EXPIRED: _l(
        "Ce code a expiré (il vaut %(minutes)d minutes) : demandez-en un nouveau."
    ),
    Code.CODE_WRONG: _l("Ce code n'est pas le bon. Essais restants : %(left)d."),
    Code.CODE_BLOCKED: _l(
        "Ce code est bloqué après %(tries)d essais erronés : demandez-en un nouveau."
    ),
    Code.MENTION: _l("Recopiez exactement la mention « Lu et approuvé »."),
    Code.NAME: _l("Écrivez votre prénom et votre nom, tels qu'ils figurent à votre dossier."),
    Code.CONSENT: _l("Cochez la case pour donner votre accord."),
}
HEADLINES = {
    "signed": _l("Document signé"),
    "withdrawn": _l("Demande de signature retirée"),
    "expired": _l("Délai de signature dépassé"),
}
CHANNELS = {"sms": _l("par SMS"), "email": _l("par e-mail")}


def message(code: Code, *, left: int | None = None, time: str = "") -> str:
    text = MESSAGES[code]
    if code == Code.CODE_WRONG:
        return str(text) % {"left": left or 0}
    if code == Code.TOO_MANY_CODES:
        return str(text) % {"time": time}
    if code == Code.CODE_EXPIRED:
        return str(text) % {"minutes": CODE_MINUTES}
    if code == Code.CODE_BLOCKED:
        return str(text) % {"tries": CODE_MAX_FAILURES}
    return str(text)


__all__ = ["CHANNELS", "HEADLINES", "MESSAGES", "message"]

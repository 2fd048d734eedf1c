"""The words people read about the evidence: a verified copy (/verifier and the API) and the
staff's « Preuves » panel."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.esign.evidence import BreakKind
from portal.esign.models import ActorKind, EventKind
from portal.esign.verify import Reason, Result
from portal.livrables.models import LivrableKind, SignatureParty

HEADLINES = {
    Result.INTACT: _l("Document authentique et intact"),
    Result.ALTERED: _l("Document modifié après sa signature"),
    Result.UNKNOWN: _l("Document inconnu de ce portail"),
    Result.INVALID: _l("Ce fichier n'est pas un PDF"),
}
MESSAGES = {
    Reason.SEALED: _l(
        "Ce document a été scellé par le portail CEP et pas un octet n'a changé depuis : "
        "c'est bien l'exemplaire signé."
    ),
    Reason.CONTENT_CHANGED: _l(
        "Ce fichier porte le cachet du portail, mais son contenu a été modifié après le "
        "scellement : ce n'est pas l'exemplaire signé. Demandez l'original à la personne qui "
        "vous l'a remis, ou à son opérateur."
    ),
    Reason.CHANGED_AFTER_SEAL: _l(
        "Ce fichier porte le cachet du portail, mais il a été complété ou enregistré de "
        "nouveau après le scellement : ce n'est plus l'exemplaire signé. Demandez l'original "
        "à la personne qui vous l'a remis, ou à son opérateur."
    ),
    Reason.TIMESTAMP_REMOVED: _l(
        "Le contenu de ce fichier est bien celui que le portail a scellé, mais le jeton "
        "d'horodatage d'un tiers (RFC 3161) joint au cachet lors du scellement en a été "
        "retiré : ce n'est pas l'exemplaire remis par le portail, et l'heure du scellement "
        "n'y est plus attestée. Demandez l'original à la personne qui vous l'a remis, ou à "
        "son opérateur."
    ),
    Reason.TIMESTAMP_REPLACED: _l(
        "Le contenu de ce fichier est bien celui que le portail a scellé, mais le jeton "
        "d'horodatage joint au cachet n'est pas celui posé lors du scellement (remplacé, "
        "ajouté, ou d'un autre service d'horodatage) : ce n'est pas l'exemplaire remis par le "
        "portail, et l'heure qu'il indique ne peut pas être crue. Demandez l'original à la "
        "personne qui vous l'a remis, ou à son opérateur."
    ),
    Reason.NO_SEAL: _l(
        "Ce PDF ne porte aucun cachet électronique : il n'a pas été scellé par ce portail, "
        "qui ne peut rien en dire."
    ),
    Reason.NOT_OURS: _l(
        "Ce PDF porte un cachet électronique qui n'est pas celui de ce portail : nous ne "
        "pouvons rien en dire."
    ),
    Reason.OTHER_CERTIFICATE: _l(
        "Ce PDF imite un document du portail, mais il est scellé avec un autre certificat que "
        "le sien : ce n'est pas un exemplaire du portail."
    ),
    Reason.NOT_PDF: _l("Choisissez le fichier PDF du document signé, tel qu'il vous a été remis."),
    Reason.UNREADABLE: _l(
        "Ce fichier se présente comme un PDF mais ne peut pas être lu : il est endommagé ou "
        "n'est pas un PDF."
    ),
}
NO_FILE = _l("Choisissez le fichier PDF à vérifier.")
TOO_LARGE = _l("Ce fichier dépasse %(size)s Mo : un document signé du portail est bien plus léger.")
CHAIN = {
    True: _l("intact : chaque étape enregistrée par le portail est à sa place"),
    False: _l(
        "anomalie : le journal de preuve conservé par le portail ne correspond plus ; "
        "signalez-le à l'opérateur"
    ),
}
TIMESTAMPS = {
    "rfc3161": _l("jeton d'horodatage d'un tiers (RFC 3161)"),
    "server": _l("heure du serveur du portail (pas d'horodatage par un tiers)"),
}
PARTIES = {
    SignatureParty.ADVISOR: _l("Le conseiller"),
    SignatureParty.BENEFICIARY: _l("Le bénéficiaire"),
}
KINDS = {
    LivrableKind.ETAT_DES_LIEUX: _l("État des lieux partagé (UO1)"),
    LivrableKind.PROJET_PROFESSIONNEL: _l("Projet professionnel (UO2.1)"),
}

# --- The « Preuves » panel ----------------------------------------------------------------------

EVENT_LABELS = {
    EventKind.REQUESTED: _l("Signature en ligne demandée"),
    EventKind.LINK_SENT: _l("Lien de signature envoyé"),
    EventKind.OPENED: _l("Lien de signature ouvert"),
    EventKind.CODE_SENT: _l("Code de vérification envoyé"),
    EventKind.CODE_FAILED: _l("Code de vérification erroné"),
    EventKind.CODE_VERIFIED: _l("Code de vérification confirmé"),
    EventKind.CONSENT_GIVEN: _l("Consentement donné (« Lu et approuvé »)"),
    EventKind.SIGNED: _l("Signature enregistrée"),
    EventKind.SEALED: _l("Document scellé avec le cachet de l'opérateur"),
    EventKind.COPY_DELIVERED: _l("Copie remise à la personne"),
    EventKind.REQUEST_WITHDRAWN: _l("Demande de signature retirée"),
    EventKind.REQUEST_EXPIRED: _l("Demande de signature expirée"),
    EventKind.PAPER_PRINTED: _l("Figé pour signature : version et PDF produits"),
    EventKind.PAPER_DATES_RECORDED: _l("Date de signature sur papier enregistrée"),
    EventKind.SCAN_UPLOADED: _l("Copie signée numérisée déposée"),
    EventKind.PAPER_COPY_REQUESTED: _l("Copie papier demandée par la poste"),
    EventKind.VOIDED: _l("Version annulée : rédaction reprise"),
    EventKind.METHOD_CHOSEN: _l("Méthode de signature choisie"),
}
ACTORS = {
    ActorKind.BENEFICIARY: _l("le bénéficiaire"),
    ActorKind.SYSTEM: _l("le portail"),
}
CHANNELS = {
    "sms": _l("par SMS"),
    "email": _l("par e-mail"),
    "post": _l("par courrier postal"),
}
EVENT_PARTIES = {  # the `party` of an event's detail
    str(SignatureParty.ADVISOR): _l("conseiller"),
    str(SignatureParty.BENEFICIARY): _l("bénéficiaire"),
}
CHAIN_INTACT = _l("Intacte : chacune des %(num)d étapes est à sa place, telle qu'enregistrée.")
CHAIN_EMPTY = _l("Aucune étape enregistrée pour cette version.")
BREAKS = {
    BreakKind.ALTERED: _l(
        "Rompue à l'étape n° %(num)d : elle a été modifiée après son enregistrement."
    ),
    BreakKind.DELETED: _l("Rompue à l'étape n° %(num)d : une étape a été supprimée."),
    BreakKind.REORDERED: _l(
        "Rompue à l'étape n° %(num)d : des étapes ont été déplacées ou antidatées."
    ),
    BreakKind.INSERTED: _l(
        "Rompue à l'étape n° %(num)d : une étape a été ajoutée en dehors du portail."
    ),
}

"""The French texts of the « Signature » panel: the reason of every refusal, the parts a
draft still lacks before its printing (with where to fill them in), and what is said once a
signature or the scan is recorded."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from portal.advisor import reference_data as ref
from portal.advisor.models import Unit
from portal.advisor.reference import items
from portal.advisor.views.profile_texts import PROFILE_FIELD_LABELS
from portal.advisor.views.texts import FIELD_LABELS
from portal.extensions import db
from portal.i18n import long_date
from portal.livrables.content import SECTIONS
from portal.livrables.models import Livrable
from portal.livrables.signing import SigningErrorCode as Code
from portal.livrables.signing_checks import PROFILE_PREFIX

MESSAGES = {
    Code.NOT_DRAFT: _l("Ce livrable est déjà imprimé pour signature."),
    Code.NOT_FROZEN: _l("Ce livrable n'est pas ou plus en attente de signature."),
    Code.STALE_DRAFT: _l(
        "Le brouillon a été enregistré depuis l'ouverture de la page : relisez-le, puis "
        "imprimez-le de nouveau."
    ),
    Code.INCOMPLETE: _l("Le livrable ne peut pas encore être imprimé : il manque"),
    Code.UNIT_CLOSED: _l("Cette unité est clôturée : son livrable ne peut plus être signé."),
    Code.NOT_CURRENT_VERSION: _l(
        "Cette version a été annulée par une reprise de la rédaction : imprimez la nouvelle."
    ),
    Code.ALREADY_SIGNED: _l(
        "Une signature ou la copie signée est déjà enregistrée : la rédaction ne peut plus "
        "être reprise."
    ),
    Code.DATE_IN_FUTURE: _l("Cette date ne peut pas être dans le futur."),
    Code.DATE_BEFORE_ENGAGEMENT: _l("Cette date précède l'engagement de l'unité."),
    Code.DATE_BEFORE_FREEZE: _l("Cette date précède l'impression du document signé."),
    Code.DATE_AFTER_DEADLINE: _l(
        "Cette date est postérieure à l'échéance de l'unité : le bénéficiaire devait signer "
        "au plus tard ce jour-là."
    ),
    Code.SIGNER_NAME_MISSING: _l("Indiquez le nom de la personne qui a signé."),
    Code.WRONG_METHOD: _l(
        "Ce document se signe selon l'autre méthode choisie (en ligne ou sur papier) : "
        "changez de méthode avant d'enregistrer cette signature."
    ),
    Code.REASON_NOT_VOLUNTARY: _l("Choisissez un motif de clôture volontaire."),
    Code.SCAN_EMPTY: _l("Ce fichier est vide."),
    Code.SCAN_TOO_LARGE: _l("Ce fichier est trop volumineux."),
    Code.SCAN_TYPE: _l("Ce fichier n'est ni un PDF, ni une image JPEG ou PNG."),
    Code.SCAN_DAMAGED: _l(
        "Ce fichier est endommagé ou incomplet : il ne s'ouvre pas. Numérisez de nouveau la "
        "copie signée, puis envoyez-la."
    ),
}
LIVRABLE_PARTS = {
    "decision": _l("Décision"),
    "steps": _l("Plan d'actions (au moins une étape)"),
    "wants_uo22": _l("Appui à la mise en œuvre (UO2.2) souhaité ou non"),
}
# The refusals shown next to the date of a signature.
DATE_CODES = {
    Code.DATE_IN_FUTURE,
    Code.DATE_BEFORE_ENGAGEMENT,
    Code.DATE_BEFORE_FREEZE,
    Code.DATE_AFTER_DEADLINE,
}


def missing_item(unit: Unit, livrable: Livrable, key: str) -> tuple[str, str | None]:
    """The label of what is missing, and a link to where it is filled in: the person's
    profile on its page, the unit's Annex 2 data on the dossier page, the livrable's parts in
    the editor."""
    if key.startswith(PROFILE_PREFIX):
        name = key.removeprefix(PROFILE_PREFIX)
        label = _("Profil Annexe 2 : %(field)s", field=str(PROFILE_FIELD_LABELS[name]))
        return label, url_for("advisor.profile", dossier_id=unit.dossier_id)
    if key in FIELD_LABELS:
        label = _("Données Annexe 2 : %(field)s", field=str(FIELD_LABELS[key]))
        try:
            anchor = f"unite-{unit.id}"
            return label, url_for("advisor.dossier", dossier_id=unit.dossier_id, _anchor=anchor)
        except BuildError:
            return label, None
    titles = {s.key: s.title for s in SECTIONS[livrable.kind]}
    if key.startswith("service:"):
        code = key.split(":", 1)[1]
        names = {i.code: i.label(str(get_locale())) for i in items(db.session, ref.PRESTATION)}
        label = _("Organisme choisi pour : %(service)s", service=names.get(code, code))
        anchor = "services"
    elif key in titles:
        label, anchor = str(titles[key]), f"section-{key}"
    else:
        label, anchor = str(LIVRABLE_PARTS.get(key, key)), key
    return label, url_for("livrables.editor", unit_id=unit.id, _anchor=anchor)


def flash_recorded(unit: Unit, completed: bool, message: str) -> None:
    """`message` once a signature or the scan is recorded; the closure when it completed."""
    if completed and unit.closed_on is not None:
        flash(
            _(
                "Le livrable est signé : l'unité est clôturée au %(date)s. La personne reçoit "
                "sa copie par e-mail et dans son espace.",
                date=long_date(unit.closed_on),
            ),
            "success",
        )
    else:
        flash(message, "success")


__all__ = ["DATE_CODES", "LIVRABLE_PARTS", "MESSAGES", "flash_recorded", "missing_item"]

"""The words of the editor: why a save or a take-over was refused, and what was done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.livrables.content import SECTIONS
from portal.livrables.drafts import DraftError, DraftErrorCode, TakenOver
from portal.livrables.forms import STEP_LABELS
from portal.livrables.models import LivrableKind

Codes = DraftErrorCode

REFUSALS = {
    Codes.NOT_DRAFT: _l(
        "Ce livrable a été imprimé pour signature : il ne peut plus être modifié. Pour le "
        "corriger, reprenez la rédaction depuis le cadre « Signature » ci-dessous."
    ),
    Codes.UNIT_CLOSED: _l("Cette unité est close : son livrable ne peut plus être modifié."),
    Codes.NOT_PROJET: _l("Seul le projet professionnel (UO2.1) reprend l'état des lieux partagé."),
    Codes.NO_UO1: _l("Ce dossier n'a pas d'état des lieux partagé (UO1) à reprendre."),
    Codes.UO1_NOT_SIGNED: _l(
        "L'état des lieux partagé de ce dossier n'est pas signé : il ne peut pas être repris."
    ),
    Codes.UNKNOWN_SECTION: _l("Cette partie de l'état des lieux partagé ne peut pas être reprise."),
    Codes.NOTHING_CHOSEN: _l("Cochez au moins une partie de l'état des lieux partagé à reprendre."),
}
AUTOSAVE_REFUSALS = {
    Codes.STALE: _l(
        "Enregistrement automatique suspendu : ce brouillon a été enregistré par %(name)s à "
        "%(time)s, après que vous l'avez ouvert (dans un autre onglet ou par une autre "
        "personne). Rien n'a été remplacé. Cliquez sur « Enregistrer » : votre texte vous sera "
        "présenté avec le choix de le garder."
    ),
    Codes.INVALID: _l(
        "Brouillon non enregistré : une réponse est à corriger. Cliquez sur « Enregistrer » "
        "pour voir laquelle."
    ),
    Codes.NOT_DRAFT: _l(
        "Brouillon non enregistré : ce livrable a été imprimé pour signature. Rechargez la page."
    ),
    Codes.UNIT_CLOSED: _l("Brouillon non enregistré : cette unité est close. Rechargez la page."),
}


def refusal(error: DraftError) -> str:
    return str(REFUSALS.get(error.code, REFUSALS[Codes.NOT_DRAFT]))


def autosave_refusal(error: DraftError, *, name: str, time: str) -> str:
    message = AUTOSAVE_REFUSALS.get(error.code, AUTOSAVE_REFUSALS[Codes.INVALID])
    return str(message % {"name": name, "time": time})


def conflict_message(*, name: str, time: str) -> str:
    return str(
        _(
            "Ce brouillon a été enregistré par %(name)s à %(time)s, après que vous l'avez ouvert "
            "(dans un autre onglet ou par une autre personne). Votre texte n'a pas été enregistré "
            "et rien n'a été remplacé : il est affiché ci-dessous. Comparez-le avec la version "
            "enregistrée (historique), puis cliquez sur « Enregistrer » pour remplacer le "
            "brouillon par votre texte.",
            name=name,
            time=time,
        )
    )


def taken_over_message(kind: LivrableKind, taken: TakenOver) -> str:
    titles = {s.key: str(s.title) for s in SECTIONS[kind]}
    parts = []
    if taken.copied:
        names = ", ".join(f"« {titles[k]} »" for k in taken.copied)
        parts.append(_("Texte de l'état des lieux partagé repris dans : %(names)s.", names=names))
    if taken.appended:
        names = ", ".join(f"« {titles[k]} »" for k in taken.appended)
        parts.append(
            _(
                "Ajouté à la suite du texte déjà écrit, après un séparateur, dans : %(names)s. "
                "Relisez et ajustez avec la personne.",
                names=names,
            )
        )
    if taken.unchanged:
        names = ", ".join(f"« {titles[k]} »" for k in taken.unchanged)
        parts.append(_("Rien à reprendre (vide, ou déjà présent) pour : %(names)s.", names=names))
    return " ".join(parts)


def error_list(kind: LivrableKind, errors: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field id, label, message) for the error summary, in the order of the page."""
    labels: dict[str, str] = {f"section-{s.key}": str(s.title) for s in SECTIONS[kind]}
    labels["decision"] = _("Décision")
    labels["steps"] = _("Plan d'actions")
    labels["services"] = _("Prestations souhaitées")
    labels["wants_uo22"] = _("Appui à la mise en œuvre (UO2.2)")
    items = []
    for field, message in errors.items():
        label = labels.get(field)
        if label is None and field.startswith("step-"):
            _prefix, index, name = field.split("-", 2)
            label = _("Étape %(num)d — %(field)s", num=int(index) + 1, field=str(STEP_LABELS[name]))
        items.append((field, label or field, message))
    return items

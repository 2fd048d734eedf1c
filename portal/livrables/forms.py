"""The editor's form: reading what was posted into the livrable's content, and the words of
its refusals.

The editor is a plain HTML form whose fields follow the content (a textarea per section, one
row of inputs per step, a checkbox per wished service and a radio group of providers for
each), so it is read here from the posted fields rather than with a fixed WTForms class.
The core (`drafts.normalise_content`) checks the shape; this module only maps fields to
content and the core's problems back to fields. Text goes through the portal's text filter
(`portal.forms.clean_text`): control characters, which PostgreSQL's JSON refuses, are
removed before the content is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.forms import clean_text
from portal.livrables.content import (
    DECISIONS,
    MAX_STEPS,
    SECTION_MAX_CHARS,
    STEP_FIELDS,
    STEP_MAX_CHARS,
)
from portal.livrables.models import LivrableKind
from portal.routing import bounded_id

STEP_FIELD = re.compile(r"^step-(\d{1,3})-(" + "|".join(STEP_FIELDS) + r")$")
UNDECIDED = "undecided"
# At most this many blank rows asked for at once (the « Ajouter une étape » button).
MAX_BLANK_ROWS = 5

DECISION_LABELS = {
    "uo21": _l("Poursuivre en UO2.1 (appui à la formalisation du projet)"),
    "stop": _l("Ne pas poursuivre l'accompagnement"),
    "elsewhere": _l("Orientation vers un autre acteur"),
}
assert tuple(DECISION_LABELS) == DECISIONS
STEP_LABELS = {
    "objective": _l("Objectif"),
    "action": _l("Action à conduire"),
    "who": _l("Qui"),
    "due_on": _l("Échéance"),
    "financing": _l("Financement"),
}


@dataclass(frozen=True, slots=True)
class Action:
    """Which button sent the form: save, add a step, remove step n, or take over the UO1."""

    name: str = "save"
    index: int | None = None

    @classmethod
    def posted(cls, form: MultiDict[str, str]) -> Action:
        value = form.get("action", "save")
        if value.startswith("remove_step-") and value[12:].isdigit():
            return cls("remove_step", int(value[12:]))
        if value in ("add_step", "takeover"):
            return cls(value)
        return cls()


def content_from_form(
    kind: LivrableKind, form: MultiDict[str, str], *, remove_step: int | None = None
) -> dict[str, Any]:
    """The content as posted (not yet checked): blank step rows and the removed one left out."""
    content: dict[str, Any] = {
        "sections": {
            key[len("section-") :]: clean_text(value, multiline=True)
            for key, value in form.items()
            if key.startswith("section-")
        }
    }
    if kind == LivrableKind.ETAT_DES_LIEUX:
        content["decision"] = clean_text(form.get("decision", "")) or None
        return content
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        match = STEP_FIELD.match(key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = clean_text(value)
    content["steps"] = [
        {name: rows[i].get(name, "").strip() for name in STEP_FIELDS}
        for i in sorted(rows)
        if i != remove_step and any(v.strip() for v in rows[i].values())
    ]
    services = []
    for code in dict.fromkeys(clean_text(code) for code in form.getlist("services")):
        choice = form.get(f"provider-{code}", "")
        services.append(
            {
                "code": code,
                "chosen_provider_id": bounded_id(choice),
                "undecided": choice == UNDECIDED,
            }
        )
    content["services"] = services
    wants = clean_text(form.get("wants_uo22", ""))
    content["wants_uo22"] = {"1": True, "0": False}.get(wants or "")
    return content


def blank_rows(form: MultiDict[str, str]) -> int:
    """How many blank step rows the posted form had (kept on screen after a save)."""
    rows: dict[int, list[str]] = {}
    for key, value in form.items():
        match = STEP_FIELD.match(key)
        if match:
            rows.setdefault(int(match[1]), []).append(value.strip())
    return sum(1 for values in rows.values() if not any(values))


# --- Refusals, next to their field ------------------------------------------------------------

PROBLEM_MESSAGES = {
    "too_long": _l("Ce texte est trop long (%(max)d caractères au plus) : raccourcissez-le."),
    "date": _l("Indiquez une date valide, au format AAAA-MM-JJ (par exemple 2026-03-31)."),
    "too_many": _l("Le plan d'actions compte au plus %(max)d étapes."),
    "unknown": _l("Choisissez une des réponses proposées."),
    "provider": _l("Choisissez un organisme de la liste."),
}


def field_id(path: str) -> str:
    """The id of the field a problem is about: sections.projet → section-projet,
    steps.1.due_on → step-1-due_on, services.vae → services."""
    parts = path.split(".")
    if parts[0] == "sections":
        return f"section-{parts[1]}"
    if parts[0] == "steps" and len(parts) == 3:
        return f"step-{parts[1]}-{parts[2]}"
    if parts[0] == "steps":
        return "steps"
    if parts[0] == "services":
        return "services"
    return parts[0]


def field_errors(problems: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """{field id: message} for the core's problems (the first one per field)."""
    errors: dict[str, str] = {}
    for path, reason in problems:
        limit = SECTION_MAX_CHARS
        if path.startswith("steps."):
            limit = STEP_MAX_CHARS.get(path.rsplit(".", 1)[-1], MAX_STEPS)
        if path == "steps":
            limit = MAX_STEPS
        message = PROBLEM_MESSAGES.get(reason, PROBLEM_MESSAGES["unknown"])
        errors.setdefault(field_id(path), str(message % {"max": limit}))
    return errors


__all__ = [
    "DECISION_LABELS",
    "MAX_BLANK_ROWS",
    "STEP_LABELS",
    "UNDECIDED",
    "Action",
    "blank_rows",
    "content_from_form",
    "field_errors",
    "field_id",
]

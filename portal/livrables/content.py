"""What a livrable contains: its sections as the CCTP lists them, and the JSON shape shared
by the editor, the history, the PDF and the signature.

    {
      "sections": {"<section key>": "free text", ...},
      "decision": "uo21" | "stop" | "elsewhere" | null,        # État des lieux partagé
      "steps": [{"objective", "action", "who", "due_on" (AAAA-MM-JJ or ""), "financing"}],
      "services": [{"code", "providers": [{"id", "name", "commune", "is_operator",
                                          "postal_code", "website", "phone", "email"}],
                    "chosen_provider_id": int | null, "undecided": bool}],
      "wants_uo22": true | false | null                         # Projet professionnel
    }

Nothing here is ever generated or pre-filled: the text is the advisor's and the person's
(the evaluation asks to ban generated livrables); taking over parts of the UO1 livrable
happens only on the advisor's request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.livrables.models import LivrableKind


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: Any  # a lazy string
    hint: Any
    required: bool = True


# CCTP 2.1.2: « l'analyse partagée de la situation du bénéficiaire, les informations échangées
# dans ce cadre, la décision (ou non) de poursuivre l'accompagnement, et les prochaines étapes
# d'accompagnement (opérateur, contenus, objectifs, modalités) ».
ETAT_DES_LIEUX_SECTIONS = (
    Section(
        "situation",
        _l("Analyse partagée de la situation"),
        _l("Parcours, situation actuelle, attentes et besoins exprimés."),
    ),
    Section(
        "informations",
        _l("Informations échangées"),
        _l("Acteurs, dispositifs, prestations, ressources, évolution des métiers."),
    ),
    Section(
        "next_steps",
        _l("Prochaines étapes de l'accompagnement"),
        _l("Opérateur, contenus, objectifs et modalités."),
    ),
)
DECISIONS = ("uo21", "stop", "elsewhere")

# CCTP 2.1.3: the project; the analysis against it (competences, gaps); the information
# shared; the plan d'actions (steps) with the skills path and financing plan; the list of
# all organisations of the region for each service wished (services); the wish for UO2.2.
PROJET_SECTIONS = (
    Section(
        "projet",
        _l("Le projet d'évolution professionnelle"),
        _l("Le métier, le secteur ou la situation visés, et pourquoi."),
    ),
    Section(
        "analyse",
        _l("Analyse de la situation au regard du projet"),
        _l("Compétences acquises et transférables, écarts à combler."),
    ),
    Section(
        "informations",
        _l("Principales informations partagées"),
        _l(
            "Marché du travail, offre d'emploi, de formation et de certification, "
            "dispositifs, financements, services et expertises mobilisables."
        ),
    ),
    Section(
        "parcours",
        _l("Parcours de développement des compétences et plan de financement"),
        _l("Si le projet en comporte."),
        required=False,
    ),
)

SECTIONS: dict[LivrableKind, tuple[Section, ...]] = {
    LivrableKind.ETAT_DES_LIEUX: ETAT_DES_LIEUX_SECTIONS,
    LivrableKind.PROJET_PROFESSIONNEL: PROJET_SECTIONS,
}
STEP_FIELDS = ("objective", "action", "who", "due_on", "financing")
# Sections of the UO1 livrable the advisor may take over into the UO2.1 one, on request.
TAKEOVER = {"situation": "analyse", "informations": "informations"}


def empty_content(kind: LivrableKind) -> dict[str, Any]:
    content: dict[str, Any] = {"sections": {s.key: "" for s in SECTIONS[kind]}}
    if kind == LivrableKind.ETAT_DES_LIEUX:
        content["decision"] = None
    else:
        content.update(steps=[], services=[], wants_uo22=None)
    return content


def missing_for_signature(kind: LivrableKind, content: dict[str, Any]) -> list[str]:
    """What must be written before the livrable is printed for signature (keys)."""
    sections = content.get("sections", {})
    missing = [
        s.key for s in SECTIONS[kind] if s.required and not str(sections.get(s.key, "")).strip()
    ]
    if kind == LivrableKind.ETAT_DES_LIEUX and content.get("decision") not in DECISIONS:
        missing.append("decision")
    if kind == LivrableKind.PROJET_PROFESSIONNEL:
        if not content.get("steps"):
            missing.append("steps")
        if content.get("wants_uo22") not in (True, False):
            missing.append("wants_uo22")
        for service in content.get("services", []):
            if service.get("chosen_provider_id") is None and not service.get("undecided"):
                missing.append(f"service:{service.get('code')}")
    return missing


# Sane bounds: far above a real livrable, low enough to keep one row and one PDF reasonable.
SECTION_MAX_CHARS = 20_000
STEP_MAX_CHARS = {"objective": 500, "action": 1000, "who": 200, "financing": 500}
MAX_STEPS = 40


class ContentProblems(ValueError):
    """What is wrong with a content: (path, reason) pairs, e.g. ("steps.1.due_on", "date"),
    ("sections.projet", "too_long"), ("services.xyz", "unknown")."""

    def __init__(self, problems: tuple[tuple[str, str], ...]) -> None:
        super().__init__(problems)
        self.problems = problems


def normalise(
    kind: LivrableKind,
    raw: dict[str, Any],
    *,
    services: Sequence[str],
    providers_for: Callable[[str], list[dict[str, Any]]],
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """`raw` in the canonical shape of `kind`: only its keys, texts trimmed (line ends as
    LF), blank steps dropped, dates as AAAA-MM-JJ, services in the table's order with the
    providers listed now (`providers_for`). Returns it with the services whose chosen
    provider is no longer listed (the choice is cleared: the person chooses again); raises
    ContentProblems naming every problem."""
    problems: list[tuple[str, str]] = []
    content = empty_content(kind)
    given_sections = raw.get("sections") or {}
    for section in SECTIONS[kind]:
        text = _text(given_sections.get(section.key))
        if len(text) > SECTION_MAX_CHARS:
            problems.append((f"sections.{section.key}", "too_long"))
        content["sections"][section.key] = text
    cleared: tuple[str, ...] = ()
    if kind == LivrableKind.ETAT_DES_LIEUX:
        decision = raw.get("decision") or None
        if decision is not None and decision not in DECISIONS:
            problems.append(("decision", "unknown"))
        content["decision"] = decision
    else:
        content["steps"] = _steps(raw.get("steps") or [], problems)
        wants = raw.get("wants_uo22")
        if wants not in (True, False, None):
            problems.append(("wants_uo22", "unknown"))
        content["wants_uo22"] = wants if wants in (True, False) else None
        wished = raw.get("services") or []
        content["services"], cleared = _services(wished, services, providers_for, problems)
    if problems:
        raise ContentProblems(tuple(problems))
    return content, cleared


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _steps(raw: list[Any], problems: list[tuple[str, str]]) -> list[dict[str, str]]:
    steps: list[dict[str, str]] = []
    for given in raw:
        step = {name: _text((given or {}).get(name)) for name in STEP_FIELDS}
        if not any(step.values()):
            continue  # a blank row of the form is not a step
        index = len(steps)
        for name, limit in STEP_MAX_CHARS.items():
            if len(step[name]) > limit:
                problems.append((f"steps.{index}.{name}", "too_long"))
        if step["due_on"]:
            try:
                step["due_on"] = date.fromisoformat(step["due_on"]).isoformat()
            except ValueError:
                problems.append((f"steps.{index}.due_on", "date"))
        steps.append(step)
    if len(steps) > MAX_STEPS:
        problems.append(("steps", "too_many"))
    return steps


def _services(
    raw: list[Any],
    known: Sequence[str],
    providers_for: Callable[[str], list[dict[str, Any]]],
    problems: list[tuple[str, str]],
) -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    wanted: dict[str, dict[str, Any]] = {}
    for given in raw:
        code = str((given or {}).get("code") or "")
        if code not in known:
            problems.append((f"services.{code}", "unknown"))
        elif code not in wanted:
            wanted[code] = given
    services, cleared = [], []
    for code in (code for code in known if code in wanted):  # the table's order
        listed = providers_for(code)
        chosen = wanted[code].get("chosen_provider_id")
        if chosen is not None and (isinstance(chosen, bool) or not str(chosen).isdigit()):
            problems.append((f"services.{code}", "provider"))
            chosen = None
        chosen = int(chosen) if chosen is not None else None
        if chosen is not None and chosen not in {p["id"] for p in listed}:
            chosen = None  # left the directory since the list was shown: the person chooses again
            cleared.append(code)
        undecided = bool(wanted[code].get("undecided")) and chosen is None
        services.append(
            {
                "code": code,
                "providers": listed,
                "chosen_provider_id": chosen,
                "undecided": undecided,
            }
        )
    return services, tuple(cleared)


def content_hash(
    unit_number: str, kind: LivrableKind, version: int, content: dict[str, Any]
) -> str:
    """SHA-256 of the canonical JSON of what is signed, bound to its unit and version."""
    canonical = json.dumps(
        {"unit": unit_number, "kind": kind.value, "version": version, "content": content},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

"""What a livrable contains: its sections as the CCTP lists them, and the JSON shape shared
by the editor, the history, the PDF and the signature.

    {
      "sections": {"<section key>": "free text", ...},
      "decision": "uo21" | "stop" | "elsewhere" | null,        # État des lieux partagé
      "steps": [{"objective", "action", "who", "due_on" (AAAA-MM-JJ or ""), "financing"}],
      "services": [{"code", "providers": [{"id", "name", "commune", "is_operator"}],
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
from dataclasses import dataclass
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

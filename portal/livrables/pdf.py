"""The printed livrable: the A4 PDF both parties sign (CCTP 2.1.2, 2.1.3).

It is the contract's document, in French whatever the screen language. It carries the
version's SHA-256 in the footer of every page (what was signed is provable), the « Lu et
approuvé » mention the beneficiary writes by hand, and the mediator of France compétences
(CCTP 3.7). The same content and freeze time always print the same bytes.

This module gathers what is printed, as plain values (`printed`); `pdf_layout` draws it
and `pdf_text` keeps the text printable with the embedded Unicode font (DejaVu Sans).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.advisor import reference_data as ref
from portal.advisor.models import UnitKind
from portal.advisor.reference import labels
from portal.livrables.content import SECTIONS, STEP_FIELDS
from portal.livrables.forms import DECISION_LABELS, STEP_LABELS
from portal.livrables.models import Livrable, LivrableKind
from portal.livrables.pdf_layout import TITLES, render
from portal.livrables.pdf_text import french_day


@dataclass(frozen=True, slots=True)
class WishedService:
    label: str
    providers: tuple[tuple[str, str, bool], ...]  # name, commune, chosen by the person
    chosen: str | None  # the name of the organisation the person chose


@dataclass(frozen=True, slots=True)
class PrintedLivrable:
    """Everything the PDF shows, as plain values."""

    kind: LivrableKind
    version: int
    sha256: str
    frozen_at: datetime
    operator_name: str
    operator_contact: tuple[str, ...]
    person_name: str
    advisor_name: str
    unit_label: str
    unit_number: str
    purchase_order_ref: str
    engaged_on: date
    deadline: date
    sections: tuple[tuple[str, str], ...]  # title, text
    decision: str | None = None  # its label, as the editor shows it
    step_headings: tuple[str, ...] = ("Objectif", "Action", "Qui", "Échéance", "Financement")
    steps: tuple[tuple[str, ...], ...] = ()  # STEP_FIELDS, due date already written out
    services: tuple[WishedService, ...] = ()
    wants_uo22: bool | None = None
    mediator_url: str = ""
    mediator_address: str = ""


def livrable_pdf(
    session: Session,
    livrable: Livrable,
    *,
    number: int,
    sha256: str,
    at: datetime,
    content: dict[str, Any],
) -> bytes:
    return render(printed(session, livrable, number=number, sha256=sha256, at=at, content=content))


def printed(
    session: Session,
    livrable: Livrable,
    *,
    number: int,
    sha256: str,
    at: datetime,
    content: dict[str, Any],
) -> PrintedLivrable:
    from flask import current_app
    from flask_babel import force_locale

    unit = livrable.unit
    operator = unit.operator
    names = labels(session, "fr")
    with force_locale("fr"):  # the contract's document is in French
        titles = [(s.key, str(s.title), s.required) for s in SECTIONS[livrable.kind]]
        decision = DECISION_LABELS.get(content.get("decision") or "")
        decision_label = str(decision) if decision else None
        headings = tuple(str(STEP_LABELS[name]) for name in STEP_FIELDS)
    texts = content.get("sections", {})
    return PrintedLivrable(
        kind=LivrableKind(livrable.kind),
        version=number,
        sha256=sha256,
        frozen_at=at,
        operator_name=operator.name,
        operator_contact=tuple(
            c
            for c in (operator.postal_address, operator.phone, operator.email, operator.website)
            if c
        ),
        person_name=unit.dossier.beneficiary.full_name,
        advisor_name=unit.advisor.full_name,
        unit_label=UnitKind(unit.kind).label,
        unit_number=unit.formatted_number,
        purchase_order_ref=unit.purchase_order_ref,
        engaged_on=unit.engaged_on,
        deadline=unit.deadline,
        sections=tuple(
            (title, str(texts.get(key) or ""))
            for key, title, required in titles
            if required or str(texts.get(key) or "").strip()
        ),
        decision=decision_label,
        step_headings=headings,
        steps=tuple(_step(step) for step in content.get("steps") or []),
        services=tuple(_service(s, names) for s in content.get("services") or []),
        wants_uo22=content.get("wants_uo22"),
        mediator_url=current_app.config["MEDIATOR_URL"],
        mediator_address=current_app.config["MEDIATOR_POSTAL_ADDRESS"],
    )


def _step(step: dict[str, Any]) -> tuple[str, ...]:
    values = [str(step.get(name) or "") for name in STEP_FIELDS]
    due = values[STEP_FIELDS.index("due_on")]
    if due:
        with contextlib.suppress(ValueError):  # an unexpected text stays as it was written
            values[STEP_FIELDS.index("due_on")] = french_day(date.fromisoformat(due))
    return tuple(values)


def _service(service: dict[str, Any], names: dict[tuple[str, str], str]) -> WishedService:
    code = str(service.get("code") or "")
    chosen_id = service.get("chosen_provider_id")
    providers = tuple(
        (str(p.get("name") or ""), str(p.get("commune") or ""), p.get("id") == chosen_id)
        for p in service.get("providers") or []
        if isinstance(p, dict)
    )
    chosen = next((name for name, _commune, is_chosen in providers if is_chosen), None)
    return WishedService(
        label=names.get((ref.PRESTATION, code), code),
        providers=providers,
        chosen=chosen if chosen_id is not None else None,
    )


__all__ = ["TITLES", "PrintedLivrable", "WishedService", "livrable_pdf", "printed", "render"]

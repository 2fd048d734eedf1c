"""What the livrable pages show: the editor's context, shared by the page, its refusals and
the autosave fragment, and the words for the moments and kinds of a draft's history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from portal.advisor import reference_data as ref
from portal.advisor.models import Unit, UnitKind
from portal.advisor.reference import items
from portal.booking.slots import operator_timezone
from portal.directory.services import providers_offering, snapshot
from portal.extensions import db
from portal.i18n import format_time_short, long_date
from portal.livrables.content import SECTIONS, TAKEOVER
from portal.livrables.drafts import KIND_OF_UNIT, uo1_livrable
from portal.livrables.forms import DECISION_LABELS, MAX_BLANK_ROWS, STEP_LABELS, UNDECIDED
from portal.livrables.models import (
    Livrable,
    LivrableKind,
    LivrableStatus,
    RevisionKind,
)

KIND_TITLES = {
    LivrableKind.ETAT_DES_LIEUX: _l("État des lieux partagé"),
    LivrableKind.PROJET_PROFESSIONNEL: _l("Projet professionnel"),
}
REVISION_LABELS = {
    RevisionKind.AUTOSAVE: _l("Enregistrement automatique"),
    RevisionKind.SAVE: _l("Enregistrement"),
    RevisionKind.TAKEOVER: _l("Reprise de l'état des lieux partagé (UO1)"),
}
STATUS_LABELS = {
    LivrableStatus.DRAFT: _l("Brouillon"),
    LivrableStatus.FROZEN: _l("Imprimé pour signature"),
    LivrableStatus.SIGNED: _l("Signé"),
}


def local_time(moment: datetime, unit: Unit) -> str:
    """« 14 h 05 » in the operator's time zone."""
    return format_time_short(moment.astimezone(operator_timezone(unit.operator)).time())


def local_day_and_time(moment: datetime, unit: Unit) -> tuple[str, str]:
    local = moment.astimezone(operator_timezone(unit.operator))
    return long_date(local.date()), format_time_short(local.time())


def iso_day(value: str) -> str:
    """A step's « AAAA-MM-JJ » as a long date; as written when it is not a date."""
    try:
        return long_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def service_labels() -> dict[str, str]:
    """Labels of the « prestation » table in the reader's language, « aucune » left out."""
    locale = str(get_locale())
    return {
        item.code: item.label(locale)
        for item in items(db.session, ref.PRESTATION)
        if item.code not in ref.NONE_CODES
    }


def content_context(kind: LivrableKind) -> dict[str, Any]:
    """Labels needed to show a content of this kind, editable or not."""
    return {
        "kind": kind,
        "kind_title": KIND_TITLES[kind],
        "sections": SECTIONS[kind],
        "decision_labels": DECISION_LABELS,
        "step_labels": STEP_LABELS,
        "service_labels": service_labels(),
        "undecided": UNDECIDED,
        "iso_day": iso_day,
    }


def editor_context(
    unit: Unit,
    livrable: Livrable | None,
    *,
    can_work: bool,
    content: dict[str, Any] | None = None,
    based_on: int | None = None,
    errors: dict[str, str] | None = None,
    blank_rows: int = 0,
    **extra: Any,
) -> dict[str, Any]:
    """The editor page. `content` is what the form shows (the draft, or what was posted
    when a save was refused); `based_on` the draft the next save is based on."""
    kind = livrable.kind if livrable else KIND_OF_UNIT[unit.kind]
    shown = content if content is not None else (livrable.content if livrable else {})
    editable = bool(
        can_work and livrable and livrable.status == LivrableStatus.DRAFT and unit.is_open
    )
    steps = list(shown.get("steps") or [])
    blanks = min(max(blank_rows, 0 if steps else 1), MAX_BLANK_ROWS)
    takeover = None
    if editable and kind == LivrableKind.PROJET_PROFESSIONNEL:
        source = uo1_livrable(db.session, unit)
        if source is not None:
            uo1_titles = {s.key: s.title for s in SECTIONS[LivrableKind.ETAT_DES_LIEUX]}
            projet_titles = {s.key: s.title for s in SECTIONS[kind]}
            takeover = [(key, uo1_titles[key], projet_titles[to]) for key, to in TAKEOVER.items()]
    saved = None
    if livrable is not None and livrable.draft_number:
        saved = local_day_and_time(livrable.updated_at, unit)
    return {
        **content_context(kind),
        "unit": unit,
        "unit_label": UnitKind(unit.kind).label,
        "dossier": unit.dossier,
        "person": unit.dossier.beneficiary,
        "livrable": livrable,
        "can_work": can_work,
        "editable": editable,
        "content": shown,
        "services_by_code": _with_providers(unit, shown.get("services") or []),
        "steps": steps + [dict.fromkeys(STEP_LABELS, "") for _ in range(blanks)],
        "based_on": based_on
        if based_on is not None
        else (livrable.draft_number if livrable else 0),
        "errors": errors or {},
        "takeover": takeover,
        "saved": saved,
        "status_labels": STATUS_LABELS,
        **extra,
    }


def _with_providers(unit: Unit, services: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each wished service with the providers listed for it: the snapshot saved with the
    draft, or (for a refused form, not saved) the directory's list as it stands."""
    shown = {}
    for service in services:
        if "providers" not in service:
            offering = providers_offering(db.session, unit.operator_id, service["code"])
            service = {**service, "providers": [snapshot(p) for p in offering]}
        shown[service["code"]] = service
    return shown

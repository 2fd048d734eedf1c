"""A livrable's history: every save, newest first, each readable as it was saved."""

from __future__ import annotations

from flask import abort, render_template

from portal.advisor.models import Unit, UnitKind
from portal.advisor.policies import can_work_on_dossier, unit_or_404
from portal.auth.policies import current_staff, staff_required
from portal.extensions import db
from portal.livrables.drafts import KIND_OF_UNIT, find_livrable
from portal.livrables.models import Livrable, LivrableRevision
from portal.livrables.views import bp
from portal.livrables.views.context import REVISION_LABELS, content_context, local_day_and_time
from portal.network.models import StaffRole

PAGE = "livrables/history.html"


@bp.get("/unites/<id:unit_id>/livrable/historique")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def history(unit_id: int) -> str:
    _unit, livrable = _livrable(unit_id)
    return render_template(PAGE, **_context(livrable, revision=None))


@bp.get("/unites/<id:unit_id>/livrable/historique/<id:revision_id>")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def revision(unit_id: int, revision_id: int) -> str:
    _unit, livrable = _livrable(unit_id)
    found = db.session.get(LivrableRevision, revision_id)
    if found is None or found.livrable_id != livrable.id:
        abort(404)
    return render_template(PAGE, **_context(livrable, revision=found))


def _livrable(unit_id: int) -> tuple[Unit, Livrable]:
    unit = unit_or_404(unit_id)
    livrable = find_livrable(db.session, unit) if unit.kind in KIND_OF_UNIT else None
    if livrable is None:
        abort(404)
    return unit, livrable


def _context(livrable: Livrable, *, revision: LivrableRevision | None) -> dict[str, object]:
    unit = livrable.unit
    return {
        **content_context(livrable.kind),
        "unit": unit,
        "unit_label": UnitKind(unit.kind).label,
        "person": unit.dossier.beneficiary,
        "livrable": livrable,
        "can_work": can_work_on_dossier(current_staff(), unit.dossier),
        "revisions": [(r, *local_day_and_time(r.saved_at, unit)) for r in livrable.revisions],
        "revision": revision,
        "revision_moment": local_day_and_time(revision.saved_at, unit) if revision else None,
        "content": revision.content if revision else None,
        "revision_labels": REVISION_LABELS,
    }

"""The staff's « Preuves » panel (`esign/_proofs.html`, under the livrable's « Signature »
panel) and its one action: saying that a paper copy asked for by post was sent.

The advisor of the operator acts; managers read; anyone else gets a 404 (the panel lives on
the livrable editor, which already answers 404 to them).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor.models import Unit
from portal.advisor.policies import unit_or_404
from portal.auth.policies import current_staff, staff_required
from portal.clock import PARIS
from portal.db import utcnow
from portal.esign import texts
from portal.esign.copies import CopyError, mark_copy_sent
from portal.esign.evidence import ChainReport
from portal.esign.models import ActorKind, EventKind, PaperCopyRequest, SealedDocument
from portal.esign.proofs import ProofEvent, VersionProofs, proofs_of
from portal.esign.web import request_origin
from portal.extensions import db
from portal.i18n import long_date
from portal.livrables.models import Livrable
from portal.network.models import StaffRole

bp = Blueprint("proofs", __name__)


@dataclass(frozen=True, slots=True)
class Moment:
    """A moment of the evidence: in Europe/Paris for people, in UTC as recorded."""

    local: str  # « 7 décembre 2026 à 01:13:05 »
    utc: str  # « 2026-12-07 00:13:05 UTC »
    iso: str  # for <time datetime>


@dataclass(frozen=True, slots=True)
class ProofsPanel:
    versions: list[VersionProofs]
    can_work: bool
    unit: Unit


@bp.app_template_global("proofs_panel")
def proofs_panel(livrable: Livrable, unit: Unit, can_work: bool) -> ProofsPanel:
    return ProofsPanel(proofs_of(db.session, livrable), can_work, unit)


@bp.app_template_global("evidence_moment")
def evidence_moment(value: datetime) -> Moment:
    local = value.astimezone(PARIS)
    utc = value.astimezone(UTC)
    day = _("%(day)s à %(time)s", day=long_date(local.date()), time=local.strftime("%H:%M:%S"))
    return Moment(day, utc.strftime("%Y-%m-%d %H:%M:%S UTC"), utc.isoformat())


@bp.app_template_global("event_actor")
def event_actor(event: ProofEvent) -> str:
    if event.actor == ActorKind.STAFF:
        return event.staff_name or "?"
    return str(texts.ACTORS[event.actor])


@bp.app_template_global("event_words")
def event_words(event: ProofEvent) -> dict[str, Any]:
    """What happened, in plain words, and the details that say which or how."""
    party = texts.EVENT_PARTIES.get(event.party) if event.party else None
    channel = texts.CHANNELS.get(event.channel) if event.channel else None
    detail = event.detail
    signed_on = None
    with contextlib.suppress(KeyError, ValueError):
        signed_on = long_date(date.fromisoformat(str(detail["signed_on"])))
    scan = detail.get("sha256") if event.kind == EventKind.SCAN_UPLOADED else None
    return {
        "label": str(texts.EVENT_LABELS[event.kind]),
        "party": str(party) if party else event.party,
        "channel": str(channel) if channel else event.channel,
        "signed_on": signed_on,
        "file_sha256": scan if isinstance(scan, str) else None,
        "request_id": detail.get("request_id"),
    }


@bp.app_template_global("seal_timestamp")
def seal_timestamp(sealed: SealedDocument) -> str:
    """How the seal's time was taken: a third party's RFC 3161 token, or the server's clock."""
    words = texts.TIMESTAMPS.get(sealed.timestamp)
    return str(words) if words else sealed.timestamp


@bp.app_template_global("chain_status")
def chain_status(report: ChainReport) -> str:
    if report.broken is not None:
        return str(texts.BREAKS[report.broken.kind] % {"num": report.broken.sequence})
    if not report.length:
        return str(texts.CHAIN_EMPTY)
    return str(texts.CHAIN_INTACT % {"num": report.length})


@bp.post("/pro/copies-papier/<id:copy_request_id>/envoyee")
@staff_required(StaffRole.ADVISOR)
def mark_sent(copy_request_id: int) -> Response:
    request = db.session.get(PaperCopyRequest, copy_request_id) or abort(404)
    unit = unit_or_404(request.version.livrable.unit_id, work=True)
    try:
        mark_copy_sent(
            db.session, request, by=current_staff(), now=utcnow(), origin=request_origin()
        )
    except CopyError:
        db.session.rollback()
        flash(_("Cette copie papier est déjà indiquée comme envoyée."), "warning")
    else:
        db.session.commit()
        flash(_("C'est noté : la copie papier est envoyée."), "success")
    return redirect(url_for("livrables.editor", unit_id=unit.id, _anchor="preuves"), code=303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


__all__ = ["ProofsPanel", "bp", "init_app", "proofs_panel"]

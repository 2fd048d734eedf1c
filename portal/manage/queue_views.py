"""The operator's follow-up, for its advisors and managers: waiting requests to call back
(most urgent first) and appointments to move; the old week list answers with the agenda."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.policies import current_operator, staff_required
from portal.booking import follow_up
from portal.booking.follow_up import FollowUpError
from portal.booking.slots import operator_timezone
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.htmx import is_fragment_request, render
from portal.manage import bp
from portal.network.models import Operator, StaffRole
from portal.orientation.labels import MOTIFS

# The chargé d'information takes the calls: they call back and book like advisors (issue 15).
OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER, StaffRole.INFORMATION)


@bp.get("/demandes-en-attente")
@staff_required(*OPERATOR_STAFF)
def waiting() -> Response:
    operator = current_operator()
    return render(
        "manage/waiting.html",
        "manage/_waiting_requests.html",
        **_waiting_context(operator),
    )


def _waiting_context(operator: Operator) -> dict[str, object]:
    today = today_in_france()
    return {
        "requests": follow_up.waiting_requests(db.session, operator_id=operator.id, today=today),
        "to_reschedule": follow_up.withdrawn_slot_appointments(
            db.session, operator_id=operator.id, now=utcnow()
        ),
        "timezone": operator_timezone(operator),
        "today": today,
        "motif_labels": MOTIFS,
    }


@bp.post("/demandes-en-attente/<id:request_id>/rappel")
@staff_required(*OPERATOR_STAFF)
def call_back(request_id: int) -> Response:
    """« Rappel effectué »: idempotent, the first call back is the one kept."""
    operator = current_operator()
    try:
        follow_up.record_call_back(
            db.session, operator_id=operator.id, request_id=request_id, now=utcnow()
        )
    except FollowUpError:
        abort(404)
    db.session.commit()
    if is_fragment_request():
        # htmx swaps the list in place; the flash would show on the next full page.
        return render(
            "manage/waiting.html", "manage/_waiting_requests.html", **_waiting_context(operator)
        )
    flash(_("Rappel enregistré."), "success")
    return redirect(url_for("manage.waiting", _anchor=f"demande-{request_id}"), code=303)


@bp.get("/mes-rendez-vous")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def my_appointments() -> Response:
    """The old week list: the agenda replaced it (issue 14); old links keep their query."""
    query = request.query_string.decode()
    return redirect(url_for("agenda.week") + (f"?{query}" if query else ""), code=301)


__all__ = ["bp"]

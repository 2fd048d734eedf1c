"""The livrable editor: the État des lieux partagé (UO1) or the Projet professionnel (UO2.1),
written with the person during the session or afterwards.

One plain form saved by « Enregistrer » (and by the plan d'actions' buttons, which save
before adding or removing a row), so that everything works without JavaScript; htmx posts
the same form to `autosave` two seconds after the last keystroke and swaps in a status line.
A save based on an older draft is refused, whoever made the newer one: the manual save
shows the typed text back with the conflict, the autosave says so; neither overwrites
anything. Advisors of the operator write; managers read; anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor.models import Unit
from portal.advisor.policies import can_work_on_dossier, unit_or_404
from portal.auth.policies import current_staff, staff_required
from portal.db import utcnow
from portal.extensions import db
from portal.livrables.drafts import (
    KIND_OF_UNIT,
    DraftError,
    DraftErrorCode,
    find_livrable,
    livrable_for,
    save_draft,
    take_over_from_uo1,
)
from portal.livrables.forms import Action, blank_rows, content_from_form, field_errors
from portal.livrables.models import Livrable
from portal.livrables.views import bp
from portal.livrables.views.context import editor_context, local_time, service_labels
from portal.livrables.views.editor_text import (
    autosave_refusal,
    conflict_message,
    error_list,
    refusal,
    taken_over_message,
)
from portal.network.models import StaffMember, StaffRole
from portal.routing import bounded_int

PAGE = "livrables/editor.html"
STATUS = "livrables/_partials/_autosave_status.html"


@bp.get("/unites/<id:unit_id>/livrable")
@staff_required(StaffRole.ADVISOR, StaffRole.MANAGER)
def editor(unit_id: int) -> str:
    unit = _unit(unit_id, work=False)
    can_work = can_work_on_dossier(current_staff(), unit.dossier)
    livrable = find_livrable(db.session, unit)
    if livrable is None and can_work and unit.is_open:
        livrable = livrable_for(db.session, unit)  # first open: an empty draft, nothing pre-filled
        db.session.commit()
    blanks = bounded_int(request.args.get("etapes"), minimum=0) or 0
    return render_template(
        PAGE, **editor_context(unit, livrable, can_work=can_work, blank_rows=blanks)
    )


@bp.post("/unites/<id:unit_id>/livrable")
@staff_required(StaffRole.ADVISOR)
def save(unit_id: int) -> Response:
    unit = _unit(unit_id, work=True)
    livrable = _livrable(unit)
    action = Action.posted(request.form)
    content = content_from_form(livrable.kind, request.form, remove_step=action.index)
    staff = current_staff()
    try:
        saved = save_draft(
            db.session,
            livrable,
            content=content,
            based_on=_based_on(),
            by=staff,
            autosave=False,
            now=utcnow(),
        )
    except DraftError as error:
        db.session.rollback()
        return _refused(unit, livrable, content, error)
    if action.name == "takeover":
        sections = request.form.getlist("takeover")
        try:
            taken = take_over_from_uo1(
                db.session, livrable, sections=sections, by=staff, now=utcnow()
            )
        except DraftError as error:  # what was typed is saved all the same
            flash(refusal(error), "error")
        else:
            flash(taken_over_message(livrable.kind, taken), "success")
    else:
        flash(_saved_message(livrable, unit), "success")
    db.session.commit()
    for code in saved.cleared_choices:
        flash(_cleared_message(code), "warning")
    return redirect(_after_save(unit, action, content), code=303)


@bp.post("/unites/<id:unit_id>/livrable/brouillon")
@staff_required(StaffRole.ADVISOR)
def autosave(unit_id: int) -> Response:
    """htmx: save what is in the form, answer the status line (and, out of band, the new
    `based_on` and the providers of newly wished services)."""
    unit = _unit(unit_id, work=True)
    livrable = _livrable(unit)
    before = [s.get("code") for s in livrable.content.get("services") or []]
    content = content_from_form(livrable.kind, request.form)
    context: dict[str, Any]
    try:
        saved = save_draft(
            db.session,
            livrable,
            content=content,
            based_on=_based_on(),
            by=current_staff(),
            autosave=True,
            now=utcnow(),
        )
    except DraftError as error:
        db.session.rollback()
        name, time = _last_saved_by(livrable, unit)
        context = {"problem": autosave_refusal(error, name=name, time=time)}
    else:
        db.session.commit()
        after = [s["code"] for s in livrable.content.get("services") or []]
        context = editor_context(unit, livrable, can_work=True)
        context.update(
            saved_at=local_time(livrable.updated_at, unit),
            oob=True,
            services_changed=after != before or bool(saved.cleared_choices),
            cleared=[context["service_labels"].get(c, c) for c in saved.cleared_choices],
        )
    response = make_response(render_template(STATUS, **context))
    response.vary.add("HX-Request")
    return response


# --- Helpers ----------------------------------------------------------------------------------


def _unit(unit_id: int, *, work: bool) -> Unit:
    unit = unit_or_404(unit_id, work=work)
    if unit.kind not in KIND_OF_UNIT:  # a UO2.2 has no livrable
        abort(404)
    return unit


def _livrable(unit: Unit) -> Livrable:
    livrable = find_livrable(db.session, unit)
    if livrable is None and not unit.is_open:  # closed before anything was written
        abort(404)
    return livrable or livrable_for(db.session, unit)


def _based_on() -> int:
    """The draft the form was loaded from; a missing one counts as stale."""
    based_on = bounded_int(request.form.get("based_on"), minimum=0)
    return -1 if based_on is None else based_on


def _last_saved_by(livrable: Livrable, unit: Unit) -> tuple[str, str]:
    who = db.session.get(StaffMember, livrable.updated_by_id) if livrable.updated_by_id else None
    return (who.full_name if who else "?"), local_time(livrable.updated_at, unit)


def _refused(
    unit: Unit, livrable: Livrable, content: dict[str, Any], error: DraftError
) -> Response:
    """The page again with what was typed: next to its errors (422), or with the conflict and
    the chance to keep it (409), or read-only with the typed text to copy (409)."""
    can_work = True
    if error.code == DraftErrorCode.INVALID:
        errors = field_errors(error.problems)
        context = editor_context(
            unit,
            livrable,
            can_work=can_work,
            content=content,
            errors=errors,
            error_items=error_list(livrable.kind, errors),
            blank_rows=blank_rows(request.form),
        )
        return make_response(render_template(PAGE, **context), 422)
    if error.code == DraftErrorCode.STALE:
        name, time = _last_saved_by(livrable, unit)
        context = editor_context(
            unit,
            livrable,
            can_work=can_work,
            content=content,
            based_on=livrable.draft_number,  # saving again keeps this text, knowingly
            blank_rows=blank_rows(request.form),
            conflict=conflict_message(name=name, time=time),
        )
        return make_response(render_template(PAGE, **context), 409)
    context = editor_context(
        unit, livrable, can_work=can_work, refused=refusal(error), unsaved=content
    )
    return make_response(render_template(PAGE, **context), 409)


def _saved_message(livrable: Livrable, unit: Unit) -> str:
    return str(_("Brouillon enregistré à %(time)s.", time=local_time(livrable.updated_at, unit)))


def _cleared_message(code: str) -> str:
    return str(
        _(
            "L'organisme choisi pour « %(service)s » n'est plus dans l'annuaire : présentez la "
            "liste à jour à la personne pour qu'elle choisisse à nouveau.",
            service=service_labels().get(code, code),
        )
    )


def _after_save(unit: Unit, action: Action, content: dict[str, Any]) -> str:
    """Back to the editor where the person was: the new row, the plan, or the take-over."""
    if action.name == "add_step":
        blanks = blank_rows(request.form) + 1
        row = len(content.get("steps") or []) + blanks - 1
        return url_for("livrables.editor", unit_id=unit.id, etapes=blanks, _anchor=f"etape-{row}")
    if action.name == "remove_step":
        return url_for("livrables.editor", unit_id=unit.id, _anchor="plan-actions")
    if action.name == "takeover":
        return url_for("livrables.editor", unit_id=unit.id, _anchor="reprise")
    return url_for("livrables.editor", unit_id=unit.id)

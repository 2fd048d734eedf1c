"""The referral's two threads on the three sides (CCTP 3.7), blueprint `mediator_messages`:

- the mediator writes to the person or to the operator
  (POST /pro/mediateur/saisines/<id>/messages, field `thread`);
- the operator — its correspondant médiation or a manager — answers on the operator's thread
  (POST /pro/reclamations/<id>/message-mediateur);
- the person answers on their thread (POST /mon-espace/reclamations/<id>/message-mediateur).

Each message is e-mailed to the other side (`dialogue_emails`). A refused message comes back
on its page (422) with what was typed, through `referral_message_form`; the panels read the threads
through the template globals registered in `init_app`.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from portal.auth.policies import current_staff, staff_required
from portal.beneficiary.space_session import signed_in_email
from portal.clock import now
from portal.extensions import db
from portal.mediation import person, staff_views, views
from portal.mediation.dialogue_emails import queue_mediator_message, queue_message_to_mediators
from portal.mediation.dialogue_forms import MediatorMessageForm, ReplyForm
from portal.mediation.dialogue_text import refusal
from portal.mediation.errors import ComplaintError
from portal.mediation.mediator_policies import MEDIATOR, referral_or_404
from portal.mediation.models import Complaint, Referral, ReferralAuthor, Thread
from portal.mediation.policies import complaint_or_404
from portal.mediation.referral_messages import (
    latest_referral,
    may_write,
    post_referral_message,
    thread_messages,
)
from portal.network.models import StaffRole

bp = Blueprint("mediator_messages", __name__)

OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER)


@bp.post("/pro/mediateur/saisines/<id:referral_id>/messages")
@staff_required(MEDIATOR)
def mediator_post(referral_id: int) -> Response | tuple[str, int]:
    referral = referral_or_404(referral_id)
    form = MediatorMessageForm()
    if not form.validate():
        return _mediator_refused(referral, form, None)
    thread = Thread(form.thread.data)
    try:
        message = post_referral_message(
            db.session,
            referral,
            thread=thread,
            author=ReferralAuthor.MEDIATOR,
            by=current_staff(),
            text=form.text.data or "",
            now=now(),
        )
        sent = queue_mediator_message(db.session, referral, message)
    except ComplaintError as error:
        return _mediator_refused(referral, form, refusal(error))
    db.session.commit()
    if sent:
        flash(_("Message enregistré et envoyé par e-mail."), "success")
    else:
        flash(
            _("Message enregistré. Aucune adresse e-mail connue : écrivez aussi par courrier."),
            "success",
        )
    return redirect(mediator_referral_path(referral.id), code=303)


@bp.post("/pro/reclamations/<id:complaint_id>/message-mediateur")
@staff_required(*OPERATOR_STAFF)  # complaint_or_404(handle=True): a manager or the correspondant
def operator_reply(complaint_id: int) -> Response | tuple[str, int]:
    complaint = complaint_or_404(complaint_id, handle=True)
    referral = latest_referral(db.session, complaint)
    if referral is None:  # never referred: no thread (the page shows no form)
        return _not_referred(url_for("mediation_staff.complaint", complaint_id=complaint.id))
    form = ReplyForm()
    if not form.validate():
        return _refused_page(lambda: staff_views.complaint(complaint.id), form, None)
    error = _reply(referral, form, ReferralAuthor.OPERATOR)
    if error is not None:
        return _refused_page(lambda: staff_views.complaint(complaint.id), form, error)
    flash(_("Message envoyé au médiateur."), "success")
    target = url_for("mediation_staff.complaint", complaint_id=complaint.id)
    return redirect(f"{target}#mediator-thread", code=303)


@bp.post("/mon-espace/reclamations/<id:complaint_id>/message-mediateur")
def person_reply(complaint_id: int) -> Response | tuple[str, int]:
    complaint = _owned(complaint_id) or abort(404)
    referral = latest_referral(db.session, complaint)
    if referral is None:
        return _not_referred(url_for("mediation.complaint_page", complaint_id=complaint.id))
    form = ReplyForm()
    if not form.validate():
        return _refused_page(lambda: views.complaint_page(complaint.id), form, None)
    error = _reply(referral, form, ReferralAuthor.PERSON)
    if error is not None:
        return _refused_page(lambda: views.complaint_page(complaint.id), form, error)
    flash(_("Votre message est envoyé au médiateur."), "success")
    target = url_for("mediation.complaint_page", complaint_id=complaint.id)
    return redirect(f"{target}#mediator-thread", code=303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(referral_thread)
    app.add_template_global(complaint_referral)
    app.add_template_global(referral_open_for)
    app.add_template_global(referral_message_form)
    app.add_template_global(referral_refused)


# --- Template globals (the panels' reading) ---------------------------------------------------


def referral_thread(referral: Referral, thread: str) -> list[object]:
    return list(thread_messages(db.session, referral, Thread(thread)))


def complaint_referral(complaint: Complaint) -> Referral | None:
    return latest_referral(db.session, complaint)


def referral_open_for(referral: Referral, author: str) -> bool:
    return may_write(db.session, referral, ReferralAuthor(author))


def referral_message_form(thread: str, mediator: bool = False) -> MediatorMessageForm | ReplyForm:
    """The refused form of this request for this thread (what was typed), or a blank one."""
    form: MediatorMessageForm | ReplyForm
    if referral_refused(thread):
        form = g.referral_refused_form
    elif mediator:
        form = MediatorMessageForm(formdata=None, data={"thread": thread})
    else:
        form = ReplyForm(formdata=None)
    form.text.id = f"referral-{thread}-text"
    return form


def referral_refused(thread: str) -> bool:
    """A message on this thread was refused in this request: its form stays, with the text."""
    return g.get("referral_refused_form") is not None and g.get("referral_refused_thread") in (
        thread,
        None,
    )


def mediator_referral_path(referral_id: int) -> str:
    """The mediator's referral page (another module's); its path when not registered."""
    try:
        target = url_for("mediator.referral", referral_id=referral_id)
    except BuildError:
        target = f"/pro/mediateur/saisines/{referral_id}"
    return f"{target}#referral-messages"


# --- Helpers ----------------------------------------------------------------------------------


def _reply(referral: Referral, form: ReplyForm, author: ReferralAuthor) -> str | None:
    """Record the reply and e-mail the mediator's staff; the refusal in words, or None."""
    by = current_staff() if author == ReferralAuthor.OPERATOR else None
    thread = Thread.OPERATOR if author == ReferralAuthor.OPERATOR else Thread.PERSON
    try:
        message = post_referral_message(
            db.session,
            referral,
            thread=thread,
            author=author,
            by=by,
            text=form.text.data or "",
            now=now(),
        )
        queue_message_to_mediators(db.session, referral, message)
    except ComplaintError as error:
        db.session.rollback()
        return refusal(error)
    db.session.commit()
    return None


def _not_referred(page: str) -> Response:
    flash(_("Le médiateur n'est pas saisi de cette réclamation : il n'y a pas d'échange."), "error")
    return redirect(page, code=303)


def _refused_page(render: object, form: ReplyForm, error: str | None) -> tuple[str, int]:
    """The side's own page again, with the form as typed and the refusal."""
    g.referral_refused_form = form
    g.referral_refused_error = error
    page = render()  # type: ignore[operator]
    if isinstance(page, Response):  # the page itself refused (signed out): no 422 here
        abort(404)
    return page, 422


def _mediator_refused(
    referral: Referral, form: MediatorMessageForm, error: str | None
) -> tuple[str, int]:
    db.session.rollback()
    referral = referral_or_404(referral.id)
    g.referral_refused_form = form
    chosen = form.thread.data
    g.referral_refused_thread = chosen if chosen in ("person", "operator") else None
    g.referral_refused_error = error
    page = render_template(
        "mediation/mediator/messages.html",
        referral=referral,
        back=mediator_referral_path(referral.id),
        error=error,
        form=form,
    )
    return page, 422


def _owned(complaint_id: int) -> Complaint | None:
    """The person's complaint page's own guard: the signed-in address owns the complaint."""
    email = signed_in_email()
    if email is None:
        return None
    return person.owned_complaint(db.session, email=email, complaint_id=complaint_id)

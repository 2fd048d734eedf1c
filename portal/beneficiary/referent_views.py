"""The person's référent unique in their space (issue 14 §4, CCTP 2.1.3): from UO2.1 on,
the space names the dossier's advisor and their site, shows what was written, and lets the
person write « sans préalable formel ». The message is kept on the dossier and e-mailed to
the advisor (`portal.advisor.messages`, `contact_emails`).

The space page draws this part through the `space_referent` template global, so that the
space's template needs one include line.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.advisor import messages
from portal.advisor.contact_emails import queue_message_to_advisor, referent_site
from portal.advisor.contact_forms import MessageForm
from portal.advisor.contact_models import DossierMessage
from portal.advisor.models import Dossier
from portal.beneficiary import services
from portal.beneficiary.space_session import signed_in_email
from portal.clock import today_in_france
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import Site, StaffMember

bp = Blueprint("referent", __name__)


@dataclass(frozen=True, slots=True)
class Referent:
    advisor: StaffMember
    site: Site | None
    thread: list[DossierMessage]
    form: MessageForm


@bp.app_template_global("space_referent")
def space_referent(dossier: Dossier) -> Referent | None:
    """The référent of one of the person's dossiers, or None before UO2.1."""
    advisor = messages.referent_of(dossier, today_in_france())
    if advisor is None:
        return None
    given: dict[int, MessageForm] = g.get("referent_forms", {})
    return Referent(
        advisor=advisor,
        site=referent_site(dossier),
        thread=messages.thread(db.session, dossier.id),
        form=given.get(dossier.id) or _form(dossier.id, fresh=True),
    )


@bp.post("/mon-espace/dossiers/<id:dossier_id>/message")
def write(dossier_id: int) -> Response | str | tuple[str, int]:
    email = signed_in_email()
    if email is None:
        return redirect(url_for("space.home"), code=303)
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None or not services.owns(dossier.beneficiary, email):
        abort(404)
    if messages.referent_unit(dossier, today_in_france()) is None:
        abort(404)  # before UO2.1 the space offers no form to post
    form = _form(dossier.id)
    if form.validate():
        try:
            message = messages.write_to_referent(
                db.session,
                dossier,
                text=form.text.data or "",
                today=today_in_france(),
                now=utcnow(),
            )
        except messages.MessageError as error:
            db.session.rollback()
            form.text.errors = [_refusal(error.code)]
        else:
            queue_message_to_advisor(db.session, dossier, message)
            name = dossier.advisor.full_name
            db.session.commit()
            flash(_("Votre message est envoyé à %(name)s.", name=name), "success")
            return redirect(url_for("space.home", _anchor=f"referent-{dossier.id}"), code=303)
    from portal.beneficiary.views import _space_page  # the space's own page, with this form

    g.referent_forms = {dossier.id: form}
    return _space_page(email), 422


def _form(dossier_id: int, *, fresh: bool = False) -> MessageForm:
    prefix = f"message-{dossier_id}"
    return MessageForm(formdata=None, prefix=prefix) if fresh else MessageForm(prefix=prefix)


def _refusal(code: messages.MessageErrorCode) -> str:
    if code == messages.MessageErrorCode.TOO_LONG:
        return str(_("4 000 caractères au plus : raccourcissez votre message."))
    if code == messages.MessageErrorCode.NO_REFERENT:
        return str(_("Ce dossier n'a plus de conseiller référent : prenez un nouveau rendez-vous."))
    return str(_("Écrivez votre message."))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

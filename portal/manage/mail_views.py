"""« Envois en échec »: the e-mails and SMS of the manager's operator that the sender gave up
on (MAIL_GIVE_UP_HOURS without a working relay or SMS provider, or refused for good), with
« Renvoyer ».

Only the operator's own messages: a message is attributed to an operator by the code that
queues it (`enqueue_mail(operator_id=…)`, `enqueue_sms(operator_id=…)`). Messages of no
operator (a beneficiary's sign-in link, valid 30 minutes: the person simply asks for a new
one) are on no screen; the
non-zero exit of `flask cep send-mail` tells the platform's monitoring.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth.policies import current_operator, own_operator_or_404, staff_required
from portal.db import utcnow
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mail.services import NotResendable, failed_messages, resend_message
from portal.manage import bp
from portal.network.models import StaffRole


@bp.get("/envois-en-echec")
@staff_required(StaffRole.MANAGER)
def failed_mail() -> str:
    operator = current_operator()
    messages = failed_messages(db.session, operator_id=operator.id)
    return render_template("manage/failed_mail.html", messages=messages)


@bp.post("/envois-en-echec/<id:message_id>/renvoyer")
@staff_required(StaffRole.MANAGER)
def resend_mail(message_id: int) -> Response:
    """Back to pending, due now, with a fresh schedule; sent by the next run of the sender."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    own_operator_or_404(message.operator_id)
    try:
        resend_message(db.session, message, now=utcnow())
    except NotResendable:
        db.session.rollback()
        flash(_("Ce message n'est plus en échec : il a déjà été renvoyé."), "info")
        return redirect(url_for("manage.failed_mail"), code=303)
    db.session.commit()
    flash(
        _("Le message à %(to)s est renvoyé : il partira au prochain envoi.", to=message.to_address),
        "success",
    )
    return redirect(url_for("manage.failed_mail"), code=303)

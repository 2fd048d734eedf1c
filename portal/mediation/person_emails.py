"""The e-mail the person receives when they file a complaint online: the acknowledgement of
CCTP 3.7, sent at once, with the day of the answer at the latest and a link to the complaint's
page in their space. The mail layouts end it with the mediator's contact."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.beneficiary.emails import bodies
from portal.i18n import long_date
from portal.mail.models import OutboxMessage
from portal.mail.services import enqueue_mail
from portal.mediation.models import Complaint
from portal.mediation.rules import COMPLAINT_ANSWER_DAYS, answer_by
from portal.urls import public_url


def queue_acknowledgement(session: Session, complaint: Complaint, locale: str) -> OutboxMessage:
    """Queued in the caller's transaction, in the language of the form."""
    assert complaint.email is not None  # an online complaint always has one
    with force_locale(locale):
        subject = _("Votre réclamation est bien reçue")
        context = {
            "complaint": complaint,
            "operator": complaint.operator,
            "received_on": long_date(complaint.received_on),
            "answer_by": long_date(answer_by(complaint.received_on)),
            "answer_days": COMPLAINT_ANSWER_DAYS,
            "page_url": public_url("mediation.complaint_page", locale, complaint_id=complaint.id),
        }
        text, html = bodies("mediation/email/acknowledged", subject, context)
    return enqueue_mail(
        session,
        to=complaint.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"complaint:{complaint.id}:acknowledged",
        operator_id=complaint.operator_id,
    )

"""The e-mails of staff sign-in: the link to choose a new password, and the link to sign in
despite the throttle. Built like the space's e-mails (`beneficiary.emails`): both bodies, the
mail layout (which names the mediator, CCTP 3.7), links from PUBLIC_BASE_URL only — never
from the request's Host header, which anyone can forge."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.auth.models import StaffLinkPurpose
from portal.beneficiary.emails import bodies, current_language
from portal.mail.links import link_secrets
from portal.mail.models import OutboxMessage
from portal.mail.services import enqueue_mail
from portal.network.models import StaffMember
from portal.urls import public_url

_ENDPOINTS = {
    StaffLinkPurpose.RESET: "auth.new_password",
    StaffLinkPurpose.UNLOCK: "auth.unlock",
}


def staff_link(purpose: StaffLinkPurpose, token: str) -> str:
    return public_url(_ENDPOINTS[purpose], current_language(), token=token)


def queue_staff_link(
    session: Session, *, staff: StaffMember, purpose: StaffLinkPurpose, token: str, minutes: int
) -> OutboxMessage:
    """The link, in the language of the page where it was asked for."""
    if purpose is StaffLinkPurpose.RESET:
        subject = _("Choisir un nouveau mot de passe")
    else:
        subject = _("Votre lien de connexion à l'espace professionnel")
    link = staff_link(purpose, token)
    context = {"staff": staff, "link": link, "minutes": minutes}
    text, html = bodies(f"auth/email/{purpose.value}", subject, context)
    # The token is sealed, never stored in clear in the outbox (`mail.secrets`).
    return enqueue_mail(
        session,
        to=staff.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"staff:{purpose}",
        secrets=link_secrets(link, "staff_token"),
        secret_key=current_app.config["SECRET_KEY"],
        operator_id=staff.operator_id,
    )

"""The e-mail that tells the advisor a paper copy was asked for (CCTP 2.1.2). It carries no
address: the advisor reads it in the « Preuves » panel, behind their sign-in, so the outbox
keeps no postal address."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.beneficiary.emails import bodies
from portal.esign.models import PaperCopyRequest
from portal.livrables.emails import TITLES
from portal.mail.models import OutboxMessage
from portal.mail.services import enqueue_mail
from portal.urls import public_url


def queue_copy_requested(session: Session, request: PaperCopyRequest) -> OutboxMessage:
    """To the unit's advisor, in the portal's first language (staff have no language of
    their own), with a link to the livrable's « Preuves » panel."""
    version = request.version
    livrable = version.livrable
    unit = livrable.unit
    person = unit.dossier.beneficiary
    locale = current_app.config["LANGUAGES"][0]
    with force_locale(locale):
        title = str(TITLES[livrable.kind])
        subject = _(
            "Copie papier demandée : %(title)s de %(name)s",
            title=title,
            name=f"{person.first_name} {person.last_name}",
        )
        context = {
            "advisor": unit.advisor,
            "person": person,
            "title": title[:1].lower() + title[1:],  # « son projet professionnel »
            "unit": unit,
            "version": version,
            "link": public_url("livrables.editor", locale, unit_id=unit.id) + "#preuves",
        }
        text, html = bodies("esign/email/copy_requested", subject, context)
    return enqueue_mail(
        session,
        to=unit.advisor.email,
        subject=subject,
        text=text,
        html=html,
        topic=f"paper-copy:{request.id}",
        operator_id=unit.operator_id,
    )


__all__ = ["queue_copy_requested"]

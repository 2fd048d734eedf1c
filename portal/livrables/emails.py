"""The beneficiary's copy of their signed livrable: the printed PDF and the signed scan, by
e-mail in their language, at once (issue 4 §5); the same files wait in their space."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.beneficiary.emails import bodies, language
from portal.esign.models import SealedDocument
from portal.i18n import long_date
from portal.livrables.models import Livrable, LivrableKind, LivrableVersion
from portal.mail.models import OutboxMessage
from portal.mail.services import Attachment, enqueue_mail
from portal.urls import public_url

TITLES = {
    LivrableKind.ETAT_DES_LIEUX: _l("État des lieux partagé"),
    LivrableKind.PROJET_PROFESSIONNEL: _l("Projet professionnel"),
}
# File names people keep: French, as the document itself.
FILE_STEMS = {
    LivrableKind.ETAT_DES_LIEUX: "etat-des-lieux-partage",
    LivrableKind.PROJET_PROFESSIONNEL: "projet-professionnel",
}
SCAN_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def pdf_filename(livrable: Livrable, version: LivrableVersion) -> str:
    return f"{FILE_STEMS[livrable.kind]}-{livrable.unit.number}-v{version.number}.pdf"


def scan_filename(livrable: Livrable, version: LivrableVersion) -> str:
    assert version.scan is not None
    extension = SCAN_EXTENSIONS.get(version.scan.content_type, "bin")
    return f"{FILE_STEMS[livrable.kind]}-{livrable.unit.number}-signe.{extension}"


def copy_pdf(session: Session, version: LivrableVersion) -> bytes:
    """The person's copy: the sealed PDF once the version is signed and sealed, else the
    printed one (a version signed before sealing existed)."""
    sealed = session.get(SealedDocument, version.id)
    return sealed.pdf if sealed is not None else version.pdf


def queue_signed_copy(
    session: Session, livrable: Livrable, version: LivrableVersion
) -> OutboxMessage:
    unit = livrable.unit
    beneficiary = unit.dossier.beneficiary
    locale = language(beneficiary)
    attachments = [
        Attachment(pdf_filename(livrable, version), "application/pdf", copy_pdf(session, version))
    ]
    if version.scan is not None:
        attachments.append(
            Attachment(
                scan_filename(livrable, version), version.scan.content_type, version.scan.data
            )
        )
    with force_locale(locale):
        title = str(TITLES[livrable.kind])
        title = title[:1].lower() + title[1:]  # within a sentence: « votre projet professionnel »
        subject = _("Votre %(title)s signé", title=title)
        context = {
            "beneficiary": beneficiary,
            "operator": unit.operator,
            "title": title,
            "unit": unit,
            "version": version,
            "closed_on": long_date(unit.closed_on) if unit.closed_on else "",
            "space_url": public_url("space.home", locale),
            "with_scan": version.scan is not None,
        }
        text, html = bodies("livrables/email/signed", subject, context)
    return enqueue_mail(
        session,
        to=beneficiary.email,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        topic=f"livrable:{livrable.id}:signed",
        operator_id=unit.operator_id,
    )

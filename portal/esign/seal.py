"""The sealed livrable: the printed PDF, its « certificat de preuve » as a last page, and a
PAdES seal (pyHanko) with the operator's certificate, timestamped by an RFC 3161 server when
one is configured. A server that fails (unreachable, an HTTP error, an answer that is no
timestamp reply) leaves the server's time, and the certificate page says so. Sealing is
idempotent per version and writes a `sealed` event."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pypdf import PdfWriter
from sqlalchemy.orm import Session

from portal.esign.asyncio_bridge import run
from portal.esign.certificate_page import CertifiedEvent, EvidenceCertificate, render_certificate
from portal.esign.certificates import SealSettings, load_signer
from portal.esign.codes import CODE_MINUTES
from portal.esign.evidence import events_of, record_event, verify_chain
from portal.esign.models import ActorKind, EventKind, SealedDocument, SignatureEvent
from portal.esign.timestamps import GuardedTimeStamper, tsa_certificate_sha256
from portal.livrables.models import LivrableVersion, SignatureMethod, SignatureParty
from portal.livrables.pdf_layout import TITLES
from portal.livrables.pdf_text import french_day
from portal.network.models import StaffMember

FIELD_NAME = "CachetPortailCEP"
REASON = "Document signé et certificat de preuve, scellés par le portail CEP"
SERVER_TIME = (
    "Heure : horloge du serveur du portail (UTC). Aucun service d'horodatage RFC 3161 n'est "
    "configuré : l'heure n'est pas attestée par un tiers."
)
TSA_TIME = "Heure attestée par un jeton d'horodatage RFC 3161 de {url}, joint au cachet."
TSA_FAILED = (
    "Heure : horloge du serveur du portail (UTC). Le service d'horodatage RFC 3161 {url} n'a "
    "pas répondu au moment du scellement : l'heure n'est pas attestée par un tiers."
)
log = logging.getLogger(__name__)


class SealError(RuntimeError):
    pass


def seal_version(
    session: Session, version: LivrableVersion, *, settings: SealSettings, now: datetime
) -> SealedDocument:
    """Seal a signed version (again: the row already made). Refused when its evidence chain
    is broken: a certificate must not vouch for a trail that was tampered with."""
    existing = session.get(SealedDocument, version.id)
    if existing is not None:
        return existing
    report = verify_chain(session, version.id)
    if report.broken is not None:
        raise SealError(f"evidence chain of version {version.id}: {report.broken.describe()}")
    signer = load_signer(settings)
    tsa_url = settings.tsa_url
    note = TSA_TIME.format(url=tsa_url) if tsa_url else SERVER_TIME
    try:
        sealed = _sealed_pdf(session, version, settings, signer, now, note, tsa_url)
    except TimestampRequestError:
        log.warning(
            "RFC 3161 server %s failed: sealed on the server's time", tsa_url, exc_info=True
        )
        note, tsa_url = TSA_FAILED.format(url=tsa_url), ""
        sealed = _sealed_pdf(session, version, settings, signer, now, note, "")
    digest, certificate_sha256 = seal_facts(sealed)
    row = SealedDocument(
        version_id=version.id,
        pdf=sealed,
        sha256=hashlib.sha256(sealed).hexdigest(),
        message_digest=digest,
        certificate_sha256=certificate_sha256,
        sealed_at=now,
        timestamp="rfc3161" if tsa_url else "server",
        tsa_url=tsa_url or None,
        tsa_certificate_sha256=tsa_certificate_sha256(sealed) if tsa_url else None,
        chain_length=report.length,
        chain_head=report.head_hash,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        version=version,
        kind=EventKind.SEALED,
        now=now,
        detail={
            "sha256": row.sha256,
            "certificate_sha256": certificate_sha256,
            "timestamp": row.timestamp,
            "tsa_url": row.tsa_url,
            "tsa_certificate_sha256": row.tsa_certificate_sha256,
            "chain_length": row.chain_length,
            "chain_head": row.chain_head,
        }
        | ({"tsa_failed": settings.tsa_url} if settings.tsa_url and not tsa_url else {}),
    )
    return row


def seal_facts(pdf: bytes) -> tuple[str, str]:
    """The digest the (last) seal of a PDF signs and the SHA-256 of its certificate."""
    return signature_facts(PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures[-1])


def signature_facts(signature: EmbeddedPdfSignature) -> tuple[str, str]:
    digest = find_unique_cms_attribute(signature.signer_info["signed_attrs"], "message_digest")
    certificate = hashlib.sha256(signature.signer_cert.dump()).hexdigest()
    return bytes(digest.native).hex(), certificate


def _sealed_pdf(
    session: Session,
    version: LivrableVersion,
    settings: SealSettings,
    signer: signers.SimpleSigner,
    now: datetime,
    timestamp_note: str,
    tsa_url: str,
) -> bytes:
    assert signer.signing_cert is not None
    subject = str(signer.signing_cert.subject.native.get("common_name", ""))
    certificate = _certificate(session, version, settings, subject, now, timestamp_note)
    return _sign(_append(version.pdf, render_certificate(certificate)), signer, tsa_url)


def _sign(document: bytes, signer: signers.SimpleSigner, tsa_url: str) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON,
    )
    timestamper = GuardedTimeStamper(tsa_url) if tsa_url else None
    writer = IncrementalPdfFileWriter(BytesIO(document), strict=False)
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
    output = run(pdf_signer.async_sign_pdf(writer))
    return bytes(output.getbuffer())


def _append(livrable: bytes, page: bytes) -> bytes:
    writer = PdfWriter(clone_from=BytesIO(livrable))
    writer.append(BytesIO(page))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _certificate(
    session: Session,
    version: LivrableVersion,
    settings: SealSettings,
    subject: str,
    now: datetime,
    timestamp_note: str,
) -> EvidenceCertificate:
    livrable = version.livrable
    unit = livrable.unit
    events = events_of(session, version.id)
    parties = []
    for party, role, name in (
        (SignatureParty.ADVISOR, "Le conseiller", unit.advisor.full_name),
        (SignatureParty.BENEFICIARY, "Le bénéficiaire", unit.dossier.beneficiary.full_name),
    ):
        signature = version.signature_of(party)
        how = "pas encore signé"
        if signature is not None:
            way = "sur papier" if signature.method == SignatureMethod.PAPER else "en ligne"
            how = f"a signé {way} le {french_day(signature.signed_on)}"
        parties.append((role, name, how))
    return EvidenceCertificate(
        title=TITLES[livrable.kind],
        version=version.number,
        unit_number=unit.formatted_number,
        operator_name=unit.operator.name,
        content_sha256=version.content_sha256,
        pdf_sha256=hashlib.sha256(version.pdf).hexdigest(),
        parties=tuple(parties),
        identification=_identification(version, events),
        events=tuple(_certified(session, event) for event in events),
        chain_length=len(events),
        chain_head=events[-1].hash if events else "",
        timestamp_note=timestamp_note,
        seal_subject=subject,
        sealed_at=now,
        verify_url=settings.verify_url,
        mediator_url=settings.mediator_url,
        mediator_address=settings.mediator_address,
    )


def _identification(version: LivrableVersion, events: list[SignatureEvent]) -> tuple[str, ...]:
    lines = [
        "Le conseiller agit depuis son compte nominatif du portail, après authentification "
        "par mot de passe ; chaque étape est enregistrée à son nom."
    ]
    methods = {s.method for s in version.signatures}
    if SignatureMethod.PAPER in methods:
        lines.append(
            "Signature sur papier : chaque partie signe de sa main l'exemplaire imprimé, qui "
            "porte l'empreinte ci-dessus sur chaque page ; le bénéficiaire écrit la mention "
            "« Lu et approuvé ». L'exemplaire signé est numérisé et versé au dossier."
        )
    if SignatureMethod.ELECTRONIC in methods:
        lines.append(
            "Signature en ligne : le conseiller confirme la sienne par son mot de passe ; le "
            "bénéficiaire ouvre un lien personnel (envoyé par e-mail, ou présenté pendant "
            f"l'entretien), reçoit un code à six chiffres à usage unique valable {CODE_MINUTES} "
            "minutes (par SMS au numéro du dossier, ou par e-mail s'il n'a pas de mobile), saisit "
            "la mention « Lu et approuvé » et son nom, et donne son consentement exprès."
        )
        channels = sorted(
            {str(e.detail.get("channel")) for e in events if e.detail} & {"sms", "email"}
        )
        if channels:
            said = " et ".join("SMS" if c == "sms" else "e-mail" for c in channels)
            lines.append(f"Canal du code de confirmation pour cette version : {said}.")
    return tuple(lines)


def _certified(session: Session, event: SignatureEvent) -> CertifiedEvent:
    if event.actor_kind == ActorKind.STAFF and event.actor_staff_id is not None:
        member = session.get(StaffMember, event.actor_staff_id)
        actor = f"{member.full_name if member else '?'} (conseiller)"
    elif event.actor_kind == ActorKind.BENEFICIARY:
        actor = "le bénéficiaire"
    else:
        actor = "le portail"
    return CertifiedEvent(
        sequence=event.sequence,
        at=event.at,
        kind=EventKind(event.kind),
        actor=actor,
        detail=_detail(event),
        document_sha256=event.document_sha256,
        hash=event.hash,
    )


def _detail(event: SignatureEvent) -> str:
    detail = event.detail or {}
    if event.kind in (EventKind.PAPER_DATES_RECORDED, EventKind.SIGNED):
        who = "le conseiller" if detail.get("party") == "advisor" else "le bénéficiaire"
        day = detail.get("signed_on")
        return f"{who} a signé le {french_day(datetime.fromisoformat(day).date())}" if day else who
    if event.kind == EventKind.SCAN_UPLOADED:
        return f"copie numérisée, SHA-256 {detail.get('sha256', '')}"
    if event.kind == EventKind.COPY_DELIVERED:
        if detail.get("channel") == "post":
            return "exemplaire papier envoyé par courrier"
        return "par e-mail et dans son espace personnel"
    if event.kind == EventKind.REQUESTED:
        return "pendant l'entretien" if detail.get("place") == "in_session" else "à distance"
    if event.kind == EventKind.CODE_SENT:
        channel = "par SMS" if detail.get("channel") == "sms" else "par e-mail"
        return f"{channel} au {detail.get('to', '')}"
    if event.kind == EventKind.CODE_FAILED:
        return f"essais restants : {detail.get('tries_left', '?')}"
    if event.kind == EventKind.CONSENT_GIVEN:
        return f"mention « {detail.get('mention', '')} », nom saisi « {detail.get('name', '')} »"
    if event.kind == EventKind.METHOD_CHOSEN:
        return "en ligne" if detail.get("method") == "electronic" else "sur papier"
    if event.kind == EventKind.REQUEST_WITHDRAWN:
        return {
            "new_version": "le document a été modifié",
            "new_request": "remplacée par une nouvelle demande",
            "paper": "passage à la signature sur papier",
        }.get(str(detail.get("why")), "retirée par le conseiller")
    return ""


__all__ = ["SealError", "seal_facts", "seal_version", "signature_facts"]

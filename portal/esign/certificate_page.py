"""The « certificat de preuve »: the last page of a sealed livrable, in French as the
document. It names the parties and how each was identified, lists every event of the
version's evidence chain with its time and the document's SHA-256, the chain's last link, how
the time was taken, and the mediator of France compétences (CCTP 3.7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.clock import PARIS
from portal.esign.models import EventKind
from portal.livrables.pdf_text import FONT_FILES, clean, french_day

FONT = "DejaVuSans"
LINE = 4.6  # millimetres

EVENT_LABELS = {
    EventKind.REQUESTED: "Signature en ligne demandée",
    EventKind.LINK_SENT: "Lien de signature envoyé",
    EventKind.OPENED: "Document ouvert par le signataire",
    EventKind.CODE_SENT: "Code de confirmation envoyé",
    EventKind.CODE_FAILED: "Code de confirmation erroné",
    EventKind.CODE_VERIFIED: "Code de confirmation vérifié",
    EventKind.CONSENT_GIVEN: "Consentement donné",
    EventKind.SIGNED: "Signé en ligne",
    EventKind.SEALED: "Document scellé",
    EventKind.COPY_DELIVERED: "Exemplaire remis",
    EventKind.REQUEST_WITHDRAWN: "Demande de signature retirée",
    EventKind.REQUEST_EXPIRED: "Demande de signature expirée",
    EventKind.PAPER_PRINTED: "Imprimé pour signature",
    EventKind.PAPER_DATES_RECORDED: "Signature manuscrite enregistrée",
    EventKind.SCAN_UPLOADED: "Exemplaire signé numérisé versé au dossier",
    EventKind.PAPER_COPY_REQUESTED: "Exemplaire papier demandé par courrier",
    EventKind.VOIDED: "Version annulée avant signature",
    EventKind.METHOD_CHOSEN: "Méthode de signature choisie",
}


@dataclass(frozen=True, slots=True)
class CertifiedEvent:
    sequence: int
    at: datetime
    kind: EventKind
    actor: str  # « Dominique Martin (conseiller) », « le portail »
    detail: str  # what the event adds: the date signed, the scan's SHA-256…
    document_sha256: str
    hash: str


@dataclass(frozen=True, slots=True)
class EvidenceCertificate:
    title: str  # « État des lieux partagé »
    version: int
    unit_number: str
    operator_name: str
    content_sha256: str
    pdf_sha256: str
    parties: tuple[tuple[str, str, str], ...]  # role, name, how they signed
    identification: tuple[str, ...]
    events: tuple[CertifiedEvent, ...]
    chain_length: int
    chain_head: str
    timestamp_note: str
    seal_subject: str
    sealed_at: datetime
    verify_url: str
    mediator_url: str
    mediator_address: str


def render_certificate(doc: EvidenceCertificate) -> bytes:
    pdf = _Page(doc)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    _line(pdf, "Certificat de preuve", height=9)
    pdf.set_font(FONT, size=10)
    _line(pdf, f"{doc.title}, version {doc.version} — dossier n° {doc.unit_number}")
    _line(pdf, doc.operator_name)
    pdf.ln(2)
    _hash(pdf, "Empreinte SHA-256 du texte signé", doc.content_sha256)
    _hash(pdf, "Empreinte SHA-256 du PDF imprimé", doc.pdf_sha256)
    _heading(pdf, "Les parties")
    for role, name, how in doc.parties:
        pdf.set_font(FONT, "B", 9.5)
        _line(pdf, f"{role} : {name}")
        pdf.set_font(FONT, size=9)
        _line(pdf, how)
    _heading(pdf, "Identification des signataires")
    pdf.set_font(FONT, size=9)
    for text in doc.identification:
        _line(pdf, f"- {text}")
    _heading(pdf, "Journal de preuve")
    for event in doc.events:
        _event(pdf, event)
    pdf.ln(1)
    pdf.set_font(FONT, size=8.5)
    _line(pdf, f"{doc.chain_length} événements chaînés ; dernier maillon : {doc.chain_head}")
    _heading(pdf, "Horodatage et cachet")
    pdf.set_font(FONT, size=9)
    _line(pdf, doc.timestamp_note)
    _line(
        pdf,
        f"Scellé le {_moment(doc.sealed_at)} par un cachet électronique (PAdES) au nom de "
        f"« {doc.seal_subject} ». Toute modification du fichier rompt le cachet.",
    )
    _line(pdf, f"Vérifier une copie, sans compte : {doc.verify_url}")
    _heading(pdf, "Un désaccord ?")
    pdf.set_font(FONT, size=9)
    _line(
        pdf,
        "Adressez d'abord une réclamation à votre opérateur. Si sa réponse ne vous satisfait "
        "pas, vous pouvez saisir gratuitement le médiateur de France compétences :",
    )
    _line(pdf, f"- en ligne : {doc.mediator_url}")
    _line(pdf, f"- par courrier : {doc.mediator_address}")
    return bytes(pdf.output())


class _Page(FPDF):
    def __init__(self, doc: EvidenceCertificate) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        for style, path in FONT_FILES.items():
            self.add_font(FONT, style, str(path))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_creation_date(doc.sealed_at)
        self.set_title(clean(f"Certificat de preuve — {doc.title}, version {doc.version}"))
        self.set_author(clean(doc.operator_name))
        self.set_lang("fr")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=7)
        self.set_text_color(90)
        text = f"Certificat de preuve · version {self.doc.version} · {self.doc.content_sha256}"
        self.cell(0, 4, clean(text))
        self.set_text_color(0)


def _event(pdf: _Page, event: CertifiedEvent) -> None:
    if pdf.will_page_break(16):
        pdf.add_page()
    pdf.set_font(FONT, "B", 9)
    label = EVENT_LABELS[event.kind]
    _line(pdf, f"n° {event.sequence} — {_moment(event.at)} — {label}")
    pdf.set_font(FONT, size=8.5)
    _line(pdf, f"par {event.actor}" + (f" ; {event.detail}" if event.detail else ""))
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(70)
    _line(pdf, f"document {event.document_sha256} · maillon {event.hash[:16]}", height=3.6)
    pdf.set_text_color(0)
    pdf.ln(1)


def _heading(pdf: _Page, title: str) -> None:
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11.5)
    _line(pdf, title, height=6)
    pdf.set_draw_color(150)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)


def _hash(pdf: _Page, label: str, value: str) -> None:
    pdf.set_font(FONT, size=8.5)
    _line(pdf, f"{label} : {value}")


def _line(pdf: _Page, text: str, *, height: float = LINE) -> None:
    pdf.multi_cell(0, height, clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _moment(at: datetime) -> str:
    """« 4 décembre 2026 à 12:00:05 (Paris), 11:00:05 UTC »: the server's clock, to the
    second."""
    local = at.astimezone(PARIS)
    utc = at.astimezone(UTC)
    return f"{french_day(local.date())} à {local:%H:%M:%S} (Paris), {utc:%H:%M:%S} UTC"


__all__ = ["EVENT_LABELS", "CertifiedEvent", "EvidenceCertificate", "render_certificate"]

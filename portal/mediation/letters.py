"""The operator's answer to a complaint, as a PDF letter (CCTP 3.7: the answer carries the
mediator's contact, « sur chaque document et courrier »).

Attached to the answer's e-mail and downloadable by the operator's staff and by the person.
It is a letter from the operator, in French like the livrable (the portal's official
documents are French); it reuses the livrable's PDF machinery: fpdf2, the embedded DejaVu Sans
(`portal.livrables.pdf_text`), French dates. Every page's footer names the mediator and their
address; the closing block says who the mediator is, when they may be referred to and how,
online from the person's space included. The same complaint prints the same bytes (the
creation date is the answer's time). No Flask here: the caller passes the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy.orm import Session

from portal.clock import PARIS
from portal.livrables.pdf_layout import FONT, LINE
from portal.livrables.pdf_text import FONT_FILES, clean, french_day
from portal.mediation.models import Complaint
from portal.mediation.rules import COMPLAINT_ANSWER_DAYS
from portal.network.models import StaffMember

MEDIATOR_NAME = "Médiateur de France compétences"
FILENAME = "reponse-reclamation-{number}.pdf"


@dataclass(frozen=True, slots=True)
class Mediator:
    """The mediator's contact (`MEDIATOR_URL`, `MEDIATOR_POSTAL_ADDRESS`) and the link to the
    person's complaint page, from where they refer online."""

    url: str
    postal_address: str
    space_url: str


class NotAnswered(ValueError):
    """A letter needs the operator's answer."""


def letter_filename(complaint: Complaint) -> str:
    return FILENAME.format(number=complaint.id)


def answer_letter(session: Session, complaint: Complaint, *, mediator: Mediator) -> bytes:
    """The PDF letter of the complaint's answer (NotAnswered before the answer)."""
    if complaint.answer is None or complaint.answered_at is None:
        raise NotAnswered(complaint.id)
    signatory = (
        session.get(StaffMember, complaint.answered_by_id) if complaint.answered_by_id else None
    )
    pdf = _Letter(complaint, mediator)
    pdf.add_page()
    _heading(pdf, complaint)
    _body(pdf, complaint, signatory.full_name if signatory else None)
    _mediator(pdf, mediator)
    return bytes(pdf.output())


class _Letter(FPDF):
    def __init__(self, complaint: Complaint, mediator: Mediator) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.mediator = mediator
        for style, path in FONT_FILES.items():
            self.add_font(FONT, style, str(path))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=24)
        self.set_creation_date(_answered_at(complaint))
        self.set_title(clean(f"Réponse à la réclamation n° {complaint.id}"))
        self.set_author(clean(complaint.operator.name))
        self.set_lang("fr")

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font(FONT, size=7)
        self.set_text_color(90)
        line = (
            f"{MEDIATOR_NAME}, tiers indépendant : {self.mediator.url} · "
            f"{self.mediator.postal_address}"
        )
        self.multi_cell(150, 3.5, clean(line), align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(0, 3.5, f"Page {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)


def _answered_at(complaint: Complaint) -> datetime:
    assert complaint.answered_at is not None
    return complaint.answered_at


def _line(pdf: _Letter, text: str, *, height: float = LINE, align: str = "L") -> None:
    pdf.multi_cell(0, height, clean(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: _Letter, complaint: Complaint) -> None:
    operator = complaint.operator
    pdf.set_font(FONT, "B", 11)
    _line(pdf, operator.name)
    pdf.set_font(FONT, size=9)
    for contact in (operator.postal_address, operator.phone, operator.email, operator.website):
        if contact:
            _line(pdf, contact, height=4.5)
    pdf.ln(8)
    # The addressee, on the right half (a window envelope's place).
    pdf.set_font(FONT, size=10)
    pdf.set_x(pdf.w / 2)
    addressee = [f"{complaint.first_name} {complaint.last_name}"]
    if complaint.postal_address:
        addressee += complaint.postal_address.strip().splitlines()
    pdf.multi_cell(0, LINE, clean("\n".join(addressee)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    answered_on = _answered_at(complaint).astimezone(PARIS).date()
    _line(pdf, f"Le {french_day(answered_on)}", align="R")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 10)
    _line(pdf, f"Objet : réponse à votre réclamation n° {complaint.id}")
    pdf.set_font(FONT, size=10)
    _line(pdf, f"Réclamation reçue le {french_day(complaint.received_on)}")
    pdf.ln(6)


def _body(pdf: _Letter, complaint: Complaint, signatory: str | None) -> None:
    pdf.set_font(FONT, size=10)
    _line(pdf, "Madame, Monsieur,")
    pdf.ln(2)
    _line(
        pdf,
        f"Vous nous avez adressé une réclamation, reçue le {french_day(complaint.received_on)}. "
        "Voici notre réponse.",
    )
    pdf.ln(3)
    _line(pdf, (complaint.answer or "").strip() or "—")
    pdf.ln(3)
    _line(
        pdf,
        "Vous pouvez nous dire depuis votre espace si cette réponse vous satisfait. Nous vous "
        "prions d'agréer nos salutations distinguées.",
    )
    pdf.ln(6)
    lines = [(signatory, "B"), (f"pour {complaint.operator.name}", "")] if signatory else []
    for text, style in lines or [(complaint.operator.name, "B")]:
        pdf.set_x(pdf.w / 2)
        pdf.set_font(FONT, style, 10)
        pdf.multi_cell(0, LINE, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _mediator(pdf: _Letter, mediator: Mediator) -> None:
    if pdf.will_page_break(45):
        pdf.add_page()
    pdf.ln(8)
    top = pdf.get_y()
    pdf.set_draw_color(150)
    pdf.line(pdf.l_margin, top, pdf.w - pdf.r_margin, top)
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    _line(pdf, "Cette réponse ne vous satisfait pas ? Le médiateur de France compétences")
    pdf.set_font(FONT, size=9)
    _line(
        pdf,
        "Le médiateur de France compétences est un tiers indépendant et impartial ; il n'est pas "
        "un service client : on le saisit après une première réclamation à l'opérateur, quand sa "
        "réponse ne satisfait pas ou qu'il n'a pas répondu dans les "
        f"{COMPLAINT_ANSWER_DAYS} jours. La saisine est gratuite.",
        height=4.5,
    )
    _line(pdf, f"- en ligne, depuis votre espace : {mediator.space_url}", height=4.5)
    _line(pdf, f"- sur le site de France compétences : {mediator.url}", height=4.5)
    _line(pdf, f"- par courrier : {mediator.postal_address}", height=4.5)


__all__ = [
    "FILENAME",
    "MEDIATOR_NAME",
    "Mediator",
    "NotAnswered",
    "answer_letter",
    "letter_filename",
]

"""The layout of the printed livrable: an A4 page per part, the steps and the organisations
as tables, the two signature boxes, the mediator, and on every page the version's SHA-256.

Drawing only: what is printed comes as a `PrintedLivrable` (see `portal.livrables.pdf`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from portal.clock import PARIS
from portal.livrables.models import LivrableKind
from portal.livrables.pdf_text import FONT_FILES, clean, french_day
from portal.mediation.rules import COMPLAINT_ACKNOWLEDGEMENT_DAYS, COMPLAINT_ANSWER_DAYS

if TYPE_CHECKING:
    from portal.livrables.pdf import PrintedLivrable, WishedService

TITLES = {
    LivrableKind.ETAT_DES_LIEUX: "État des lieux partagé",
    LivrableKind.PROJET_PROFESSIONNEL: "Projet professionnel",
}
STEP_WIDTHS = (38, 52, 30, 24, 36)  # millimetres, 180 in all
FONT = "DejaVuSans"  # embedded, see pdf_text.FONT_FILES
LINE = 5.0  # millimetres per line of body text


# --- Rendering --------------------------------------------------------------------------------


def render(doc: PrintedLivrable) -> bytes:
    pdf = _Document(doc)
    pdf.add_page()
    _heading(pdf, doc)
    for title, text in doc.sections:
        _section(pdf, title)
        _paragraph(pdf, text.strip() or "—")
    if doc.kind == LivrableKind.ETAT_DES_LIEUX:
        _section(pdf, "Décision")
        _paragraph(pdf, doc.decision or "—")
    else:
        _section(pdf, "Plan d'actions")
        _steps(pdf, doc.steps, doc.step_headings)
        _section(pdf, "Prestations complémentaires souhaitées")
        _services(pdf, doc.services)
        _section(pdf, "Accompagnement à la mise en œuvre du projet (UO2.2)")
        _paragraph(pdf, _wish(doc.wants_uo22))
    _signatures(pdf, doc)
    _mediator(pdf, doc)
    return bytes(pdf.output())


class _Document(FPDF):
    def __init__(self, doc: PrintedLivrable) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        for style, path in FONT_FILES.items():
            self.add_font(FONT, style, str(path))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_creation_date(doc.frozen_at)
        self.set_title(clean(f"{TITLES[doc.kind]} — {doc.person_name}"))
        self.set_author(clean(doc.operator_name))
        self.set_lang("fr")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        line = f"{TITLES[self.doc.kind]} — {self.doc.person_name} — n° {self.doc.unit_number}"
        self.cell(0, 5, clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=7)
        self.set_text_color(90)
        left = f"Version {self.doc.version} · Empreinte SHA-256 : {self.doc.sha256}"
        self.cell(150, 4, clean(left))
        self.cell(0, 4, f"Page {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)


def _heading(pdf: _Document, doc: PrintedLivrable) -> None:
    pdf.set_font(FONT, "B", 11)
    _line(pdf, doc.operator_name)
    pdf.set_font(FONT, size=9)
    for contact in doc.operator_contact:
        _line(pdf, contact, height=4.5)
    pdf.ln(6)
    pdf.set_font(FONT, "B", 20)
    _line(pdf, TITLES[doc.kind], height=10)
    pdf.set_font(FONT, size=10)
    _line(pdf, f"Conseil en évolution professionnelle — {doc.unit_label}")
    pdf.ln(4)
    facts = (
        ("Bénéficiaire", doc.person_name),
        ("Conseiller", doc.advisor_name),
        ("Numéro de dossier", doc.unit_number),
        ("Bon de commande", doc.purchase_order_ref),
        ("Engagement", french_day(doc.engaged_on)),
        ("Échéance", french_day(doc.deadline)),
        (
            "Version",
            f"{doc.version}, imprimée le {french_day(doc.frozen_at.astimezone(PARIS).date())}",
        ),
    )
    for label, value in facts:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(45, LINE, clean(label))
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(0, LINE, clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _section(pdf: _Document, title: str) -> None:
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(150)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_font(FONT, size=10)


def _paragraph(pdf: _Document, text: str) -> None:
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, LINE, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _line(pdf: _Document, text: str, *, height: float = LINE) -> None:
    pdf.multi_cell(0, height, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _steps(pdf: _Document, steps: tuple[tuple[str, ...], ...], headings: tuple[str, ...]) -> None:
    if not steps:
        _paragraph(pdf, "—")
        return
    pdf.set_font(FONT, size=9)
    if all(_fits_on_a_page(pdf, step) for step in steps):
        with pdf.table(col_widths=STEP_WIDTHS, line_height=4.5, text_align="LEFT") as table:
            _row(table, headings)
            for step in steps:
                _row(table, step)
        return
    # A step longer than a page cannot sit in a table row: each step as a block instead.
    for number, step in enumerate(steps, start=1):
        pdf.set_font(FONT, "B", 10)
        _line(pdf, f"Étape {number}")
        for heading, value in zip(headings, step, strict=True):
            _paragraph(pdf, f"{heading} : {value or '—'}")
        pdf.ln(2)


def _row(table: Any, values: Iterable[str]) -> None:
    row = table.row()
    for value in values:
        row.cell(clean(value))


def _fits_on_a_page(pdf: _Document, step: tuple[str, ...]) -> bool:
    usable = pdf.eph - 20
    for width, value in zip(STEP_WIDTHS, step, strict=True):
        lines = pdf.multi_cell(
            width - 2, 4.5, clean(value), dry_run=True, output=MethodReturnValue.LINES
        )
        if len(cast(list[str], lines)) * 4.5 > usable:
            return False
    return True


def _services(pdf: _Document, services: tuple[WishedService, ...]) -> None:
    if not services:
        _paragraph(pdf, "Aucune prestation complémentaire souhaitée.")
        return
    _paragraph(
        pdf,
        "Pour chaque prestation souhaitée, la liste complète des organismes de la région qui "
        "la proposent ; la personne choisit librement (CCTP 2.1.3).",
    )
    for service in services:
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FONT, "B", 11)
        _line(pdf, service.label)
        pdf.set_font(FONT, size=9)
        if service.providers:
            with pdf.table(col_widths=(100, 60, 20), line_height=4.5, text_align="LEFT") as table:
                _row(table, ("Organisme", "Commune", "Choix"))
                for name, commune, chosen in service.providers:
                    _row(table, (name, commune, "Choisi" if chosen else ""))
        else:
            _paragraph(pdf, "Aucun organisme de la région n'est recensé pour cette prestation.")
        if service.chosen:
            choice = f"Choix de la personne : {service.chosen}"
        else:
            choice = "Choix de la personne : pas encore fait."
        pdf.set_font(FONT, "B", 10)
        _line(pdf, choice)


def _signatures(pdf: _Document, doc: PrintedLivrable) -> None:
    height = 58.0
    if pdf.will_page_break(height + 12):
        pdf.add_page()
    _section(pdf, "Signatures")
    top = pdf.get_y()
    width = (pdf.epw - 10) / 2
    boxes = (
        ("Le conseiller", doc.advisor_name, None),
        ("Le bénéficiaire", doc.person_name, "Mention manuscrite « Lu et approuvé » :"),
    )
    for index, (role, name, mention) in enumerate(boxes):
        x = pdf.l_margin + index * (width + 10)
        pdf.rect(x, top, width, height)
        pdf.set_xy(x + 3, top + 3)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(width - 6, LINE, clean(role), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(width - 6, LINE, clean(f"Nom : {name}"), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.cell(width - 6, LINE + 2, "Date :", new_x=XPos.LEFT, new_y=YPos.NEXT)
        if mention:
            pdf.cell(width - 6, LINE + 2, clean(mention), new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.cell(width - 6, LINE, "Signature :", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin, top + height + 3)
    pdf.set_font(FONT, "I", 9)
    _line(
        pdf,
        "Le bénéficiaire écrit de sa main la mention « Lu et approuvé » avant de signer. "
        "L'unité d'accompagnement se clôt à la date de sa signature.",
        height=4.5,
    )


def _mediator(pdf: _Document, doc: PrintedLivrable) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "B", 10)
    _line(pdf, "Un désaccord avec votre opérateur ?")
    pdf.set_font(FONT, size=9)
    _line(
        pdf,
        "Adressez d'abord une réclamation à votre opérateur régional : il en accuse réception "
        f"sous {COMPLAINT_ACKNOWLEDGEMENT_DAYS} jours et vous répond sous "
        f"{COMPLAINT_ANSWER_DAYS} jours. Si sa réponse ne vous satisfait pas, vous pouvez "
        "saisir gratuitement le médiateur de France compétences, tiers indépendant et "
        "impartial :",
        height=4.5,
    )
    _line(pdf, f"- en ligne : {doc.mediator_url}", height=4.5)
    _line(pdf, f"- par courrier : {doc.mediator_address}", height=4.5)


def _wish(wants: bool | None) -> str:
    if wants is None:
        return "—"
    return "Souhaité par la personne" if wants else "Non souhaité par la personne"


__all__ = ["FONT", "LINE", "STEP_WIDTHS", "TITLES", "render"]

"""CCTP 3.7: the mediator of France compétences, their role and contact, on every page, every
e-mail and every PDF the portal produces.

- Pages: every template that renders a whole page (`<html`) is `base.html`, every template
  that extends another reaches `base.html`, and `base.html` includes `_partials/_mediator.html`
  outside any block and any condition (no page can override or skip it); a sample of public
  pages proves it rendered.
- E-mails: every body under `*/email/` reaches `mail/email/layout.html` or `.txt`, which carry
  the mention outside any block; both layouts rendered show the mediator's address.
- PDFs: the livrable, the evidence certificate (the sealed copy is the livrable followed by
  that page) and the answer letter: their text names the mediator and gives their address.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask, render_template
from jinja2 import Environment, nodes
from pypdf import PdfReader
from sqlalchemy.orm import Session

from portal.esign.certificate_page import EvidenceCertificate, render_certificate
from portal.livrables.models import LivrableKind
from portal.livrables.pdf import PrintedLivrable, render
from portal.mediation.complaints import answer_complaint
from portal.mediation.letters import Mediator, answer_letter
from portal.network.models import StaffRole
from tests.mediation_data import at, letter
from tests.workspace_data import staff

PAGE_LAYOUT = "base.html"
MAIL_LAYOUTS = ("mail/email/layout.html", "mail/email/layout.txt")
MEDIATOR_PARTIAL = "_partials/_mediator.html"
NAME = "médiateur de France compétences"


def _parse(env: Environment, name: str) -> nodes.Template:
    assert env.loader is not None
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return env.parse(source)


def _parent(tree: nodes.Template) -> str | None:
    found = next(iter(tree.find_all(nodes.Extends)), None)
    if found is None:
        return None
    assert isinstance(found.template, nodes.Const), "a dynamic {% extends %}"
    return str(found.template.value)


def _root(env: Environment, name: str) -> str:
    seen = [name]
    while (parent := _parent(_parse(env, seen[-1]))) is not None:
        seen.append(parent)
    return seen[-1]


def _carries_mention_unconditionally(tree: nodes.Template) -> bool:
    """The partial included, or the mediator's address printed, at the template's top level:
    not inside a block a child could override, nor inside a condition or loop."""
    for node in tree.body:  # the top level only: a Block, If or For node is not looked into
        included = isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const)
        if included and node.template.value == MEDIATOR_PARTIAL:  # type: ignore[attr-defined]
            return True
        if isinstance(node, nodes.Output) and any(
            g.attr == "MEDIATOR_URL" for g in node.find_all(nodes.Getattr)
        ):
            return True
    return False


def _templates(app: Flask) -> list[str]:
    return [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".txt"))]


def _is_email(name: str) -> bool:
    return "/email/" in name


def test_every_full_page_extends_the_layout_that_names_the_mediator(app: Flask) -> None:
    env = app.jinja_env
    assert _carries_mention_unconditionally(_parse(env, PAGE_LAYOUT))
    partial = _parse(env, MEDIATOR_PARTIAL)
    assert any(g.attr == "MEDIATOR_URL" for g in partial.find_all(nodes.Getattr))
    pages = 0
    for name in _templates(app):
        if _is_email(name) or name in (PAGE_LAYOUT, MEDIATOR_PARTIAL):
            continue
        tree = _parse(env, name)
        if _parent(tree) is None:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            assert "<html" not in source.lower(), f"{name}: a page of its own, without the layout"
            continue  # a fragment (htmx swap, partial, macros): inside a full page
        assert _root(env, name) == PAGE_LAYOUT, name
        pages += 1
    assert pages > 50  # the walk saw the portal's pages


def test_every_email_extends_the_mail_layouts_that_carry_the_mediator(app: Flask) -> None:
    env = app.jinja_env
    for layout in MAIL_LAYOUTS:
        assert _carries_mention_unconditionally(_parse(env, layout)), layout
    bodies = [n for n in _templates(app) if _is_email(n) and n not in MAIL_LAYOUTS]
    for name in bodies:
        if name.rsplit("/", 1)[-1].startswith("_"):
            continue  # an included piece of a body
        root = _root(env, name)
        assert root in MAIL_LAYOUTS and root.endswith(name[-4:]), f"{name} reaches {root}"
    assert len(bodies) > 20
    with app.test_request_context("/"):
        for layout in MAIL_LAYOUTS:
            shown = render_template(layout, subject="Objet")
            assert app.config["MEDIATOR_URL"] in shown and NAME in shown


@pytest.mark.parametrize(
    "url", ["/", "/reclamation", "/mon-espace", "/pro/connexion", "/donnees-personnelles"]
)
def test_public_pages_show_the_mediator(app: Flask, url: str) -> None:
    response = app.test_client().get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    assert NAME in page and app.config["MEDIATOR_URL"] in page
    assert "tiers indépendant et impartial" in page


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def _assert_names_the_mediator(app: Flask, data: bytes) -> None:
    text = pdf_text(data)
    assert NAME in text.replace("Médiateur", "médiateur")
    assert app.config["MEDIATOR_URL"] in text
    assert " ".join(app.config["MEDIATOR_POSTAL_ADDRESS"].split()) in text


def test_the_livrable_and_its_certificate_name_the_mediator(app: Flask) -> None:
    moment = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
    url, address = app.config["MEDIATOR_URL"], app.config["MEDIATOR_POSTAL_ADDRESS"]
    livrable = PrintedLivrable(
        kind=LivrableKind.ETAT_DES_LIEUX,
        version=1,
        sha256="ab" * 32,
        frozen_at=moment,
        operator_name="Opérateur CEP",
        operator_contact=(),
        person_name="Camille Lefèvre",
        advisor_name="Dominique Martin",
        unit_label="UO1",
        unit_number="16 26 03 11 000001",
        purchase_order_ref="BC-1",
        engaged_on=date(2026, 3, 1),
        deadline=date(2026, 6, 1),
        sections=(("Situation", "Texte."),),
        mediator_url=url,
        mediator_address=address,
    )
    _assert_names_the_mediator(app, render(livrable))
    certificate = EvidenceCertificate(
        title="État des lieux partagé",
        version=1,
        unit_number="16 26 03 11 000001",
        operator_name="Opérateur CEP",
        content_sha256="ab" * 32,
        pdf_sha256="cd" * 32,
        parties=(("Bénéficiaire", "Camille Lefèvre", "en ligne"),),
        identification=("Code envoyé par SMS",),
        events=(),
        chain_length=0,
        chain_head="ef" * 32,
        timestamp_note="Horodatage",
        seal_subject="CEP",
        sealed_at=moment,
        verify_url="https://cep.example/verifier",
        mediator_url=url,
        mediator_address=address,
    )
    _assert_names_the_mediator(app, render_certificate(certificate))


def test_the_answer_letter_names_the_mediator(app: Flask, session: Session) -> None:
    manager = staff(session, "16", StaffRole.MANAGER)
    complaint = letter(session, manager, received_on=date(2026, 3, 2))
    answer_complaint(session, complaint, by=manager, answer="Réponse.", now=at(date(2026, 3, 9)))
    mediator = Mediator(
        url=app.config["MEDIATOR_URL"],
        postal_address=app.config["MEDIATOR_POSTAL_ADDRESS"],
        space_url="https://cep.example/mon-espace/reclamations/1",
    )
    data = answer_letter(session, complaint, mediator=mediator)
    _assert_names_the_mediator(app, data)
    assert "tiers indépendant" in pdf_text(data)

"""The « Preuves » panel under the livrable editor, and the paper copy by post asked for from
the space: what the advisor and the manager read, what another operator cannot, a broken
chain said plainly, the person's request kept on a mistake, the advisor's e-mail, and the
copy marked sent."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from portal.clock import today_in_france
from portal.esign.evidence import events_of
from portal.esign.models import EventKind, PaperCopyRequest, SignatureEvent
from portal.extensions import db
from portal.livrables.models import Livrable, LivrableVersion
from portal.mail.models import OutboxMessage
from tests.web import test_beneficiary_space, test_signing_screens
from tests.web.test_beneficiary_space import People, signed_in
from tests.web.test_signing_screens import SCAN, Case, as_member, text_of

# The fixtures of those modules: a livrable to print (`case`), a person with a signed one.
case = test_signing_screens.case
people = test_beneficiary_space.people

ADDRESS = {"street": "12 rue des Lilas", "complement": "Bâtiment B", "postcode": "35000"}


def print_sign_and_scan(client: FlaskClient, case: Case) -> None:
    """The paper path through the staff screens: printed, both dates, the scan."""
    base = f"/pro/unites/{case.unit_id}/livrable"
    today = today_in_france().isoformat()
    assert client.post(f"{base}/imprimer").status_code == 303
    advisor = {"advisor-signed_on": today, "advisor-signer_name": "Le conseiller"}
    assert client.post(f"{base}/signature-conseiller", data=advisor).status_code == 303
    person = {
        "beneficiary-signed_on": today,
        "beneficiary-signer_name": "Camille Lefèvre",
        "beneficiary-motif_cloture": "objectif_atteint",
    }
    assert client.post(f"{base}/signature-beneficiaire", data=person).status_code == 303
    scan = {"scan-scan": (io.BytesIO(SCAN), "copie.pdf")}
    response = client.post(f"{base}/scan", data=scan, content_type="multipart/form-data")
    assert response.status_code == 303


def current_version(app: Flask, livrable_id: int) -> LivrableVersion:
    with app.app_context():
        livrable = db.session.get_one(Livrable, livrable_id)
        version = livrable.current_version
        assert version is not None
        db.session.expunge(version)
        return version


def test_the_panel_shows_every_paper_step_with_who_where_and_the_seal(
    app: Flask, case: Case
) -> None:
    client = as_member(app, case.advisor)
    print_sign_and_scan(client, case)
    version = current_version(app, case.livrable_id)
    with app.app_context():
        name = db.session.get_one(Livrable, case.livrable_id).unit.advisor.full_name

    response = client.get(f"/pro/unites/{case.unit_id}/livrable")
    assert response.status_code == 200
    html = response.data.decode()
    page = text_of(response.data)
    assert '<h2 id="proofs-title">Preuves</h2>' in html
    assert "Étapes enregistrées de la version 1, dans l'ordre" in page
    assert "Figé pour signature : version et PDF produits" in page
    assert "Date de signature sur papier enregistrée — conseiller" in page
    assert "Date de signature sur papier enregistrée — bénéficiaire" in page
    assert "Copie signée numérisée déposée" in page
    assert "Copie remise à la personne (par e-mail)" in page
    assert name in page and "127.0.0.1" in page and "le portail" in page
    assert version.content_sha256[:16] in page and version.content_sha256 in html
    assert "Intacte : chacune des" in page
    assert "heure du serveur du portail" in page  # sealed, without an RFC 3161 server
    assert re.search(r'<time datetime="[^"]+" title="\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC">', html)

    english = text_of(client.get(f"/pro/unites/{case.unit_id}/livrable?lang=en").data)
    assert "Evidence" in english and "Frozen for signature: version and PDF made" in english
    assert "Paper signature date recorded — advisor" in english


def test_the_dossier_links_to_the_panel(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    client.post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    with app.app_context():
        dossier_id = db.session.get_one(Livrable, case.livrable_id).unit.dossier_id
    html = client.get(f"/pro/dossiers/{dossier_id}").data.decode()
    assert f'href="/pro/unites/{case.unit_id}/livrable#preuves"' in html


def test_a_tampered_row_shows_the_chain_broken(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    client.post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    version = current_version(app, case.livrable_id)
    assert "Intacte" in text_of(client.get(f"/pro/unites/{case.unit_id}/livrable").data)
    with app.app_context():
        first = events_of(db.session, version.id)[0]
        db.session.execute(
            update(SignatureEvent).where(SignatureEvent.id == first.id).values(ip="203.0.113.9")
        )
        db.session.commit()
    page = text_of(client.get(f"/pro/unites/{case.unit_id}/livrable").data)
    assert "Intacte" not in page
    assert "⚠ Rompue à l'étape n° 1 : elle a été modifiée après son enregistrement." in page


def test_the_manager_reads_the_panel_and_another_operator_gets_404(app: Flask, case: Case) -> None:
    client = as_member(app, case.advisor)
    client.post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    page = text_of(as_member(app, case.manager).get(f"/pro/unites/{case.unit_id}/livrable").data)
    assert "Preuves" in page and "Figé pour signature : version et PDF produits" in page
    stranger = as_member(app, case.stranger)
    assert stranger.get(f"/pro/unites/{case.unit_id}/livrable").status_code == 404


def ask_for_a_copy(client: FlaskClient, version_id: int, **given: str) -> tuple[int, str]:
    response = client.post(
        f"/mon-espace/documents/{version_id}/copie-papier", data={**ADDRESS, **given}
    )
    return response.status_code, response.data.decode()


def test_the_person_asks_for_a_paper_copy_and_the_advisor_sends_it(
    app: Flask,
    people: People,
) -> None:
    space = signed_in(app, people.email)
    form_url = f"/mon-espace/documents/{people.version_id}/copie-papier"
    assert f'href="{form_url}"' in space.get("/mon-espace").data.decode()
    form = space.get(form_url)
    assert form.status_code == 200 and "Votre adresse postale" in text_of(form.data)

    # A mistake: the form again, with the reasons and what was typed.
    status, html = ask_for_a_copy(
        space, people.version_id, street="", postcode="3500", town="Rennes"
    )
    assert status == 422
    page = text_of(html.encode())
    assert "Erreur :" in page and 'role="alert"' in html
    assert "Indiquez le numéro et la voie" in page
    assert "Le code postal compte 5 chiffres" in page
    assert 'value="3500"' in html and 'value="Rennes"' in html and 'value="Bâtiment B"' in html
    status, html = ask_for_a_copy(space, people.version_id, street="x" * 39, town="Rennes")
    assert status == 422 and "38 caractères au plus" in html

    status, _html = ask_for_a_copy(space, people.version_id, town="Rennes")
    assert status == 303
    assert "Copie papier demandée le" in text_of(space.get("/mon-espace").data)
    with app.app_context():
        version = db.session.get_one(LivrableVersion, people.version_id)
        unit = version.livrable.unit
        advisor_email, unit_id, operator_id = unit.advisor.email, unit.id, unit.operator_id
        request = db.session.scalars(
            select(PaperCopyRequest).where(PaperCopyRequest.version_id == version.id)
        ).one()
        request_id = request.id
        mail = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.topic == f"paper-copy:{request_id}")
        ).one()
        assert mail.to_address == advisor_email and mail.operator_id == operator_id
        assert "Copie papier demandée" in mail.subject
        assert f"/pro/unites/{unit_id}/livrable#preuves" in mail.body_text
        assert "Lilas" not in mail.body_text  # the address stays behind the sign-in
        asked = events_of(db.session, version.id)[-1]
        assert asked.kind == EventKind.PAPER_COPY_REQUESTED
        assert asked.detail == {"channel": "post", "request_id": request_id}

    # Once, while it waits.
    status, html = ask_for_a_copy(space, people.version_id, town="Rennes")
    assert status == 409
    assert "Vous avez demandé une copie papier de ce document le" in text_of(html.encode())

    # The advisor reads the address in the panel and says the copy is sent.
    advisor = as_member(app, advisor_email)
    editor = f"/pro/unites/{unit_id}/livrable"
    page = text_of(advisor.get(editor).data)
    assert "Copie papier demandée par la poste" in page and "À envoyer" in page
    assert "12 rue des Lilas Bâtiment B 35000 Rennes" in page
    sent = advisor.post(f"/pro/copies-papier/{request_id}/envoyee")
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"{editor}#preuves")
    page = text_of(advisor.get(editor).data)
    assert "Copie papier envoyée le" in page
    assert "Copie remise à la personne (par courrier postal)" in page
    again = advisor.post(f"/pro/copies-papier/{request_id}/envoyee", follow_redirects=True)
    assert "déjà indiquée comme envoyée" in text_of(again.data)
    assert "Copie papier envoyée le" in text_of(space.get("/mon-espace").data)


def test_a_person_asks_only_for_their_own_livrable(
    app: Flask,
    people: People,
) -> None:
    space = signed_in(app, people.email)
    other = f"/mon-espace/documents/{people.other_version_id}/copie-papier"
    assert space.get(other).status_code == 404
    assert space.post(other, data={**ADDRESS, "town": "Rennes"}).status_code == 404
    anonymous = app.test_client().get(f"/mon-espace/documents/{people.version_id}/copie-papier")
    assert anonymous.status_code == 303 and anonymous.headers["Location"].endswith("/mon-espace")
    with app.app_context():
        asked = select(PaperCopyRequest).where(
            PaperCopyRequest.version_id == people.other_version_id
        )
        assert db.session.scalars(asked).first() is None


def test_a_livrable_waiting_for_signatures_may_be_asked_for_too(app: Flask, case: Case) -> None:
    as_member(app, case.advisor).post(f"/pro/unites/{case.unit_id}/livrable/imprimer")
    version = current_version(app, case.livrable_id)
    space = signed_in(app, case.person_email)
    page = text_of(space.get("/mon-espace").data)
    assert "En attente de signature" in page and "Recevoir une copie papier par la poste" in page
    status, _html = ask_for_a_copy(space, version.id, town="Rennes")
    assert status == 303
    manager = text_of(as_member(app, case.manager).get(f"/pro/unites/{case.unit_id}/livrable").data)
    assert "Copie papier demandée par la poste" in manager
    assert "Indiquer que la copie papier est envoyée" not in manager  # managers read only

"""Links that survive mail scanners (issue 14 §5): opening the e-mailed link (a GET, as a
scanner or a preview does) changes nothing; only the page's button (a POST) uses it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.beneficiary.models import SignInLink
from portal.esign.evidence import events_of
from portal.esign.models import EventKind, RequestStatus, SignatureRequest
from portal.extensions import db
from tests.web.test_beneficiary_space import link_in_outbox, open_link, text_of
from tests.web.test_online_signing_pages import Printed, advisor_asks, printed  # noqa: F401
from tests.workspace_data import person


def _opened_events(app: Flask, done: Printed) -> int:
    with app.app_context():
        events = events_of(db.session, done.version_id)
        return sum(1 for event in events if event.kind == EventKind.OPENED)


def test_opening_a_signing_link_records_nothing_until_continue(
    app: Flask,
    client: FlaskClient,
    printed: Printed,  # noqa: F811
) -> None:
    link = advisor_asks(app, client, printed)
    for _ in range(3):  # the scanner, the preview, the person
        page = app.test_client().get(link)
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        assert f'action="{link}/ouvrir"' in page.data.decode()
        assert "Lisez-le, puis signez-le" not in text_of(page.data)
    assert _opened_events(app, printed) == 0
    with app.app_context():
        request = db.session.scalars(
            select(SignatureRequest).where(SignatureRequest.version_id == printed.version_id)
        ).one()
        assert request.status == RequestStatus.PENDING
    # The person presses « Continuer »: recorded once, the document shows, the link still works.
    person_client = app.test_client()
    opened = person_client.post(f"{link}/ouvrir")
    assert opened.status_code == 200
    assert "Lisez-le, puis signez-le" in text_of(opened.data)
    assert _opened_events(app, printed) == 1
    assert person_client.post(f"{link}/code").status_code == 303


def test_opening_a_space_link_leaves_it_usable(app: Flask) -> None:
    with app.app_context():
        email = person(db.session).email
        db.session.commit()
    client = app.test_client()
    client.post("/mon-espace/lien", data={"email": email})
    link = link_in_outbox(app, email)
    page = app.test_client().get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        stored = db.session.scalars(
            select(SignInLink).where(SignInLink.email == email.lower())
        ).one()
        assert stored.used_at is None
    assert open_link(client, link).status_code == 303

"""The development mailbox: a person reads the e-mails the portal sent and clicks their links."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from portal.mail.backends import MailboxBackend, read_mailbox
from portal.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from portal.mail.sender import build_email
from portal.mail.services import enqueue_mail

FROM = "Conseil en évolution professionnelle <ne-pas-repondre@cep-portal.example>"
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
LINK = "http://127.0.0.1:5000/rendez-vous/gerer/eyJyIjo0Mn0.abc?x=1&y=2"


@pytest.fixture
def mailbox(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "mailbox"
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "mailbox")
    monkeypatch.setitem(app.config, "MAIL_MAILBOX_PATH", str(path))
    monkeypatch.setitem(app.config, "PORTAL_ENV", "development")
    return path


def deliver(path: Path, number: int, subject: str, text: str) -> str:
    """Deliver one message as the sender would; returns its key in the mailbox."""
    message = OutboxMessage(
        id=number,
        to_address="Maëlle Le Gall <maelle@example.org>",
        subject=subject,
        body_text=text,
        body_html="<p>Bonjour</p><script>alert(1)</script>",
        created_at=datetime(2031, 3, 1, tzinfo=UTC),
        attachments=[
            OutboxAttachment(
                filename="rendez-vous.ics",
                mimetype="text/calendar; method=REQUEST; charset=utf-8",
                content=ICS,
            )
        ],
    )
    MailboxBackend(path).deliver(
        build_email(message, mail_from=FROM, now=datetime(2031, 3, 1, 9, number, tzinfo=UTC))
    )
    return read_mailbox(path)[0][0]


def test_the_mailbox_lists_messages_newest_first_in_an_accessible_table(
    client: FlaskClient, mailbox: Path
) -> None:
    older = deliver(mailbox, 1, "Rendez-vous confirmé", "Bonjour")
    newer = deliver(mailbox, 2, "Rappel : rendez-vous <demain>", "Bonjour")
    page = client.get("/dev/mailbox").data.decode()
    assert "<h1>Boîte aux lettres de développement</h1>" in page
    assert "<caption>2 messages reçus, les plus récents d'abord</caption>" in page
    assert page.count('<th scope="col">') == 3
    assert "Rappel : rendez-vous &lt;demain&gt;" in page  # escaped
    assert page.index(f"/dev/mailbox/{newer}") < page.index(f"/dev/mailbox/{older}")
    assert "maelle@example.org" in page


def test_an_empty_mailbox_says_so(client: FlaskClient, mailbox: Path) -> None:
    page = client.get("/dev/mailbox").data.decode()
    assert "Aucun message pour l'instant." in page


def test_a_message_shows_its_links_as_real_escaped_links(
    client: FlaskClient, mailbox: Path
) -> None:
    text = (
        f"Bonjour,\nGérez votre rendez-vous : {LINK}.\n"
        '<script>alert("x")</script> http://evil.example/"onmouseover="alert(1)\n'
    )
    key = deliver(mailbox, 1, "Rendez-vous confirmé", text)
    page = client.get(f"/dev/mailbox/{key}").data.decode()
    escaped = htmllib.escape(LINK)
    # The sentence's full stop is not part of the link.
    assert f'<a href="{escaped}">{escaped}</a>.' in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert '<a href="http://evil.example/">http://evil.example/</a>&#34;onmouseover' in page
    assert "<h1>Rendez-vous confirmé</h1>" in page
    links = re.findall(r'href="([^"]+)"', page)
    assert htmllib.unescape(escaped) in [htmllib.unescape(link) for link in links]


def test_the_invitation_downloads_with_its_calendar_method(
    client: FlaskClient, mailbox: Path
) -> None:
    key = deliver(mailbox, 1, "Rendez-vous confirmé", "Bonjour")
    page = client.get(f"/dev/mailbox/{key}").data.decode()
    assert f'href="/dev/mailbox/{key}/0"' in page
    assert "Télécharger rendez-vous.ics" in page

    response = client.get(f"/dev/mailbox/{key}/0")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params["method"] == "REQUEST"
    assert response.headers["Content-Disposition"] == "attachment; filename=rendez-vous.ics"
    assert response.data == ICS
    assert client.get(f"/dev/mailbox/{key}/1").status_code == 404


def test_the_html_version_is_shown_sandboxed(client: FlaskClient, mailbox: Path) -> None:
    key = deliver(mailbox, 1, "Rendez-vous confirmé", "Bonjour")
    response = client.get(f"/dev/mailbox/{key}/html")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")


def test_an_unknown_message_is_not_found(client: FlaskClient, mailbox: Path) -> None:
    deliver(mailbox, 1, "Rendez-vous confirmé", "Bonjour")
    for url in ("/dev/mailbox/nope", "/dev/mailbox/nope/0", "/dev/mailbox/..%2Fnew/0"):
        assert client.get(url).status_code == 404, url


def test_the_deliver_button_runs_the_sender(app: Flask, client: FlaskClient, mailbox: Path) -> None:
    from portal.extensions import db

    with app.app_context():
        message = enqueue_mail(db.session, to="a@example.org", subject="Par le bouton", text="T")
        # First in the queue: other tests leave more pending messages than one run sends.
        message.next_attempt_at = datetime(2000, 1, 1, tzinfo=UTC)
        db.session.commit()
        message_id = message.id
    try:
        response = client.post("/dev/mailbox/send")
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/dev/mailbox")
        assert "Par le bouton" in client.get("/dev/mailbox").data.decode()
        with app.app_context():
            sent = db.session.get_one(OutboxMessage, message_id)
            assert sent.status == OutboxStatus.SENT
    finally:
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == message_id))
            db.session.commit()


@pytest.mark.parametrize(
    ("portal_env", "backend"), [("production", "mailbox"), ("development", "smtp")]
)
def test_there_is_no_mailbox_in_production_or_with_smtp(
    app: Flask,
    client: FlaskClient,
    mailbox: Path,
    monkeypatch: pytest.MonkeyPatch,
    portal_env: str,
    backend: str,
) -> None:
    key = deliver(mailbox, 1, "Rendez-vous confirmé", "Bonjour")
    monkeypatch.setitem(app.config, "PORTAL_ENV", portal_env)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", backend)
    for url in ("/dev/mailbox", f"/dev/mailbox/{key}", f"/dev/mailbox/{key}/0"):
        assert client.get(url).status_code == 404, url
    assert client.post("/dev/mailbox/send").status_code == 404

"""The development mailbox shows the SMS sent, apart from the e-mails: a person (or a
Playwright test) reads the latest code under « SMS envoyés » and follows its link."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.sms import enqueue_sms
from portal.mail.sms_backends import Sms, SmsBoxBackend, read_smsbox

LINK = "http://127.0.0.1:5000/signer/eyJ2Ijo0Mn0.abc?x=1&y=2"


@pytest.fixture
def smsbox(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "smsbox"
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "mailbox")
    monkeypatch.setitem(app.config, "MAIL_MAILBOX_PATH", str(tmp_path / "mailbox"))
    monkeypatch.setitem(app.config, "SMS_BACKEND", "smsbox")
    monkeypatch.setitem(app.config, "SMS_BOX_PATH", str(path))
    monkeypatch.setitem(app.config, "PORTAL_ENV", "development")
    return path


def sms_section(page: str) -> str:
    match = re.search(r'<section aria-labelledby="sms-title".*?</section>', page, re.S)
    assert match, "no SMS section"
    return match.group(0)


def test_the_sms_are_listed_newest_first_under_their_own_heading(
    client: FlaskClient, smsbox: Path
) -> None:
    box = SmsBoxBackend(smsbox)
    box.deliver_sms(
        Sms("+33611111111", "Code : 111111", "CEP", "r1", datetime(2031, 3, 1, 9, 0, tzinfo=UTC))
    )
    box.deliver_sms(
        Sms(
            "+33622222222",
            f"Code : 222222 <b>. Signez : {LINK}.",
            "CEP",
            "r2",
            datetime(2031, 3, 1, 9, 5, tzinfo=UTC),
        )
    )
    page = client.get("/dev/mailbox").data.decode()

    assert '<h2 id="emails-title">E-mails envoyés</h2>' in page
    section = sms_section(page)
    assert '<h2 id="sms-title">SMS envoyés</h2>' in section
    assert "2 SMS reçus, les plus récents d'abord." in section
    assert section.index("222222") < section.index("111111")  # newest first
    assert "SMS au +33622222222" in section
    assert '<time datetime="2031-03-01T09:05:00+00:00">' in section
    assert "Code : 222222 &lt;b&gt;." in section  # escaped
    escaped = LINK.replace("&", "&amp;")
    assert f'<a href="{escaped}">{escaped}</a>.' in section  # a real link, without the stop
    assert page.index('id="emails-title"') < page.index('id="sms-title"')


def test_no_sms_yet_says_so(client: FlaskClient, smsbox: Path) -> None:
    section = sms_section(client.get("/dev/mailbox").data.decode())
    assert "Aucun SMS pour l'instant." in section


def test_with_the_http_provider_the_page_says_sms_are_not_kept_here(
    app: Flask, client: FlaskClient, smsbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SMS_BACKEND", "http")
    section = sms_section(client.get("/dev/mailbox").data.decode())
    assert "ils ne sont pas gardés ici" in section


def test_the_deliver_button_sends_a_queued_sms_into_the_page(
    app: Flask, client: FlaskClient, smsbox: Path
) -> None:
    from portal.extensions import db

    with app.app_context():
        message = enqueue_sms(
            db.session,
            to="+33633333333",
            text="Votre code de signature : 333444",
            secrets={"code": "333444"},
            secret_key=app.config["SECRET_KEY"],
        )
        # First in the queue: other tests may leave pending messages behind.
        message.next_attempt_at = datetime(2000, 1, 1, tzinfo=UTC)
        db.session.commit()
        message_id = message.id
    try:
        assert client.post("/dev/mailbox/send").status_code == 303
        section = sms_section(client.get("/dev/mailbox").data.decode())
        assert "Votre code de signature : 333444" in section
        assert [sms.to for sms in read_smsbox(smsbox)] == ["+33633333333"]
        with app.app_context():
            assert db.session.get_one(OutboxMessage, message_id).status == OutboxStatus.SENT
    finally:
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == message_id))
            db.session.commit()


def test_the_sms_section_in_english(client: FlaskClient, smsbox: Path) -> None:
    SmsBoxBackend(smsbox).deliver_sms(
        Sms("+33611111111", "Code", "CEP", "r1", datetime(2031, 3, 1, 9, 0, tzinfo=UTC))
    )
    section = sms_section(client.get("/dev/mailbox?lang=en").data.decode())
    assert "Text messages sent" in section
    assert "Text message to +33611111111" in section

"""In development, an SMS the portal queues shows up in /dev/mailbox under « SMS envoyés »:
a person (or the signing journey) reads the latest code there and follows its link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import delete

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mail.sms import enqueue_sms
from tests.e2e.conftest import assert_accessible


def test_the_latest_code_is_read_under_sms_envoyes(
    app: Flask, live_server: str, page: Page
) -> None:
    with app.app_context():
        message = enqueue_sms(
            db.session,
            to="+33612345678",
            text=f"Votre code de signature : 731945. Page : {live_server}/dev/mailbox",
            secrets={"code": "731945"},
            secret_key=app.config["SECRET_KEY"],
            topic="test:e2e-sms",
        )
        message.next_attempt_at = datetime(2000, 1, 1, tzinfo=UTC)  # first in the queue
        db.session.commit()
        message_id = message.id
    try:
        page.goto(live_server + "/dev/mailbox")
        page.get_by_role("button", name="Distribuer maintenant").click()
        latest = page.get_by_role("region", name="SMS envoyés").get_by_role("listitem").first
        expect(latest.get_by_role("heading", name="SMS au +33612345678")).to_be_visible()
        code = re.search(r"code de signature : (\d{6})", latest.inner_text())
        assert code is not None and code.group(1) == "731945"
        assert_accessible(page)
        latest.get_by_role("link", name=re.compile(r"dev.mailbox")).click()
        expect(page.get_by_role("heading", name="SMS envoyés", level=2)).to_be_visible()
    finally:
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id == message_id))
            db.session.commit()

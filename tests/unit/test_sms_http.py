"""The production SMS backend against a real HTTP provider that the test runs itself
(`http.server` on 127.0.0.1, a free port): what is posted, and how each answer is taken."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from portal.mail.backends import MailboxBackend
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.sender import SendReport, send_due
from portal.mail.sms import enqueue_sms
from portal.mail.sms_backends import HttpSmsBackend, sms_backend_from_config

T0 = datetime(2001, 1, 1, 12, 0, tzinfo=UTC)
KEY = "a-secret-key-for-the-sms-tests"
TOKEN = "provider-token-0123456789"
CODE = "482913"
NUMBER = "+33612345678"


@dataclass
class Answer:
    status: int = 200
    body: str = '{"id": "provider-1"}'
    hang: bool = False  # answer nothing until the test ends (a provider that times out)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Provider:
    """An SMS provider on loopback: answers from `answers` in turn (200 once they run out)
    and records every request."""

    def __init__(self) -> None:
        self.answers: list[Answer] = []
        self.received: list[Received] = []
        self.release = threading.Event()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                provider.received.append(Received(self.path, dict(self.headers), body))
                answer = provider.answers.pop(0) if provider.answers else Answer()
                if answer.hang:
                    provider.release.wait(timeout=10)
                    return
                payload = answer.body.encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def provider() -> Iterator[Provider]:
    running = Provider()
    yield running
    running.close()


@pytest.fixture
def queued(session: Session) -> Iterator[list[int]]:
    ids: list[int] = []
    yield ids
    session.rollback()
    session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    session.commit()


def due_code(session: Session, queued: list[int]) -> OutboxMessage:
    message = enqueue_sms(
        session,
        to=NUMBER,
        text=f"Votre code : {CODE}. Signez ici : https://cep.example/signer/abc",
        secrets={"code": CODE},
        secret_key=KEY,
    )
    message.next_attempt_at = T0
    session.commit()
    queued.append(message.id)
    return message


def send(session: Session, backend: HttpSmsBackend, now: datetime = T0) -> SendReport:
    return send_due(
        session,
        MailboxBackend("/nonexistent/mailbox"),
        now=now,
        mail_from="CEP <ne-pas-repondre@cep-portal.example>",
        secret_key=KEY,
        sms_backend=backend,
        sms_sender="CEP",
    )


def backend(provider: Provider, timeout: float = 5) -> HttpSmsBackend:
    return HttpSmsBackend(provider.url, TOKEN, timeout=timeout)


def test_an_sms_is_posted_as_json_with_the_bearer_token(
    session: Session, queued: list[int], provider: Provider
) -> None:
    message = due_code(session, queued)
    assert send(session, backend(provider)) == SendReport(sent=1)

    (request,) = provider.received
    assert request.path == "/v1/sms"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"].startswith("application/json")
    assert json.loads(request.body) == {
        "to": NUMBER,
        "text": f"Votre code : {CODE}. Signez ici : https://cep.example/signer/abc",
        "sender": "CEP",
        "reference": f"outbox.{message.id}.{int(message.created_at.timestamp())}",
    }
    session.refresh(message)
    assert (message.status, message.sealed_secrets) == (OutboxStatus.SENT, None)


@pytest.mark.parametrize("status", [500, 503, 408, 429])
def test_a_provider_error_or_throttle_is_retried_then_the_sms_goes(
    session: Session, queued: list[int], provider: Provider, status: int
) -> None:
    message = due_code(session, queued)
    provider.answers = [Answer(status, '{"error": "busy"}')]

    assert send(session, backend(provider)) == SendReport(retried=1)
    session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.last_error is not None and f"HTTP {status}" in message.last_error
    assert message.next_attempt_at == T0 + timedelta(minutes=1)

    assert send(session, backend(provider), now=message.next_attempt_at) == SendReport(sent=1)
    assert len(provider.received) == 2
    # The same SMS both times: the provider can tell a retry from a new SMS.
    assert provider.received[0].body == provider.received[1].body


def test_a_refusal_is_final_and_says_why_without_the_token(
    session: Session, queued: list[int], provider: Provider
) -> None:
    message = due_code(session, queued)
    provider.answers = [Answer(400, '{"error": "invalid destination number"}')]

    assert send(session, backend(provider)) == SendReport(failed=1)
    session.refresh(message)
    assert message.status == OutboxStatus.FAILED
    assert message.last_error is not None
    assert "PermanentDeliveryError: HTTP 400" in message.last_error
    assert "invalid destination number" in message.last_error
    assert TOKEN not in message.last_error and CODE not in message.last_error
    assert len(provider.received) == 1


def test_a_provider_that_does_not_answer_in_time_is_retried(
    session: Session, queued: list[int], provider: Provider
) -> None:
    message = due_code(session, queued)
    provider.answers = [Answer(hang=True)]

    assert send(session, backend(provider, timeout=0.3)) == SendReport(retried=1)
    session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.last_error is not None and "timed out" in message.last_error


def test_a_redirection_is_not_followed_and_is_retried(
    session: Session, queued: list[int], provider: Provider
) -> None:
    message = due_code(session, queued)
    provider.answers = [Answer(302, "", headers={"Location": "/elsewhere"})]

    assert send(session, backend(provider)) == SendReport(retried=1)
    assert [request.path for request in provider.received] == ["/v1/sms"]  # not followed
    session.refresh(message)
    assert message.last_error is not None and "HTTP 302" in message.last_error


def test_a_provider_out_of_reach_is_retried(session: Session, queued: list[int]) -> None:
    message = due_code(session, queued)
    closed = Provider()
    closed.close()  # its port now refuses connections

    assert send(session, backend(closed)) == SendReport(retried=1)
    session.refresh(message)
    assert message.status == OutboxStatus.PENDING
    assert message.last_error is not None and "URLError" in message.last_error


def test_the_settings_choose_the_http_backend(provider: Provider) -> None:
    config = {
        "SMS_BACKEND": "http",
        "SMS_HTTP_URL": provider.url,
        "SMS_HTTP_TOKEN": TOKEN,
        "SMS_HTTP_TIMEOUT": 7,
        "SMS_SENDER": "CEP",
        "SMS_BOX_PATH": "/nonexistent",
    }
    chosen = sms_backend_from_config(config)
    assert isinstance(chosen, HttpSmsBackend)
    assert (chosen.url, chosen.token, chosen.timeout) == (provider.url, TOKEN, 7.0)

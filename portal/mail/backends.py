"""Where e-mails go: a local Maildir (development, tests) or an SMTP relay (production)."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from os import PathLike
from pathlib import Path
from ssl import create_default_context
from typing import IO, Any, Protocol


class Backend(Protocol):
    def deliver(self, message: EmailMessage) -> None:
        """Hand the message over, or raise; may raise PermanentDeliveryError."""


class PermanentDeliveryError(Exception):
    """The relay refused the message for good (a 5xx answer): retrying would not help."""


class MailboxBackend:
    """Deliver into a Maildir, created if missing: the embedded default for development.

    Maildir writes each message to tmp/ and renames it into new/, so several senders can
    deliver at once and a reader never sees half a message.
    """

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)

    def deliver(self, message: EmailMessage) -> None:
        box = mailbox.Maildir(self.path, create=True)
        try:
            box.add(message)
        finally:
            box.close()


class SmtpBackend:
    """Deliver through an SMTP relay; one connection per message keeps failures separate."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        ssl: bool = False,
        timeout: float = 20,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.starttls = starttls
        self.ssl = ssl
        self.timeout = timeout

    def _connect(self) -> smtplib.SMTP:
        context = create_default_context()
        if self.ssl:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            connection.starttls(context=context)
        return connection

    def deliver(self, message: EmailMessage) -> None:
        try:
            with self._connect() as connection:
                if self.username:
                    connection.login(self.username, self.password)
                connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentDeliveryError(str(error.recipients)) from error
            raise
        except smtplib.SMTPResponseException as error:
            # 5xx is final (unknown mailbox, message refused), 4xx asks to try again later;
            # a refused login (535) is a configuration problem that a retry may outlive.
            if error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError):
                raise PermanentDeliveryError(f"{error.smtp_code} {error.smtp_error!r}") from error
            raise


def backend_from_config(config: Mapping[str, Any]) -> Backend:
    kind = config["MAIL_BACKEND"]
    if kind == "mailbox":
        return MailboxBackend(config["MAIL_MAILBOX_PATH"])
    if kind == "smtp":
        return SmtpBackend(
            host=config["SMTP_HOST"],
            port=int(config["SMTP_PORT"]),
            username=config["SMTP_USERNAME"],
            password=config["SMTP_PASSWORD"],
            starttls=bool(config["SMTP_STARTTLS"]),
            ssl=bool(config["SMTP_SSL"]),
            timeout=float(config["SMTP_TIMEOUT"]),
        )
    raise ValueError(f"MAIL_BACKEND must be 'mailbox' or 'smtp', not {kind!r}")


def _parse(file: IO[bytes]) -> EmailMessage:
    message = email.message_from_binary_file(file, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # the default policy builds EmailMessages
    return message


# Python's Maildir names a message "<seconds>.M<microseconds>P<pid>Q<n>.<host>".
_KEY_TIME = re.compile(r"^(\d+)\.M(\d+)")


def _delivered_at(key: str) -> tuple[int, int]:
    match = _KEY_TIME.match(key)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def _open(path: str | PathLike[str]) -> mailbox.Maildir | None:
    if not Path(path, "new").is_dir():
        return None
    return mailbox.Maildir(path, factory=None, create=False)


def read_mailbox(path: str | PathLike[str]) -> list[tuple[str, EmailMessage]]:
    """(key, message) of every message in the Maildir, newest delivery first."""
    box = _open(path)
    if box is None:
        return []
    keys = sorted(box.keys(), key=lambda key: (_delivered_at(key), key), reverse=True)
    return [(key, message) for key in keys if (message := read_message(path, key)) is not None]


def read_message(path: str | PathLike[str], key: str) -> EmailMessage | None:
    """One message of the Maildir by its key, or None."""
    box = _open(path)
    if box is None:
        return None
    try:
        with box.get_file(key) as file:
            return _parse(file)  # type: ignore[arg-type]
    except (KeyError, FileNotFoundError):  # unknown key, or removed meanwhile
        return None

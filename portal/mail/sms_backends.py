"""Where SMS go: a local folder (development, tests) or an HTTP SMS provider (production).

The provider receives `POST SMS_HTTP_URL` with `Authorization: Bearer SMS_HTTP_TOKEN` and the
JSON body {"to", "text", "sender", "reference"}. A 2xx answer means accepted; any other 4xx
but 408 and 429 refuses the SMS for good (`PermanentDeliveryError`); a 5xx, a 408, a 429, a
redirection, a timeout or a network error is tried again by the sender.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from portal.mail.backends import PermanentDeliveryError

SMS_BACKENDS = ("smsbox", "http")
# Answers of the 4xx family that ask to come back later (RFC 9110 15.5.9, RFC 6585 4).
RETRIABLE_4XX = frozenset({408, 429})
# An alphanumeric sender ID (3GPP TS 23.040: 11 characters at most) or a phone number.
SENDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ]{0,10}|\+[1-9][0-9]{7,14}")
# How much of a provider's answer is kept in `last_error`.
ANSWER_EXCERPT = 300


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str
    sender: str  # SMS_SENDER, the name shown on the phone
    reference: str  # stable per outbox row
    at: datetime  # when the sender hands it over


class SmsBackend(Protocol):
    def deliver_sms(self, sms: Sms) -> None:
        """Hand the SMS over, or raise; may raise PermanentDeliveryError."""


class SmsBoxBackend:
    """Write each SMS as a JSON file in a folder, created if missing, as Maildir does: into
    tmp/ first, then renamed into new/, so that a reader never sees half an SMS."""

    _counter = itertools.count()

    def __init__(self, path: str | PathLike[str]) -> None:
        self.path = Path(path)

    def deliver_sms(self, sms: Sms) -> None:
        for folder in ("tmp", "new"):
            (self.path / folder).mkdir(parents=True, exist_ok=True)
        # Sorted by name = by delivery: nanoseconds, then process and counter break ties.
        name = f"{time.time_ns():020d}.P{os.getpid()}Q{next(self._counter):09d}.json"
        record = {
            "to": sms.to,
            "text": sms.text,
            "sender": sms.sender,
            "reference": sms.reference,
            "sent_at": sms.at.isoformat(),
        }
        temporary = self.path / "tmp" / name
        temporary.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path / "new" / name)


@dataclass(frozen=True)
class DeliveredSms:
    """An SMS as read back from the SMS box."""

    key: str
    to: str
    text: str
    sender: str
    reference: str
    sent_at: datetime | None


def read_smsbox(path: str | PathLike[str]) -> list[DeliveredSms]:
    """Every SMS in the SMS box, newest delivery first (empty when there is no box yet)."""
    folder = Path(path, "new")
    if not folder.is_dir():
        return []
    found: list[DeliveredSms] = []
    for file in sorted(folder.glob("*.json"), key=lambda f: f.name, reverse=True):
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # removed meanwhile, or not ours
            continue
        found.append(
            DeliveredSms(
                key=file.stem,
                to=str(record.get("to", "")),
                text=str(record.get("text", "")),
                sender=str(record.get("sender", "")),
                reference=str(record.get("reference", "")),
                sent_at=_datetime(record.get("sent_at")),
            )
        )
    return found


def _datetime(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class SmsProviderUnavailable(Exception):
    """The provider answered with something other than a 2xx or a final refusal."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a 301/302/303 by turning the POST into a GET: the SMS would be lost.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpSmsBackend:
    """POST each SMS as JSON to the provider; one request per SMS."""

    def __init__(self, url: str, token: str, timeout: float = 10) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("the SMS provider's URL must be http(s)")
        self.url = url
        self.token = token
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)

    def deliver_sms(self, sms: Sms) -> None:
        body = {"to": sms.to, "text": sms.text, "sender": sms.sender, "reference": sms.reference}
        request = urllib.request.Request(  # noqa: S310 (http(s) only: checked in __init__)
            self.url,
            data=json.dumps(body).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = int(response.status)
        except urllib.error.HTTPError as error:
            answer = f"HTTP {error.code} {error.reason}: {_excerpt(error)}"
            if 400 <= error.code < 500 and error.code not in RETRIABLE_4XX:
                raise PermanentDeliveryError(answer) from error
            raise SmsProviderUnavailable(answer) from error
        # Timeouts and network errors (URLError, OSError) go up as they are: tried again.
        if not 200 <= status < 300:
            raise SmsProviderUnavailable(f"HTTP {status}")


def _excerpt(error: urllib.error.HTTPError) -> str:
    try:
        return error.read(ANSWER_EXCERPT).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def sms_backend_from_config(config: Mapping[str, Any]) -> SmsBackend:
    check_sms_config(config)
    if config["SMS_BACKEND"] == "http":
        return HttpSmsBackend(
            config["SMS_HTTP_URL"], config["SMS_HTTP_TOKEN"], float(config["SMS_HTTP_TIMEOUT"])
        )
    return SmsBoxBackend(config["SMS_BOX_PATH"])


def check_sms_config(config: Mapping[str, Any]) -> None:
    """Refuse a configuration that cannot send SMS; `create_app` calls it, so that a
    production server without its provider does not start (PORTAL_ENV=production chooses the
    "http" backend unless SMS_BACKEND says otherwise)."""
    kind = config["SMS_BACKEND"]
    if kind not in SMS_BACKENDS:
        raise ValueError(f"SMS_BACKEND must be 'smsbox' or 'http', not {kind!r}")
    if kind == "http":
        if urlsplit(config["SMS_HTTP_URL"]).scheme not in ("http", "https"):
            raise ValueError(
                "SMS_BACKEND=http needs SMS_HTTP_URL, the provider's http(s) address "
                "(or SMS_BACKEND=smsbox to keep the SMS in a local folder)"
            )
        if not config["SMS_HTTP_TOKEN"]:
            raise ValueError("SMS_BACKEND=http needs SMS_HTTP_TOKEN, the provider's API token")
    if not SENDER.fullmatch(str(config["SMS_SENDER"])):
        raise ValueError(
            "SMS_SENDER, the name shown on the phone: 1 to 11 letters, digits or spaces "
            "(an alphanumeric sender ID), or a number in E.164"
        )

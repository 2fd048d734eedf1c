"""Secrets in e-mails (sign-in, manage and survey links) are never stored in clear.

`enqueue_mail` replaces each secret in the bodies and attachments by a placeholder and keeps
the secrets encrypted (Fernet: AES-128-CBC + HMAC-SHA256) in `outbox_message.sealed_secrets`.
The sender decrypts them at send time, puts them back into the message it hands to the relay,
and clears the column once the message is sent. The key is derived from SECRET_KEY with HKDF
under a purpose of its own, so it serves nothing else.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# HKDF "info": the key of the outbox's secrets is not the key of anything else.
PURPOSE = b"cep-portal/outbox-secrets/v1"
# A secret's name becomes part of its placeholder: plain characters only, so that URL
# building, HTML escaping and quoted-printable leave it untouched.
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# iCalendar folds lines at 75 octets (RFC 5545 3.1) with CRLF + a space or a tab.
_FOLD = re.compile(rb"\r\n[ \t]")
_CALENDAR_LINE = 75


class SecretsUnreadable(Exception):
    """The sealed secrets cannot be opened (SECRET_KEY changed): the message cannot be sent."""


def placeholder(name: str) -> str:
    return f"__cep_secret_{name}__"


# A link's token is far longer; an SMS's one-time code has six digits (issue 11).
MIN_SECRET_LENGTH = 8
MIN_CODE_LENGTH = 6


def check_secrets(secrets: Mapping[str, str], *, min_length: int = MIN_SECRET_LENGTH) -> None:
    for name, value in secrets.items():
        if not _NAME.match(name):
            raise ValueError(f"secret name {name!r}: lower-case letters, digits and _ only")
        if len(value) < min_length:  # a short value could match ordinary words of the body
            raise ValueError(f"secret {name!r} is too short to be told apart")


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secrets: Mapping[str, str], secret_key: str) -> str:
    return _fernet(secret_key).encrypt(json.dumps(dict(secrets)).encode()).decode("ascii")


def unseal(sealed: str, secret_key: str) -> dict[str, str]:
    try:
        values = json.loads(_fernet(secret_key).decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError) as error:
        raise SecretsUnreadable("the outbox secrets cannot be decrypted") from error
    return {str(name): str(value) for name, value in values.items()}


def hide(text: str, secrets: Mapping[str, str]) -> str:
    for name, value in secrets.items():
        text = text.replace(value, placeholder(name))
    return text


def reveal(text: str, secrets: Mapping[str, str]) -> str:
    for name, value in secrets.items():
        text = text.replace(placeholder(name), value)
    return text


def hide_in_file(content: bytes, mimetype: str, secrets: Mapping[str, str]) -> bytes:
    """An attachment with its secrets replaced; a calendar is unfolded first, since a fold may
    cut a secret in two, and folded again."""
    if not secrets:
        return content
    calendar = mimetype.lower().startswith("text/calendar")
    if calendar:
        content = _FOLD.sub(b"", content)
    for name, value in secrets.items():
        content = content.replace(value.encode(), placeholder(name).encode())
    return _fold(content) if calendar else content


def reveal_in_file(content: bytes, mimetype: str, secrets: Mapping[str, str]) -> bytes:
    if not secrets:
        return content
    calendar = mimetype.lower().startswith("text/calendar")
    if calendar:
        content = _FOLD.sub(b"", content)
    for name, value in secrets.items():
        content = content.replace(placeholder(name).encode(), value.encode())
    return _fold(content) if calendar else content


def _fold(content: bytes) -> bytes:
    lines = content.split(b"\r\n")
    return b"\r\n".join(_fold_line(line) for line in lines)


def _fold_line(line: bytes) -> bytes:
    """Cut at 75 octets, never inside a UTF-8 sequence; continuation lines start with a space."""
    parts: list[bytes] = []
    limit = _CALENDAR_LINE
    while len(line) > limit:
        cut = limit
        while cut > 0 and (line[cut] & 0xC0) == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        parts.append(line[:cut])
        line = line[cut:]
        limit = _CALENDAR_LINE - 1  # the leading space counts
    parts.append(line)
    return b"\r\n ".join(parts)

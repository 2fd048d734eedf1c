"""The secrets of an online signature: the link's token and the one-time code.

- The token is signed (itsdangerous) from the request's id and a random nonce kept on the
  row: the portal can show the link again (the QR code of an in-session signature) without
  storing it, and a new request never answers to an old link.
- The code is six digits drawn by `secrets`, stored only as an HMAC keyed by SECRET_KEY and
  bound to its request: a database dump does not give the codes in force.

The limits of issue 11 §2 are named here, in one place.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeSerializer

CODE_DIGITS = 6
CODE_VALIDITY = timedelta(minutes=10)  # issue 11 §2: « valid for 10 minutes »
CODE_MINUTES = int(CODE_VALIDITY.total_seconds() // 60)  # as the pages and messages say it
CODE_MAX_FAILURES = 5  # « at most 5 tries »: the code is then dead, a new one is needed
CODE_RESENDS_PER_HOUR = 3  # « 3 resends per hour »: the first code and three more
CODE_SENDS_PER_HOUR = 1 + CODE_RESENDS_PER_HOUR
_TOKEN_SALT = "esign-request"  # noqa: S105 (a salt that names the token's use)


class BadToken(ValueError):
    """A link that this portal did not sign (typed by hand, cut, tampered)."""


def new_nonce() -> str:
    return secrets.token_hex(16)


def request_token(secret_key: str, request_id: int, nonce: str) -> str:
    return URLSafeSerializer(secret_key, salt=_TOKEN_SALT).dumps({"q": request_id, "n": nonce})


def read_token(secret_key: str, token: str) -> tuple[int, str]:
    """(request id, nonce) of a token this portal signed; BadToken otherwise."""
    try:
        data = URLSafeSerializer(secret_key, salt=_TOKEN_SALT).loads(token)
    except BadSignature as error:
        raise BadToken(token[:20]) from error
    if not isinstance(data, dict):
        raise BadToken("not a signature request")
    request_id, nonce = data.get("q"), data.get("n")
    if not isinstance(request_id, int) or not isinstance(nonce, str):
        raise BadToken("not a signature request")
    return request_id, nonce


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hmac(secret_key: str, request_id: int, code: str) -> str:
    key = hashlib.sha256(f"esign-code:{secret_key}".encode()).digest()
    return hmac.new(key, f"{request_id}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(secret_key: str, request_id: int, code: str, expected: str) -> bool:
    return hmac.compare_digest(code_hmac(secret_key, request_id, code), expected)


def clean_code(typed: str) -> str:
    """What the person typed, without the spaces or dashes a phone may add (« 123 456 »)."""
    return "".join(ch for ch in typed if ch.isdigit())[: CODE_DIGITS + 1]


def masked_phone(phone: str) -> str:
    """« +33 6 •• •• •• 78 »: enough for the person to recognise their number."""
    digits = phone.strip()
    if len(digits) < 6:
        return "••"
    return f"{digits[:4]} •• •• •• {digits[-2:]}"


def masked_email(email: str) -> str:
    """« m•••@exemple.fr »."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


__all__ = [
    "CODE_DIGITS",
    "CODE_MAX_FAILURES",
    "CODE_MINUTES",
    "CODE_RESENDS_PER_HOUR",
    "CODE_SENDS_PER_HOUR",
    "CODE_VALIDITY",
    "BadToken",
    "clean_code",
    "code_hmac",
    "code_matches",
    "masked_email",
    "masked_phone",
    "new_code",
    "new_nonce",
    "read_token",
    "request_token",
]

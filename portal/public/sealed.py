"""The orientation answer, sealed before it goes into the session cookie (issue 10).

Flask's session cookie is signed, not encrypted: anyone holding it (a shared computer, a
proxy log) could base64-decode it and read that a person was sent to Cap emploi because of
a disability. The answer is therefore encrypted and authenticated with Fernet (AES-128-CBC
and HMAC-SHA256), under a key derived from SECRET_KEY by HKDF for this one purpose: the key
that signs sessions is never used as is, and no other use of SECRET_KEY can open it.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session

SESSION_KEY = "orientation"
# The HKDF "info": names what the derived key is for; change the version to retire old cookies.
PURPOSE = b"cep-portal/orientation-answer/v1"


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(answer: dict[str, Any], secret_key: str) -> str:
    return _fernet(secret_key).encrypt(json.dumps(answer).encode()).decode("ascii")


def unseal(sealed: object, secret_key: str) -> dict[str, Any] | None:
    """The answer, or None when there is none or it was not sealed by us with this key."""
    if not isinstance(sealed, str):
        return None
    try:
        answer = json.loads(_fernet(secret_key).decrypt(sealed.encode("ascii")))
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return None
    return answer if isinstance(answer, dict) else None


def save_answer(answer: dict[str, Any]) -> None:
    session[SESSION_KEY] = seal(answer, current_app.config["SECRET_KEY"])


def saved_answer() -> dict[str, Any]:
    """The front door's answer kept in this person's session, or {}."""
    return unseal(session.get(SESSION_KEY), current_app.config["SECRET_KEY"]) or {}

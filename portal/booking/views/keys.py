"""The idempotency key of a booking form, bound to the browser session that received it.

A double-submitted form carries the same key and gets the first booking back. A key is only
worth that when this session was handed it: its SHA-256 is kept in the session when the form
is rendered. A key posted from another session (copied, or an old form of someone else) is
replaced by a fresh one, so that the post is a new booking attempt, never a replay. The service
then checks the identity the key carries (`services.same_person`): on a shared computer the
Back button shows the previous person's form in the same session.
"""

from __future__ import annotations

import hashlib
import uuid

from flask import session

ISSUED_KEYS = "booking_keys"
# Booking forms one browser may have open at once (tabs, Back); older keys are forgotten and
# their forms become new attempts. 20 digests keep the session cookie under 1 kB.
KEPT_KEYS = 20
DIGEST_CHARS = 32  # 128 bits of the SHA-256: enough to tell keys apart, short in the cookie


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:DIGEST_CHARS]


def issue_key() -> str:
    """A fresh key for a form about to be shown, remembered by this session."""
    key = uuid.uuid4().hex
    kept = [d for d in session.get(ISSUED_KEYS) or [] if isinstance(d, str)]
    session[ISSUED_KEYS] = [*kept[-(KEPT_KEYS - 1) :], _digest(key)]
    return key


def bound_key(posted: str | None) -> str:
    """The posted key when this session was handed it, otherwise a fresh one (issued to this
    session, so that the form shown again after an error keeps its protection)."""
    kept = session.get(ISSUED_KEYS) or []
    if posted and isinstance(kept, list) and _digest(posted) in kept:
        return posted
    return issue_key()

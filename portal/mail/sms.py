"""SMS, the outbox's second channel: queued in the caller's transaction like an e-mail, and
delivered by the same sender with the same retries (`sender.send_due`).

A text is at most three SMS segments: 459 characters of the GSM 03.38 alphabet (a character
of its extension table, such as € or [, counts twice), or 201 characters when any other
character is present (« », ’, ê, emoji: the whole text then goes as UCS-2). A longer text is
refused at once with `InvalidMail("text", …)`; a one-time code and a link fit easily.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from portal.mail.models import OutboxChannel, OutboxMessage, OutboxStatus
from portal.mail.secrets import MIN_CODE_LENGTH, check_secrets, hide, reveal, seal, unseal
from portal.mail.services import InvalidMail
from portal.mail.sms_backends import Sms

# E.164: "+", a country code that does not start with 0, at most 15 digits in all; 8 at least
# (the shortest numbers in use, e.g. some Pacific islands, have 7 digits after their code).
E164 = re.compile(r"\+[1-9][0-9]{7,14}")
MAX_SEGMENTS = 3
# GSM 03.38 (3GPP TS 23.038): the basic alphabet (one septet each; ESC left out) and the
# extension table (ESC + one septet: two each).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
# Units per segment: a single SMS, then each part of a concatenated one (the rest of the
# 140 octets carries the part's header).
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
# The label kept in `subject` for an SMS (the column is required; an SMS has no subject).
SMS_SUBJECT = "SMS"


def is_e164(number: str) -> bool:
    return E164.fullmatch(number) is not None


def sms_segments(text: str) -> int:
    """How many SMS a text takes once sent."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        single, part = GSM_SINGLE, GSM_PART
    else:
        units = len(text.encode("utf-16-le")) // 2  # an emoji takes two UCS-2 units
        single, part = UCS2_SINGLE, UCS2_PART
    return 1 if units <= single else math.ceil(units / part)


def enqueue_sms(
    session: Session,
    *,
    to: str,
    text: str,
    topic: str = "",
    secrets: Mapping[str, str] | None = None,
    secret_key: str = "",
    operator_id: int | None = None,
) -> OutboxMessage:
    """Add a pending SMS to the outbox; flush, never commit.

    `to` is an E.164 number ("+33612345678"). `secrets` ({"code": "482913"}) are never stored
    in clear: the stored text keeps a placeholder and the values are sealed with a key derived
    from `secret_key`, as for `enqueue_mail`; a secret has at least six characters.
    `operator_id`: the operator whose managers see the SMS if it fails.
    """
    secrets = dict(secrets or {})
    check_secrets(secrets, min_length=MIN_CODE_LENGTH)
    if secrets and not secret_key:
        raise ValueError("secrets need the secret key that seals them")
    to = to.strip()
    if not is_e164(to):
        raise InvalidMail("to", "not an E.164 phone number (+ then 8 to 15 digits)")
    if not text.strip():
        raise InvalidMail("text", "empty")
    if sms_segments(text) > MAX_SEGMENTS:
        raise InvalidMail("text", f"longer than {MAX_SEGMENTS} SMS")
    message = OutboxMessage(
        channel=OutboxChannel.SMS,
        to_address=to,
        subject=SMS_SUBJECT,
        body_text=hide(text, secrets),
        body_html=None,
        topic=topic[:100],
        status=OutboxStatus.PENDING,
        attempts=0,
        operator_id=operator_id,
        sealed_secrets=seal(secrets, secret_key) if secrets else None,
    )
    session.add(message)
    session.flush()
    return message


def build_sms(message: OutboxMessage, *, sender: str, now: datetime, secret_key: str = "") -> Sms:
    """The SMS of an outbox row, with its sealed secrets put back in place."""
    if message.body_purged_at is not None:
        raise ValueError("the text of this SMS was purged")
    secrets = unseal(message.sealed_secrets, secret_key) if message.sealed_secrets else {}
    return Sms(
        to=message.to_address,
        text=reveal(message.body_text, secrets),
        sender=sender,
        reference=sms_reference(message),
        at=now,
    )


def sms_reference(message: OutboxMessage) -> str:
    """Stable for one outbox row, so that a provider may recognise an SMS sent twice."""
    return f"outbox.{message.id}.{int(message.created_at.timestamp())}"

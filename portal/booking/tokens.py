"""The signed links that let a person move or cancel their appointment without a password:
one per request (first appointment), one per follow-up session.

The token names the request, not one appointment, so that it keeps working after a move.
It carries no personal data and cannot be forged without SECRET_KEY.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "cep.booking.manage"
# A link older than this is refused even before its appointment's cut-off.
MAX_AGE_SECONDS = 120 * 24 * 3600


class InvalidLink(Exception):
    """Tampered, expired, or for a request that no longer exists."""


def manage_token(secret_key: str, request_id: int) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SALT).dumps({"r": request_id})


def request_id_from_token(secret_key: str, token: str) -> int:
    try:
        data = URLSafeTimedSerializer(secret_key, salt=SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidLink(str(error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise InvalidLink("unexpected payload")
    return int(data["r"])


# A follow-up session of a unit (issue 14) has no request: its link names the appointment,
# and the page follows its moves (`advisor.sessions.current_session`).
SESSION_SALT = "cep.advisor.session"


def session_token(secret_key: str, appointment_id: int) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SESSION_SALT).dumps({"s": appointment_id})


def appointment_id_from_session_token(secret_key: str, token: str) -> int:
    serializer = URLSafeTimedSerializer(secret_key, salt=SESSION_SALT)
    try:
        data = serializer.loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature as error:
        raise InvalidLink(str(error)) from error
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise InvalidLink("unexpected payload")
    return int(data["s"])

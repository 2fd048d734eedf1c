"""No secrets in logs: the tokens that sit in some URLs are masked in every log line.

A manage link (`/rendez-vous/gerer/<token>`), a beneficiary sign-in link
(`/mon-espace/connexion/<token>`), a survey link (`/enquete/<token>`) and a signing link
(`/signer/<token>`) open someone's appointment, space, answers or livrable to whoever holds
them. Access logs are kept, copied and read
by more people than the portal's database: the request line, the Referer and any other
logged header get the token replaced by MASK. Used by werkzeug's development server (a
logging filter) and by gunicorn's access log (`gunicorn.conf.py`).
"""

from __future__ import annotations

import logging
import re

MASK = "[masqué]"
# Every route whose path carries a bearer token; tests/web/test_logs.py fails when a route
# with a `token` argument is not covered here.
TOKEN_PATHS = (
    "/rendez-vous/gerer/",
    "/rendez-vous/seance/",  # a follow-up session's own page (issue 14)
    "/mon-espace/connexion/",
    "/enquete/",
    "/pro/mot-de-passe/",
    "/pro/connexion/lien/",
    "/signer/",
    "/calendrier/",  # an advisor's calendar feed (issue 14)
)

_IN_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in TOKEN_PATHS) + r")[^/?#\s\"']+"
)
_IN_QUERY = re.compile(r"([?&;]token=)[^&#\s\"']+", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """`text` with the token of every token-bearing path or `token=` parameter masked."""
    return _IN_QUERY.sub(rf"\1{MASK}", _IN_PATH.sub(rf"\1{MASK}", text))


class MaskSecretsFilter(logging.Filter):
    """Rewrites a record's message, arguments included, with the tokens masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def mask_werkzeug_log() -> None:
    """The development server logs each request line through the "werkzeug" logger."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskSecretsFilter) for f in logger.filters):
        logger.addFilter(MaskSecretsFilter())

"""Gunicorn settings, read from the working directory by `gunicorn wsgi:app` (issue 10).

- The access log (`--access-logfile -`, say) masks the tokens that sit in some URLs
  (portal/redact.py).
- Responses carry no « Server: gunicorn » banner: gunicorn has no setting for it, so the one
  method that writes it is wrapped (checked by tests/web/test_logs.py with a real gunicorn).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger
from gunicorn.http import wsgi as gunicorn_wsgi

from portal.redact import mask_secrets


class MaskingLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger with every string of the access-log line masked (request line,
    path, query, Referer and other headers)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {k: mask_secrets(v) if isinstance(v, str) else v for k, v in atoms.items()}


logger_class = MaskingLogger

_default_headers = gunicorn_wsgi.Response.default_headers


def _default_headers_without_banner(self: Any) -> list[str]:
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


gunicorn_wsgi.Response.default_headers = _default_headers_without_banner

"""What every response carries: the security headers, in one place (issue 10).

The content security policy allows nothing but our own origin: no inline script or style, no
eval (htmx is configured for that in base.html), no framing, forms posting only to us. A
response that already set its own policy (a sandboxed e-mail preview, a downloaded scan) keeps
it; an inline PDF gets none, as the browser's own viewer would be blocked by it.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from flask import Flask, current_app
from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Two years, the length hstspreload.org asks for; without includeSubDomains, as the portal
# does not own its parent domain's other services.
HSTS = "max-age=63072000"

HEADERS = {
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype != "application/pdf":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if current_app.config.get("PREFERRED_URL_SCHEME") == "https":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers.pop("Server", None)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's development server without its « Server: Werkzeug/… Python/… » banner."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        BaseHTTPRequestHandler.send_response_only(self, code, message)
        self.send_header("Date", self.date_time_string())

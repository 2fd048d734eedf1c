"""Every response carries the security headers (portal/security.py); no page needs an inline
script, style or handler that the policy would block; cookies are Secure outside development."""

from __future__ import annotations

import re
import threading
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from portal import config
from portal.security import QuietRequestHandler
from tests.other_apps import other_app

TEMPLATES = Path(__file__).resolve().parents[2] / "portal" / "templates"
STATIC = Path(__file__).resolve().parents[2] / "static"


@pytest.mark.parametrize("path", ["/", "/lieux", "/static/css/portal.css", "/api/v1/orientation"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http here
    assert "Server" not in response.headers
    response.close()  # a static file is streamed from an open file


def test_hsts_only_when_served_over_https(app: Flask, database_url: str, tmp_path: Path) -> None:
    with other_app(database_url, tmp_path, PREFERRED_URL_SCHEME="https") as secure:
        response = secure.test_client().get("/")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000"


def test_the_sandboxed_mail_preview_keeps_its_own_policy(client: FlaskClient) -> None:
    # A header set by the view wins: only the missing ones are added.
    from portal.security import add_security_headers

    with client.application.test_request_context("/"):
        from flask import Response

        response = add_security_headers(
            Response("x", headers={"Content-Security-Policy": "sandbox"})
        )
        pdf = add_security_headers(Response(b"%PDF-", mimetype="application/pdf"))
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert "Content-Security-Policy" not in pdf.headers  # the browser's PDF viewer needs it
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"


def test_htmx_is_configured_to_need_no_eval_nor_inline_style(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    config_tag = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert config_tag is not None
    for setting in (
        '"includeIndicatorStyles": false',
        '"allowEval": false',
        '"allowScriptTags": false',
        '"selfRequestsOnly": true',
    ):
        assert setting in config_tag.group(1)


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=|javascript:|hx-on[:-]", re.IGNORECASE
)


def test_no_page_template_needs_inline_script_style_or_handlers() -> None:
    # E-mail bodies are not served to a browser under our policy: mail clients want inline style.
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        if "email" not in path.parts
        for match in INLINE.finditer(path.read_text())
    ]
    offenders += [
        f"{path.relative_to(STATIC)}: {match.group(0)}"
        for path in STATIC.rglob("*")
        if path.suffix in {".html", ".svg"}
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []


def test_cookies_are_secure_outside_development(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    monkeypatch.setenv("PORTAL_ENV", "production")
    assert config.load(tmp_path)["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("PORTAL_ENV", "development")
    assert config.load(tmp_path)["SESSION_COOKIE_SECURE"] is False
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")  # still overridable (a TLS-less intranet)
    assert config.load(tmp_path)["SESSION_COOKIE_SECURE"] is False


def test_a_production_session_cookie_is_sent_secure(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    with other_app(database_url, tmp_path, SESSION_COOKIE_SECURE=True) as secure:
        response = secure.test_client().get("/langue/en")
    assert "; Secure" in response.headers["Set-Cookie"]


def test_the_development_server_sends_no_banner(app: Flask) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/accessibilite") as r:
            assert r.status == 200
            assert r.headers["Server"] is None
            assert r.headers["Date"]
    finally:
        server.shutdown()

"""No secrets in logs: tokens in URLs are masked in the development server's log and in
gunicorn's access log, which also sends no Server banner (portal/redact.py, gunicorn.conf.py)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal.redact import MASK, TOKEN_PATHS, mask_secrets
from portal.security import QuietRequestHandler

ROOT = Path(__file__).resolve().parents[2]
SECRET = "eyJyIjo0Mn0.aBcD-ef_12"


def test_every_route_with_a_token_in_its_path_is_masked(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if "token" in rule.arguments:
            path = rule.rule.replace("<token>", SECRET).replace("<int:slot_id>", "7")
            assert SECRET not in mask_secrets(f'"GET {path} HTTP/1.1" 200'), rule.rule
    assert mask_secrets("/enquete/abc?x=1") == f"/enquete/{MASK}?x=1"
    assert mask_secrets("/mon-espace?token=abc&lang=en") == f"/mon-espace?token={MASK}&lang=en"
    # Every prefix masked is a route's: no stale entry hides a missing one.
    prefixes = {
        rule.rule.split("<token>")[0]
        for rule in app.url_map.iter_rules()
        if "token" in rule.arguments
    }
    assert set(TOKEN_PATHS) == prefixes


def test_the_development_server_log_masks_tokens(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/rendez-vous/gerer/{SECRET}"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        try:
            urllib.request.urlopen(url)
        except urllib.error.HTTPError as error:
            assert error.code == 404  # a forged token: the « lien non valide » page
        thread.join(10)
    server.server_close()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any(f"/rendez-vous/gerer/{MASK}" in line for line in lines), lines
    assert not any(SECRET in line for line in lines)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(
    shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None,
    reason="gunicorn is a dependency; missing only in a broken venv",
)
def test_gunicorn_masks_tokens_and_sends_no_banner(tmp_path: Path) -> None:
    app = tmp_path / "tiny.py"
    app.write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n"
    )
    port = _free_port()
    log = tmp_path / "access.log"
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "--workers",
            "1",
            "--chdir",
            str(tmp_path),
            "tiny:app",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/mon-espace/connexion/{SECRET}?token={SECRET}"
        for _ in range(100):
            try:
                request = urllib.request.Request(
                    url, headers={"Referer": f"http://127.0.0.1/enquete/{SECRET}"}
                )
                with urllib.request.urlopen(request) as response:
                    assert response.read() == b"ok"
                    assert response.headers["Server"] is None
                break
            except (ConnectionError, urllib.error.URLError):
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
    finally:
        process.terminate()
        process.wait(10)
    written = log.read_text()
    assert f"/mon-espace/connexion/{MASK}?token={MASK}" in written
    assert f"/enquete/{MASK}" in written  # the Referer too
    assert SECRET not in written

"""`make audit` says plainly when no advisory database answers, and never passes then."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class MirrorWithoutAdvisories(http.server.BaseHTTPRequestHandler):
    """Like this machine's package mirror: answers, but with no advisory in it."""

    def do_GET(self) -> None:
        body = json.dumps({"info": {}, "vulnerabilities": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def mirror() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), MirrorWithoutAdvisories)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run_audit(pypi: str, osv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AUDIT_PYPI_URL": pypi, "AUDIT_OSV_URL": osv}
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_no_reachable_database_is_said_plainly_and_fails() -> None:
    closed = "http://127.0.0.1:9/pypi/pip/20.0/json"  # discard port: nothing listens
    result = run_audit(closed, "http://127.0.0.1:9/v1/query")
    assert result.returncode == 3
    assert "NOT AUDITED" in result.stderr
    assert "no advisory database is reachable" in result.stderr


def test_a_mirror_without_advisories_is_not_an_advisory_database(mirror: str) -> None:
    result = run_audit(f"{mirror}/pypi/pip/20.0/json", f"{mirror}/v1/query")
    assert result.returncode == 3
    assert "NOT AUDITED" in result.stderr

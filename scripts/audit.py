#!/usr/bin/env python3
"""`make audit`: pip-audit over requirements.lock, against the first advisory database that
answers (PyPI's JSON API, then OSV). When none answers, say so plainly and exit 3: the
dependencies were NOT audited, which must never pass for « no known vulnerability ».

Exit codes: 0 audited, nothing found; 1 vulnerabilities found, or a dependency the service
could not audit (pip-audit --strict); 3 not audited at all.
The probe URLs can be overridden (AUDIT_PYPI_URL, AUDIT_OSV_URL), for tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
NOT_AUDITED = 3
TIMEOUT_SECONDS = 10

# pip 20.0 has published advisories: a service that answers for it with none (a mirror that
# serves packages but not advisories) is not an advisory database.
PYPI = os.environ.get("AUDIT_PYPI_URL", "https://pypi.org/pypi/pip/20.0/json")
OSV = os.environ.get("AUDIT_OSV_URL", "https://api.osv.dev/v1/query")


def pypi_answers(url: str = PYPI) -> bool:
    """PyPI's JSON API lists each release's known vulnerabilities (a mirror may not)."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.status == 200 and bool(json.load(response).get("vulnerabilities"))
    except (OSError, ValueError, urllib.error.URLError):
        return False


def osv_answers(url: str = OSV) -> bool:
    query = {"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "20.0"}
    request = urllib.request.Request(
        url, data=json.dumps(query).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status == 200 and bool(json.load(response).get("vulns"))
    except (OSError, ValueError, urllib.error.URLError):
        return False


def advisory_service() -> str | None:
    if pypi_answers():
        return "pypi"
    if osv_answers():
        return "osv"
    return None


def main() -> int:
    service = advisory_service()
    if service is None:
        print(
            "pip-audit: NOT AUDITED — no advisory database is reachable from this machine\n"
            f"  (tried PyPI's JSON API {PYPI} and OSV {OSV}).\n"
            "  Run `make audit` where one of them is reachable (CI, a workstation).",
            file=sys.stderr,
        )
        return NOT_AUDITED
    print(f"pip-audit: auditing {LOCK.name} against {service}", flush=True)
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(LOCK),
        "--require-hashes",
        "--disable-pip",
        # A dependency the service does not know fails the audit instead of passing unseen.
        "--strict",
        "--vulnerability-service",
        service,
        "--progress-spinner",
        "off",
    ]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())

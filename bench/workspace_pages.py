"""The advisor's pages measured in-process (`bench/workspace.py`, part 1): a test client
signed in through the real form, each page in turn with the bare endpoint, the server time
from `Server-Timing`, SQL statements per page, and the time the cyclic garbage collector took
during each request (a full collection of a large heap shows as the p95 tail)."""

from __future__ import annotations

import gc
import re
import sys
import time
from typing import Any

from flask.testing import FlaskClient

from bench.booking_http import CSRF, Sample
from bench.locate import pct

WARM_ROUNDS = 20
P95_TARGET_MS, QUERIES_TARGET = 100.0, 15
HOME = "/pro/conseiller"


class GcClock:
    """Milliseconds the cyclic GC ran, and whether a full (generation 2) collection ran,
    between `reset` and `read`."""

    def __init__(self) -> None:
        self.ms, self.full, self.started = 0.0, False, 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        self.ms += (time.perf_counter() - self.started) * 1000
        self.full = self.full or info["generation"] == 2

    def reset(self) -> None:
        self.ms, self.full = 0.0, False

    def close(self) -> None:
        gc.callbacks.remove(self._tick)


def signed_in_client(email: str) -> FlaskClient:
    """A test client signed in as the advisor through the real form (CSRF on, as served)."""
    from bench.app import app
    from bench.workspace_book import PASSWORD

    client = app.test_client()
    page = client.get("/pro/connexion")
    token = CSRF.search(page.get_data(as_text=True))
    assert page.status_code == 200 and token, (page.status_code, "no CSRF token on the page")
    response = client.post(
        "/pro/connexion",
        data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
    )
    if response.status_code != 303:
        sys.exit(
            f"sign-in failed: {response.status_code} {response.get_data(as_text=True)[:200]!r}"
        )
    return client


def advisor_dossiers(email: str) -> tuple[list[int], list[str]]:
    """The advisor's dossiers (each with its units and interactions), and the numbers of
    their open units (to see whether the home lists them)."""
    from sqlalchemy import text

    from bench.app import app
    from portal.extensions import db

    with app.app_context():
        ids = db.session.scalars(
            text(
                "SELECT d.id FROM dossier d JOIN staff_member s ON s.id = d.advisor_id"
                " WHERE s.email = :e ORDER BY d.id"
            ),
            {"e": email},
        ).all()
        numbers = db.session.scalars(
            text(
                "SELECT u.number FROM unit u JOIN staff_member s ON s.id = u.advisor_id"
                " WHERE s.email = :e AND u.status = 'open'"
            ),
            {"e": email},
        ).all()
    return list(ids), list(numbers)


def in_process(
    client: FlaskClient,
    paths: dict[str, list[str]],
    rounds: int,
    failed: dict[str, str],
    gc_report: list[str],
) -> dict[str, Sample]:
    """Each page in turn with the bare endpoint, warm-up first. A page that does not answer
    200 is reported (status, first 200 characters of its body) and left out of the rounds."""
    from bench.app import server_timing

    samples = {name: Sample() for name in [*paths, "bare"]}
    clock = GcClock()

    def get(name: str, path: str, warm: bool) -> None:
        clock.reset()
        began = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - began
        if response.status_code != 200:
            body = response.get_data(as_text=True)
            failed[name] = f"GET {path} answered {response.status_code}: {body[:200]!r}"
            print(f"  ERROR {failed[name]}", flush=True)
            return
        if not warm:
            samples[name].add(elapsed, *server_timing(response.headers["Server-Timing"]))
            collections[name].append((clock.ms, clock.full))

    collections: dict[str, list[tuple[float, bool]]] = {name: [] for name in samples}
    try:
        for warm, count in ((True, WARM_ROUNDS), (False, rounds)):
            for i in range(count):
                for name, choices in paths.items():
                    if name not in failed:
                        get(name, choices[i % len(choices)], warm)
                get("bare", "/_bench/bare", warm)
    finally:
        clock.close()
    gc_report.extend(_gc_lines(samples, collections))
    return {name: sample for name, sample in samples.items() if sample.server}


def _gc_lines(
    samples: dict[str, Sample], collections: dict[str, list[tuple[float, bool]]]
) -> list[str]:
    lines = []
    for name, sample in samples.items():
        seen = collections[name]
        if name == "bare" or not seen:
            continue
        full = [ms for ms, whole in seen if whole]
        calm = [t for t, (_, whole) in zip(sample.server, seen, strict=True) if not whole]
        line = (
            f"  {name}: cyclic GC {sum(ms for ms, _ in seen) / len(seen):.1f} ms per request on"
            f" average; a full collection in {len(full)} of {len(seen)} requests"
        )
        if full:
            line += f" ({sum(full) / len(full):.0f} ms each)"
        if len(calm) >= 2:
            line += f"; server p95 of the others {pct(calm, 95):.1f} ms"
        lines.append(line)
    return lines


def verdict(samples: dict[str, Sample], failed: dict[str, str]) -> list[str]:
    lines = [f"  FAIL {name}: {error}" for name, error in failed.items()]
    for name, sample in samples.items():
        if name == "bare":
            continue
        p95, worst = pct(sample.server, 95), max(sample.queries)
        fast, few = p95 <= P95_TARGET_MS, worst <= QUERIES_TARGET
        lines.append(
            f"  {'PASS' if fast else 'FAIL'} {name}: server p95 {p95:.1f} ms ≤ "
            f"{P95_TARGET_MS:.0f} ms"
        )
        lines.append(
            f"  {'PASS' if few else 'FAIL'} {name}: {worst} SQL statements at most ≤ "
            f"{QUERIES_TARGET} (mean {sum(sample.queries) / len(sample.queries):.1f})"
        )
    return lines


def home_lists(client: FlaskClient, numbers: list[str]) -> str:
    """How many of the open units the home names (by Annex 2 number, with or without spaces)."""
    response = client.get(HOME)
    html = response.get_data(as_text=True)
    flat = re.sub(r"[\s\u00a0\u202f]|&nbsp;|&#160;|&#8239;", "", html)
    found = sum(1 for n in numbers if n in flat)
    return (
        f"the home ({response.status_code}, {len(html):,} bytes) names {found} of the "
        f"{len(numbers)} open units by their number"
    )

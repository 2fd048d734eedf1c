"""`POST /mon-espace/lien` for a known and an unknown address: median server times.

Issue 10 measured a known address answering in ~5.5 ms and an unknown one in ~3.0 ms, which
told who is a beneficiary. Both paths now do the same work (a link row and a rendered e-mail
in a savepoint, kept or rolled back). This runs a few hundred requests of each, interleaved,
through the Flask test client on the database of DATABASE_URL (a fresh SQLite file when it is
unset; `scripts/with-postgres` for PostgreSQL), and prints the medians and their gap.

    .venv/bin/python bench/sign_in_timing.py [ROUNDS]
    scripts/with-postgres .venv/bin/python bench/sign_in_timing.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from alembic import command

# `python bench/x.py` puts bench/ first on sys.path, and `portal` would then come from wherever
# the virtualenv's editable install points (another checkout): measure the code next to us.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WARM_UP = 20


def main(rounds: int) -> None:
    instance = Path(tempfile.mkdtemp(prefix="bench-sign-in-"))
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    os.environ.setdefault("SECRET_KEY", "bench")
    from portal import create_app
    from portal.cli import alembic_config
    from portal.extensions import db
    from portal.people.models import Beneficiary

    config: dict[str, object] = {
        "WTF_CSRF_ENABLED": False,
        "MAIL_MAILBOX_PATH": str(instance / "mailbox"),
        # Every known request takes the full path (a link kept, an e-mail queued).
        "BENEFICIARY_LINKS_PER_HOUR": 10 * rounds,
        "SQLALCHEMY_ENGINES": {"default": {"url": url or f"sqlite:///{instance / 'b.sqlite3'}"}},
    }
    app = create_app(config)
    with app.app_context():
        cfg = alembic_config()
        cfg.attributes["app"] = app
        command.upgrade(cfg, "head")
        db.session.add(
            Beneficiary(
                last_name="Banc",
                first_name="Essai",
                email="connue@bench.example",
                phone="+33600000000",
                birth_date=date(1980, 1, 1),
                consent_at=datetime.now(UTC),
                consent_version="bench",
            )
        )
        db.session.commit()
        engine = db.engine.url.get_backend_name()
    client = app.test_client()
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for number in range(WARM_UP + rounds):
        # Alternate which goes first, so that neither always follows the other's commit.
        for kind in ("known", "unknown") if number % 2 else ("unknown", "known"):
            email = "connue@bench.example" if kind == "known" else f"x{number}@bench.example"
            began = time.perf_counter()
            response = client.post("/mon-espace/lien", data={"email": email})
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 303, response.status_code
            if number >= WARM_UP:
                times[kind].append(elapsed)
    known, unknown = (statistics.median(times[k]) for k in ("known", "unknown"))
    print(f"database: {engine}; {rounds} requests of each kind, interleaved, after {WARM_UP}")
    for kind in ("known", "unknown"):
        values = sorted(times[kind])
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{kind:>8}: median {statistics.median(values):.2f} ms, p95 {p95:.2f} ms")
    print(f"gap of the medians: {known - unknown:+.2f} ms ({known / unknown:.2f}×)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)

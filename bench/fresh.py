"""A bench's fresh start, in the child process that builds its dataset: the throwaway
database of `scripts/with-postgres` emptied (never any other: the app must be bound to it),
migrated to head, and the demo network loaded. Shared by every bench that builds data; and
`build_in_child`, which runs that child from the measuring process."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def fresh_demo(url: str, log: Callable[[str], None] = print) -> None:
    from alembic import command
    from sqlalchemy import create_engine, make_url, text

    from bench.app import app
    from portal.cli import alembic_config
    from portal.demo import load_demo
    from portal.extensions import db

    with app.app_context():  # never reset any other database
        bound, wanted = db.engine.url, make_url(url)
        assert (bound.host, bound.port, bound.database) == (
            wanted.host,
            wanted.port,
            wanted.database,
        ), f"the app is bound to {bound!r}, not to TEST_DATABASE_URL"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    with app.app_context():
        cfg = alembic_config()
        cfg.attributes["app"] = app
        command.upgrade(cfg, "head")
        began = time.perf_counter()
        log(load_demo(db.session))
        db.session.commit()
        log(f"  demo network: {time.perf_counter() - began:.1f} s")


def build_in_child(script: str, *args: str) -> dict[str, Any]:
    """Run `script --build-only FACTS *args` in a child process, so that the process that
    measures starts as fresh as a server would; print how long it took and return the facts
    (a JSON object) the child wrote."""
    began = time.perf_counter()
    facts = Path(tempfile.mkdtemp()) / "facts.json"
    subprocess.run([sys.executable, script, "--build-only", str(facts), *args], check=True)
    print(
        f"build (child process, migrations included): {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    return dict(json.loads(facts.read_text() or "{}"))

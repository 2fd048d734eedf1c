"""A second application on the test database with other settings, its pool closed after use
(an engine left open warns when the garbage collector closes its connections mid-suite)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from tests.conftest import make_app


@contextmanager
def other_app(database_url: str, instance: Path, **config: object) -> Iterator[Flask]:
    app = make_app(database_url, instance, **config)
    try:
        yield app
    finally:
        from portal.extensions import db

        with app.app_context():
            db.engine.dispose()

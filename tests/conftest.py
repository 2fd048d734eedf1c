"""Shared fixtures: one application on a real, migrated database with the demo network.

`make test` starts a throwaway PostgreSQL server and hands its URL in TEST_DATABASE_URL;
without it (a bare `pytest`), the suite falls back to a temporary SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from portal import clock as portal_clock
from portal import create_app
from portal.cli import alembic_config

# tests.strictness fails a test that asserts nothing; pytester lets a test run pytest itself.
pytest_plugins = ["pytester", "tests.strictness"]


def _reset(url: str) -> None:
    """Start from an empty schema, so that the migrations themselves are under test."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def make_app(database_url: str, instance: Path, **extra: object) -> Flask:
    options: dict[str, object] = {"url": database_url}
    if database_url.startswith("postgresql"):
        options["pool_size"] = 20
        options["max_overflow"] = 40
    config: dict[str, object] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_ENGINES": {"default": options},
        "MAIL_MAILBOX_PATH": str(instance / "mailbox"),
        "SMS_BOX_PATH": str(instance / "smsbox"),
        # The suite's links start with PUBLIC_BASE_URL, as in production; the development
        # fallback on the request's address has its own test (`test_public_url.py`).
        "PUBLIC_URL_FROM_REQUEST": False,
    }
    config.update(extra)
    os.environ.setdefault("SECRET_KEY", "test-secret")
    return create_app(config)


def demo_app(database_url: str, instance: Path) -> Iterator[Flask]:
    """An application on `database_url`, migrated, with the demo network and its slots;
    its connections closed after use. For the suite's `app` and any second database."""
    application = make_app(database_url, instance)
    with application.app_context():
        cfg = alembic_config()
        cfg.attributes["app"] = application
        command.upgrade(cfg, "head")
        from portal.booking.slots import materialise_slots
        from portal.clock import today_in_france
        from portal.demo import load_demo
        from portal.extensions import db

        load_demo(db.session)
        db.session.commit()
        materialise_slots(db.session, today=today_in_france())
        db.session.commit()
    yield application
    with application.app_context():
        from portal.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    _reset(database_url)
    yield from demo_app(database_url, tmp_path_factory.mktemp("instance"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A database session in an application context, rolled back after the test."""
    from portal.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


class FrozenClock:
    """The portal's clock, stopped: `now` moves only when the test moves it."""

    def __init__(self, at: datetime) -> None:
        self.now = at

    def __call__(self) -> datetime:
        return self.now

    @property
    def today(self) -> date:
        """The day in Europe/Paris at the frozen moment."""
        return self.now.astimezone(portal_clock.PARIS).date()

    def set(self, at: datetime) -> None:
        assert at.tzinfo is not None, "a frozen moment must be timezone-aware"
        self.now = at

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """Freeze the portal's « now » and « today » (Europe/Paris) for one test.

    It starts at the moment the test starts, read once: the demo data were made for this
    week, and a test that runs across midnight or a second boundary still sees one day and
    one instant. `clock.set(...)` and `clock.advance(...)` move it.
    """
    frozen = FrozenClock(portal_clock.now())
    with portal_clock.frozen(frozen):
        yield frozen

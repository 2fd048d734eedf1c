"""Shared fixtures: one application on a real, migrated database with the demo network.

`make test` starts a throwaway PostgreSQL server and hands its URL in TEST_DATABASE_URL;
without it (a bare `pytest`), the suite falls back to a temporary SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from portal import create_app
from portal.cli import alembic_config


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
    }
    config.update(extra)
    os.environ.setdefault("SECRET_KEY", "test-secret")
    return create_app(config)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    _reset(database_url)
    application = make_app(database_url, tmp_path_factory.mktemp("instance"))
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

"""Configuration read from the environment, with embedded defaults for development.

Nothing here is secret by default: production sets SECRET_KEY, DATABASE_URL and the SMTP
settings in the environment (see README, "Configuration").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

LANGUAGES = ("fr", "en")


def database_url(instance_path: Path) -> str:
    """The SQLAlchemy URL: DATABASE_URL when set, otherwise an embedded SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'cep.sqlite3'}"
    # Hosting platforms hand out postgres:// URLs; psycopg 3 is our driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load(instance_path: Path) -> dict[str, Any]:
    instance_path.mkdir(parents=True, exist_ok=True)
    url = database_url(instance_path)
    engine_options: dict[str, Any] = {"url": url}
    if url.startswith("sqlite"):
        engine_options["connect_args"] = {"check_same_thread": False}
    else:
        engine_options["pool_pre_ping"] = True
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_ENGINES": {"default": engine_options},
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "BABEL_TRANSLATION_DIRECTORIES": str(
            Path(__file__).resolve().parent.parent / "translations"
        ),
        "LANGUAGES": LANGUAGES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "WTF_CSRF_TIME_LIMIT": None,
        # How many sites the locator lists for each operator.
        "LOCATOR_SITES_SHOWN": int(os.environ.get("LOCATOR_SITES_SHOWN", "5")),
        # CCTP 3.7: the mediator of France compétences is named on every page and document.
        "MEDIATOR_POSTAL_ADDRESS": os.environ.get(
            "MEDIATOR_POSTAL_ADDRESS",
            "France compétences — Le Médiateur, 11 rue Scribe, 75009 Paris",
        ),
        "MEDIATOR_URL": os.environ.get(
            "MEDIATOR_URL", "https://www.francecompetences.fr/mediateur/"
        ),
    }

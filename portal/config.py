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


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def load(instance_path: Path) -> dict[str, Any]:
    instance_path.mkdir(parents=True, exist_ok=True)
    url = database_url(instance_path)
    engine_options: dict[str, Any] = {"url": url}
    if url.startswith("sqlite"):
        engine_options["connect_args"] = {"check_same_thread": False}
    else:
        engine_options["pool_pre_ping"] = True
    portal_env = os.environ.get("PORTAL_ENV", "development").strip().lower()
    smtp_host = os.environ.get("SMTP_HOST", "").strip()
    return {
        "SECRET_KEY": _secret_key(instance_path),
        # "production" turns off the development helpers (the /dev/mailbox page).
        "PORTAL_ENV": portal_env,
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
        # Links in e-mails sent outside a request (reminders from cron) start with this.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Booking. Slots are materialised this many days ahead: more than the 30 working days
        # of CCTP 3.3 even across Christmas.
        "BOOKING_HORIZON_DAYS": _int("BOOKING_HORIZON_DAYS", 63),
        "BOOKING_MIN_NOTICE_HOURS": _int("BOOKING_MIN_NOTICE_HOURS", 3),
        # The signed link moves or cancels an appointment until this many hours before it.
        "BOOKING_CHANGE_CUTOFF_HOURS": _int("BOOKING_CHANGE_CUTOFF_HOURS", 24),
        "REMINDER_DAYS_BEFORE": _int("REMINDER_DAYS_BEFORE", 2),
        # A waiting request (« demande en attente ») is called back within this many working
        # days, and always before its legal deadline.
        "WAITING_CALL_BACK_WORKING_DAYS": _int("WAITING_CALL_BACK_WORKING_DAYS", 5),
        # E-mail: a local mailbox (a Maildir under instance/) unless SMTP_HOST is set.
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if smtp_host else "mailbox"),
        "MAIL_MAILBOX_PATH": os.environ.get("MAIL_MAILBOX_PATH", str(instance_path / "mailbox")),
        "MAIL_FROM": os.environ.get(
            "MAIL_FROM", "Conseil en évolution professionnelle <ne-pas-repondre@cep-portal.example>"
        ),
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": _int("SMTP_PORT", 587),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "SMTP_SSL": _flag("SMTP_SSL"),
        "SMTP_TIMEOUT": _int("SMTP_TIMEOUT", 20),
        # Staff sign-in: failures allowed per e-mail and per address within the window.
        "LOGIN_MAX_FAILURES_PER_EMAIL": _int("LOGIN_MAX_FAILURES_PER_EMAIL", 5),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        "LOGIN_FAILURE_WINDOW_MINUTES": _int("LOGIN_FAILURE_WINDOW_MINUTES", 15),
        # Signing: the scan of a signed paper livrable (PDF, JPEG or PNG) is at most this
        # big; a request is refused beyond it plus room for the form (413).
        "SCAN_MAX_BYTES": _int("SCAN_MAX_BYTES", 10 * 1024 * 1024),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 11 * 1024 * 1024),
        # Beneficiary space: a sign-in link works once, for this many minutes; at most this
        # many links per address and hour; a signed-in space closes after this many hours.
        "BENEFICIARY_LINK_MINUTES": _int("BENEFICIARY_LINK_MINUTES", 30),
        "BENEFICIARY_LINKS_PER_HOUR": _int("BENEFICIARY_LINKS_PER_HOUR", 5),
        "BENEFICIARY_SESSION_HOURS": _int("BENEFICIARY_SESSION_HOURS", 12),
        # --- e-signature (issue 11) ---
        # The operator's seal, a PKCS#12 file (key and certificate chain) and its password.
        # Empty: outside production, a throwaway demo CA and seal made in ESIGN_DEMO_DIR.
        "ESIGN_PKCS12_PATH": os.environ.get("ESIGN_PKCS12_PATH", "").strip(),
        "ESIGN_PKCS12_PASSWORD": os.environ.get("ESIGN_PKCS12_PASSWORD", ""),
        "ESIGN_DEMO_DIR": os.environ.get("ESIGN_DEMO_DIR", str(instance_path / "esign")),
        # An RFC 3161 timestamp server; empty: the evidence records the server's time, and
        # says so on the certificate.
        "ESIGN_TSA_URL": os.environ.get("ESIGN_TSA_URL", "").strip(),
        # /verifier and POST /api/v1/verify read a copy up to this size (a sealed livrable
        # weighs well under 1 MB; the request itself stays under MAX_CONTENT_LENGTH).
        "ESIGN_VERIFY_MAX_BYTES": _int("ESIGN_VERIFY_MAX_BYTES", 10 * 1024 * 1024),
    }

"""Configuration read from the environment, with embedded defaults for development.

Nothing here is secret by default: production sets SECRET_KEY, DATABASE_URL, the SMTP and
the SMS provider's settings in the environment (see README, "Configuration").
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    public_base_url, from_request = _public_url(portal_env)
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
        # Secure cookies everywhere but on a developer's plain-http loopback (issue 10).
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", portal_env != "development"),
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
        # Every link that leaves the site (e-mails, .ics, PDFs) starts with this: PUBLIC_URL
        # (PUBLIC_BASE_URL, its older name, is still read). `portal.urls.public_base_url`.
        "PUBLIC_BASE_URL": public_base_url,
        # Development only, neither set: the links follow the request's own address (the
        # loopback port `make run` serves on; TRUSTED_HOSTS has checked the Host). Never in
        # production: a link built from the Host header is a phishing tool (issue 10).
        "PUBLIC_URL_FROM_REQUEST": from_request,
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
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": _int("SMTP_PORT", 587),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "SMTP_SSL": _flag("SMTP_SSL"),
        "SMTP_TIMEOUT": _int("SMTP_TIMEOUT", 20),
        # SMS (issue 11: the signing code), the outbox's second channel. Outside production a
        # local folder shown on /dev/mailbox; production posts to an HTTP provider, and the
        # portal refuses to start without its URL and token (`mail.sms_backends`).
        "SMS_BACKEND": os.environ.get(
            "SMS_BACKEND", "http" if portal_env == "production" else "smsbox"
        ).strip(),
        "SMS_BOX_PATH": os.environ.get("SMS_BOX_PATH", str(instance_path / "smsbox")),
        "SMS_HTTP_URL": os.environ.get("SMS_HTTP_URL", "").strip(),
        "SMS_HTTP_TOKEN": os.environ.get("SMS_HTTP_TOKEN", "").strip(),
        "SMS_HTTP_TIMEOUT": _int("SMS_HTTP_TIMEOUT", 10),
        # The name shown as the SMS's sender (an alphanumeric sender ID: 11 characters at
        # most, as operators allow).
        "SMS_SENDER": os.environ.get("SMS_SENDER", "CEP").strip(),
        # Signing: the scan of a signed paper livrable (PDF, JPEG or PNG) is at most this
        # big; a request is refused beyond it plus room for the form (413).
        "SCAN_MAX_BYTES": _int("SCAN_MAX_BYTES", 10 * 1024 * 1024),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 11 * 1024 * 1024),
        # Beneficiary space: a sign-in link works once, for this many minutes; at most this
        # many links per address and hour; a signed-in space closes after this many hours.
        "BENEFICIARY_LINK_MINUTES": _int("BENEFICIARY_LINK_MINUTES", 30),
        "BENEFICIARY_LINKS_PER_HOUR": _int("BENEFICIARY_LINKS_PER_HOUR", 5),
        "BENEFICIARY_SESSION_HOURS": _int("BENEFICIARY_SESSION_HOURS", 12),
        # --- mail (issue 10) ---
        # A failed delivery is retried after 1 minute, then 2, 4 … doubling up to an hour:
        # quick for a hiccup, and a relay back up is tried again within the hour.
        "MAIL_RETRY_FIRST_MINUTES": _int("MAIL_RETRY_FIRST_MINUTES", 1),
        "MAIL_RETRY_LONGEST_MINUTES": _int("MAIL_RETRY_LONGEST_MINUTES", 60),
        # A message is « failed » only this long after its first attempt (not after a count):
        # a relay down for a night or a long weekend loses nothing.
        "MAIL_GIVE_UP_HOURS": _int("MAIL_GIVE_UP_HOURS", 72),
        # Bodies of sent messages are emptied after this many days (`purge_sent_bodies`),
        # their metadata kept: they hold personal data and once held links.
        "MAIL_BODY_RETENTION_DAYS": _int("MAIL_BODY_RETENTION_DAYS", 30),
        # --- privacy (issue 10) ---
        # The controller (RGPD art. 13.1.a-b), named on /donnees-personnelles: the operator
        # group running this portal and its data protection officer.
        "PRIVACY_CONTROLLER_NAME": os.environ.get(
            "PRIVACY_CONTROLLER_NAME", "Opérateur CEP de démonstration"
        ),
        "PRIVACY_CONTROLLER_ADDRESS": os.environ.get(
            "PRIVACY_CONTROLLER_ADDRESS", "1 place de la République, 75003 Paris"
        ),
        "PRIVACY_DPO_CONTACT": os.environ.get("PRIVACY_DPO_CONTACT", "dpo@cep-portal.example"),
        # Someone who only booked (no dossier): pseudonymised 3 years after their last
        # contact (CNIL, « référentiel relatif à la gestion commerciale »: 3 ans à compter du
        # dernier contact).
        "RETENTION_CONTACT_YEARS": _int("RETENTION_CONTACT_YEARS", 3),
        # Someone accompanied (a dossier): pseudonymised 5 years after their last activity,
        # the limitation period for the units paid by France compétences (Code civil
        # art. 2224), which its controls may ask to justify.
        "RETENTION_ACCOMPANIMENT_YEARS": _int("RETENTION_ACCOMPANIMENT_YEARS", 5),
        # A beneficiary's sign-in link is deleted this long after it expired: the hourly
        # limit looks back one hour, the rest is only a trace for support.
        "RETENTION_SIGN_IN_LINK_DAYS": _int("RETENTION_SIGN_IN_LINK_DAYS", 7),
        # Staff sign-in attempts, ended sessions (staff and space) and used staff links are
        # deleted after this many days: the throttle looks back a day, the rest is a trace for
        # investigating an incident (CNIL recommends keeping such traces for a short time).
        "RETENTION_SIGN_IN_TRACE_DAYS": _int("RETENTION_SIGN_IN_TRACE_DAYS", 30),
        # Rows changed per statement by `flask cep purge`, so that no lock is held long.
        "PURGE_BATCH_SIZE": _int("PURGE_BATCH_SIZE", 500),
        # --- web edge (issue 10) ---
        # Host headers the portal answers; any other gets a 400, so that nothing is ever built
        # from an attacker's Host. Default: PUBLIC_BASE_URL's host, plus loopback in development.
        "TRUSTED_HOSTS": _trusted_hosts(portal_env, public_base_url),
        # HSTS is sent only when the portal is served over https (PUBLIC_BASE_URL's scheme).
        "PREFERRED_URL_SCHEME": os.environ.get(
            "PREFERRED_URL_SCHEME", urlsplit(public_base_url).scheme or "http"
        ).strip(),
        # --- sessions and sign-in (issue 10) ---
        # A staff session ends after this many minutes without a request, and this many
        # hours after sign-in whatever happens (a working day, then sign in again).
        "STAFF_SESSION_IDLE_MINUTES": _int("STAFF_SESSION_IDLE_MINUTES", 30),
        "STAFF_SESSION_MAX_HOURS": _int("STAFF_SESSION_MAX_HOURS", 10),
        # Sign-in throttle per (e-mail, address): this many failures are free, then each try
        # waits 2^n seconds after the last failure, at most LOGIN_MAX_DELAY_MINUTES. An
        # address with LOGIN_ADDRESS_FREE_FAILURES failures across e-mails (an office, a
        # proxy) is slowed the same way, never closed. Failures older than the window are
        # forgotten (and may be purged).
        "LOGIN_FREE_FAILURES": _int("LOGIN_FREE_FAILURES", 3),
        "LOGIN_ADDRESS_FREE_FAILURES": _int("LOGIN_ADDRESS_FREE_FAILURES", 20),
        "LOGIN_MAX_DELAY_MINUTES": _int("LOGIN_MAX_DELAY_MINUTES", 15),
        "LOGIN_THROTTLE_WINDOW_HOURS": _int("LOGIN_THROTTLE_WINDOW_HOURS", 24),
        # The links e-mailed to staff (new password, sign-in despite the throttle) work once,
        # for this many minutes; at most this many per member and hour (mail bombing).
        "STAFF_LINK_MINUTES": _int("STAFF_LINK_MINUTES", 30),
        "STAFF_LINKS_PER_HOUR": _int("STAFF_LINKS_PER_HOUR", 5),
        # --- input and SQLite under concurrency (issue 10) ---
        # SQLite (development): write-ahead logging lets pages read while a booking writes,
        # and a writer waits this long for the previous one instead of failing at once with
        # « database is locked » (20 people booking one slot together are served in turn).
        "SQLITE_JOURNAL_MODE": os.environ.get("SQLITE_JOURNAL_MODE", "WAL"),
        "SQLITE_BUSY_TIMEOUT_MS": _int("SQLITE_BUSY_TIMEOUT_MS", 15_000),
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


# Werkzeug cannot match a bracketed IPv6 host in this list; the dev server binds 127.0.0.1.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def _public_url(portal_env: str) -> tuple[str, bool]:
    """PUBLIC_URL (or PUBLIC_BASE_URL), else the loopback address on $PORT; and whether the
    request may stand in for it (development without either setting)."""
    for name in ("PUBLIC_URL", "PUBLIC_BASE_URL"):
        value = os.environ.get(name, "").strip().rstrip("/")
        if value:
            return value, False
    port = os.environ.get("PORT", "").strip() or "5000"
    return f"http://127.0.0.1:{port}", portal_env == "development"


def _trusted_hosts(portal_env: str, public_base_url: str) -> list[str]:
    """TRUSTED_HOSTS (comma-separated; a leading dot allows subdomains) or the public host."""
    listed = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    hosts = listed or [urlsplit(public_base_url).hostname or "localhost"]
    if portal_env == "development":
        hosts += [h for h in LOOPBACK_HOSTS if h not in hosts]
    return hosts

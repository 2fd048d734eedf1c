"""Language choice (French first, English complete) and locale-aware template helpers."""

from __future__ import annotations

from datetime import date, time
from urllib.parse import urlsplit

import phonenumbers
from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_babel import format_date, format_decimal, get_locale
from werkzeug.wrappers import Response

bp = Blueprint("i18n", __name__)


def select_locale() -> str | None:
    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        return str(wanted)
    if session.get("lang") in languages:
        return str(session["lang"])
    # French first: pages are in French until the person picks English; API clients
    # (partner sites) may ask for their language with Accept-Language.
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or "fr"
    return "fr"


def select_timezone() -> str:
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute URL handed in by a link."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    # Browsers read "/\\evil.example" as "//evil.example"; control characters are never ours.
    if "\\" in target or not target.isprintable():
        return "/"
    return target


@bp.before_app_request
def remember_requested_language() -> None:
    """A link with ?lang=en (from a partner site, say) keeps the language for the visit."""
    wanted = request.args.get("lang")
    if wanted in current_app.config["LANGUAGES"] and not request.path.startswith("/api/"):
        session["lang"] = wanted


@bp.get("/langue/<code>")
def switch(code: str) -> Response:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")), code=303)


def format_time_short(value: time) -> str:
    """24-hour time as each language writes it: « 8 h 00 » in French, "8:00" in English."""
    if str(get_locale()) == "fr":
        return f"{value.hour} h {value.minute:02d}"
    return f"{value.hour}:{value.minute:02d}"


def format_km(value: float) -> str:
    return str(format_decimal(value, format="#,##0.0"))


def weekday_name(index: int) -> str:
    """A weekday heading a line: « Lundi », "Monday"."""
    return weekday_in_text(index).capitalize()


def weekday_in_text(index: int) -> str:
    """A weekday inside a sentence: « mardi » in French, "Tuesday" in English."""
    # 2024-01-01 was a Monday: index 0 = Monday, as in Python's date.weekday().
    return str(format_date(date(2024, 1, 1 + index), "EEEE"))


def long_date(value: date) -> str:
    """« lundi 23 novembre 2026 », "Monday, November 23, 2026"."""
    return str(format_date(value, "full"))


# Numbers written the French way (« 06 12 34 56 78 »): mainland and overseas France.
FRENCH_NUMBERING = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"}


def format_phone(e164: str) -> str:
    """« 06 12 34 56 78 » for a French number, the international form otherwise."""
    try:
        number = phonenumbers.parse(e164, "FR")
    except phonenumbers.NumberParseException:
        return e164
    french = phonenumbers.region_code_for_number(number) in FRENCH_NUMBERING
    style = phonenumbers.PhoneNumberFormat
    return str(
        phonenumbers.format_number(number, style.NATIONAL if french else style.INTERNATIONAL)
    )


def upper_first(value: str) -> str:
    """« Lundi 30 novembre » and "Monday, November 30": Jinja's `capitalize` would lower the
    month's capital in English."""
    return value[:1].upper() + value[1:]


def init_templates(app: Flask) -> None:
    app.jinja_env.filters["upper_first"] = upper_first
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["phone"] = format_phone
    app.jinja_env.filters["weekday_in_text"] = weekday_in_text
    app.jinja_env.filters["hhmm"] = format_time_short
    app.jinja_env.filters["km"] = format_km
    app.jinja_env.filters["weekday"] = weekday_name

    from types import SimpleNamespace

    from portal.advisor import rules as unit_rules
    from portal.booking import rules as booking_rules
    from portal.mediation import rules as mediation_rules

    # The contract's delays, for the sentences that state them to people.
    contract = SimpleNamespace(
        FIRST_APPOINTMENT_WORKING_DAYS=booking_rules.FIRST_APPOINTMENT_WORKING_DAYS,
        COMPLAINT_ACKNOWLEDGEMENT_DAYS=mediation_rules.COMPLAINT_ACKNOWLEDGEMENT_DAYS,
        COMPLAINT_ANSWER_DAYS=mediation_rules.COMPLAINT_ANSWER_DAYS,
        UNIT_WARNING_PERCENT=round(unit_rules.WARNING_RATIO * 100),
        REENGAGEMENT_MONTHS=unit_rules.REENGAGEMENT_MONTHS,
    )

    @app.context_processor
    def inject_i18n() -> dict[str, object]:
        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "contract": contract,
        }

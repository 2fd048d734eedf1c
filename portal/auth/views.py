"""Staff sign-in and sign-out, under /pro."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth.forms import LoginForm
from portal.auth.login import init_login
from portal.auth.services import AuthError, RateLimit, TooManyAttempts, authenticate
from portal.clock import PARIS
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import format_time_short, safe_next
from portal.network.models import StaffMember

bp = Blueprint("auth", __name__, url_prefix="/pro")

# Kept across sign-in and sign-out; everything else in the session starts afresh.
_KEPT_SESSION_KEYS = ("lang",)


def _rate_limit() -> RateLimit:
    config = current_app.config
    return RateLimit(
        max_failures_per_email=config["LOGIN_MAX_FAILURES_PER_EMAIL"],
        max_failures_per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
    )


def _after_sign_in(target: str | None) -> str:
    """The page asked for, when it is a path on this site; the staff home otherwise."""
    # Browsers read "/\evil.example" as "//evil.example": no backslash, no control character.
    if target and safe_next(target) == target and "\\" not in target and target.isprintable():
        return target
    return url_for("manage.home")


def _fresh_session() -> None:
    """A new session: nothing planted before sign-in survives it (session fixation), and the
    CSRF token changes with it."""
    kept = {key: session[key] for key in _KEPT_SESSION_KEYS if key in session}
    session.clear()
    session.update(kept)


def _page(form: LoginForm, *, failed: bool = False, retry_at: datetime | None = None) -> str:
    return render_template("auth/login.html", form=form, failed=failed, retry=_retry(retry_at))


def _retry(retry_at: datetime | None) -> str | None:
    if retry_at is None:
        return None
    minutes = max(1, math.ceil((retry_at - utcnow()).total_seconds() / 60))
    return str(
        ngettext(
            "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est "
            "suspendue : réessayez dans %(num)d minute, à partir de %(time)s.",
            "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est "
            "suspendue : réessayez dans %(num)d minutes, à partir de %(time)s.",
            minutes,
            time=format_time_short(retry_at.astimezone(PARIS).time()),
        )
    )


@bp.get("/connexion")
def login() -> Response | str:
    if isinstance(current_user._get_current_object(), StaffMember):
        return redirect(_after_sign_in(request.args.get("next")), code=303)
    form = LoginForm(formdata=None, next=request.args.get("next", ""))
    return _page(form)


@bp.post("/connexion")
def sign_in() -> Response | tuple[str, int]:
    form = LoginForm()
    form.email.data = (form.email.data or "").strip()
    if not form.validate():
        form.password.data = ""
        return _page(form), 422
    try:
        staff = authenticate(
            db.session,
            email=form.email.data,
            password=form.password.data,
            address=request.remote_addr or "unknown",
            now=utcnow(),
            limit=_rate_limit(),
        )
    except TooManyAttempts as blocked:
        form.password.data = ""
        response = make_response(_page(form, retry_at=blocked.retry_at), 429)
        wait = max(1, math.ceil((blocked.retry_at - utcnow()).total_seconds()))
        response.headers["Retry-After"] = str(wait)
        return response
    except AuthError:
        db.session.commit()  # the failed attempt counts towards the limit
        form.password.data = ""
        return _page(form, failed=True), 422
    db.session.commit()
    _fresh_session()
    login_user(staff)
    return redirect(_after_sign_in(form.next.data), code=303)


@bp.post("/deconnexion")
def logout() -> Response:
    logout_user()
    _fresh_session()  # before the flash message, which lives in the session
    flash(_("Vous êtes déconnecté(e)."), "info")
    return redirect(url_for("auth.login"), code=303)


def init_app(app: Flask) -> None:
    init_login(app)
    app.register_blueprint(bp)

"""Staff sign-in and sign-out, under /pro.

The pages of the e-mailed links (a forgotten password, sign-in despite the throttle) are in
`link_views`, on the same blueprint.
"""

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
from portal.auth.login import STAFF_SESSION_KEY, init_login, staff_session_policy
from portal.auth.models import SessionKind
from portal.auth.policies import current_staff, staff_required
from portal.auth.services import AuthError, Throttle, TooManyAttempts, authenticate
from portal.auth.sessions import open_session, revoke_session, revoke_staff_sessions
from portal.clock import PARIS
from portal.csrf import refill_on_lost_token
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import format_time_short, safe_next
from portal.network.models import StaffMember

bp = Blueprint("auth", __name__, url_prefix="/pro")

# Kept across sign-in and sign-out; everything else in the session starts afresh.
_KEPT_SESSION_KEYS = ("lang",)


def throttle() -> Throttle:
    config = current_app.config
    return Throttle(
        free_failures=config["LOGIN_FREE_FAILURES"],
        address_free_failures=config["LOGIN_ADDRESS_FREE_FAILURES"],
        max_delay=timedelta(minutes=config["LOGIN_MAX_DELAY_MINUTES"]),
        window=timedelta(hours=config["LOGIN_THROTTLE_WINDOW_HOURS"]),
    )


def remote_address() -> str:
    return request.remote_addr or "unknown"


def after_sign_in(target: str | None) -> str:
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


def start_session(staff: StaffMember) -> None:
    """Sign the member in this browser: a new cookie naming a new server-side session.
    The caller commits."""
    _fresh_session()
    login_user(staff)
    session[STAFF_SESSION_KEY] = open_session(
        db.session,
        kind=SessionKind.STAFF,
        staff_member_id=staff.id,
        now=utcnow(),
        policy=staff_session_policy(),
    )


def _page(form: LoginForm, *, failed: bool = False, retry_at: datetime | None = None) -> str:
    return render_template("auth/login.html", form=form, failed=failed, retry=_retry(retry_at))


def _retry(retry_at: datetime | None) -> str | None:
    if retry_at is None:
        return None
    seconds = max(1, math.ceil((retry_at - utcnow()).total_seconds()))
    at = format_time_short(retry_at.astimezone(PARIS).time())
    if seconds < 60:
        return str(
            ngettext(
                "Plusieurs essais ont échoué pour cette adresse depuis votre connexion. Par "
                "sécurité, attendez avant de réessayer : %(num)d seconde.",
                "Plusieurs essais ont échoué pour cette adresse depuis votre connexion. Par "
                "sécurité, attendez avant de réessayer : %(num)d secondes.",
                seconds,
            )
        )
    return str(
        ngettext(
            "Plusieurs essais ont échoué pour cette adresse depuis votre connexion. Par "
            "sécurité, attendez avant de réessayer : %(num)d minute, à partir de %(time)s.",
            "Plusieurs essais ont échoué pour cette adresse depuis votre connexion. Par "
            "sécurité, attendez avant de réessayer : %(num)d minutes, à partir de %(time)s.",
            math.ceil(seconds / 60),
            time=at,
        )
    )


@bp.get("/connexion")
def login() -> Response | str:
    if isinstance(current_user._get_current_object(), StaffMember):
        return redirect(after_sign_in(request.args.get("next")), code=303)
    form = LoginForm(formdata=None, next=request.args.get("next", ""))
    return _page(form)


@bp.post("/connexion")
@refill_on_lost_token
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
            address=remote_address(),
            now=utcnow(),
            throttle=throttle(),
        )
    except TooManyAttempts as throttled:
        form.password.data = ""
        response = make_response(_page(form, retry_at=throttled.retry_at), 429)
        wait = max(1, math.ceil((throttled.retry_at - utcnow()).total_seconds()))
        response.headers["Retry-After"] = str(wait)
        return response
    except AuthError:
        db.session.commit()  # the failed attempt counts towards the throttle
        form.password.data = ""
        return _page(form, failed=True), 422
    start_session(staff)
    db.session.commit()
    return redirect(after_sign_in(form.next.data), code=303)


@bp.post("/deconnexion")
def logout() -> Response:
    key = session.get(STAFF_SESSION_KEY)
    if isinstance(key, str):
        revoke_session(db.session, key=key, now=utcnow())
        db.session.commit()
    logout_user()
    _fresh_session()  # before the flash message, which lives in the session
    flash(_("Vous êtes déconnecté(e)."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.post("/deconnexion-partout")
@staff_required()
def logout_everywhere() -> Response:
    """Every session of the member ends: this browser, and any other (a forgotten computer)."""
    revoke_staff_sessions(db.session, staff_member_id=current_staff().id, now=utcnow())
    db.session.commit()
    logout_user()
    _fresh_session()
    flash(_("Vous êtes déconnecté(e) sur tous vos appareils."), "info")
    return redirect(url_for("auth.login"), code=303)


def init_app(app: Flask) -> None:
    from portal.auth import link_views  # noqa: F401 (its routes join this blueprint)

    init_login(app)
    app.register_blueprint(bp)

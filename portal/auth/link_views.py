"""The e-mailed links of staff sign-in, on the `auth` blueprint: a forgotten password, and
signing in despite the throttle (the captcha-free proof: holding the mailbox).

Asking for a link always answers the same page, so that it never tells who has an account.
Opening a link (GET) shows a form and uses nothing up — mail scanners open links; the form's
POST carries the token in its body and uses it.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.auth import emails
from portal.auth.forms import ForgotPasswordForm, NewPasswordForm, UnlockForm
from portal.auth.links import create_staff_link, peek_staff_link, use_staff_link
from portal.auth.models import StaffLinkPurpose
from portal.auth.services import (
    MIN_PASSWORD_LENGTH,
    AuthError,
    authenticate,
    change_password,
    find_staff,
    record_attempt,
)
from portal.auth.views import bp, remote_address, start_session, throttle
from portal.db import utcnow
from portal.extensions import db
from portal.network.models import StaffMember


def _new_password_page(form: NewPasswordForm, staff: StaffMember) -> str:
    return render_template(
        "auth/new_password.html", form=form, staff=staff, min_length=MIN_PASSWORD_LENGTH
    )


def _invalid_link() -> tuple[str, int]:
    db.session.rollback()
    return render_template("auth/invalid_link.html"), 404


def _send_link(purpose: StaffLinkPurpose) -> Response | tuple[str, int]:
    form = ForgotPasswordForm()
    form.email.data = (form.email.data or "").strip()
    if not form.validate():
        return render_template("auth/forgot_password.html", form=form), 422
    config = current_app.config
    staff = find_staff(db.session, form.email.data)
    if staff is not None:
        token = create_staff_link(
            db.session,
            staff=staff,
            purpose=purpose,
            now=utcnow(),
            minutes=config["STAFF_LINK_MINUTES"],
            max_per_hour=config["STAFF_LINKS_PER_HOUR"],
        )
        if token is not None:
            emails.queue_staff_link(
                db.session,
                staff=staff,
                purpose=purpose,
                token=token,
                minutes=config["STAFF_LINK_MINUTES"],
            )
    db.session.commit()
    return redirect(url_for("auth.link_sent"), code=303)


@bp.get("/mot-de-passe-oublie")
def forgot_password() -> str:
    form = ForgotPasswordForm(formdata=None, email=request.args.get("email", "")[:254])
    return render_template("auth/forgot_password.html", form=form)


@bp.post("/mot-de-passe-oublie")
def request_reset() -> Response | tuple[str, int]:
    return _send_link(StaffLinkPurpose.RESET)


@bp.post("/connexion/lien")
def request_unlock() -> Response | tuple[str, int]:
    return _send_link(StaffLinkPurpose.UNLOCK)


@bp.get("/lien-envoye")
def link_sent() -> str:
    return render_template("auth/link_sent.html", minutes=current_app.config["STAFF_LINK_MINUTES"])


# --- A new password ---------------------------------------------------------------------------


@bp.get("/mot-de-passe/<token>")
def new_password(token: str) -> str | tuple[str, int]:
    staff = peek_staff_link(db.session, token=token, purpose=StaffLinkPurpose.RESET, now=utcnow())
    if staff is None:
        return _invalid_link()
    form = NewPasswordForm(formdata=None, token=token)
    return _new_password_page(form, staff)


@bp.post("/mot-de-passe")
def save_new_password() -> Response | tuple[str, int]:
    form = NewPasswordForm()
    token = form.token.data or ""
    now = utcnow()
    staff = peek_staff_link(db.session, token=token, purpose=StaffLinkPurpose.RESET, now=now)
    if staff is None:
        return _invalid_link()
    if not form.validate():
        form.password.data = form.confirm.data = ""  # a password is never sent back
        return _new_password_page(form, staff), 422
    staff = use_staff_link(db.session, token=token, purpose=StaffLinkPurpose.RESET, now=now)
    if staff is None:  # used by another tab in the meantime
        return _invalid_link()
    try:
        change_password(db.session, staff, password=form.password.data or "", now=now)
    except AuthError:  # pragma: no cover - the form checks the length first
        db.session.rollback()
        return _new_password_page(form, staff), 422
    # The mailbox is proven and the password new: this browser's throttle starts afresh.
    record_attempt(db.session, email=staff.email, address=remote_address(), succeeded=True, now=now)
    start_session(staff)
    db.session.commit()
    flash(
        _("Votre nouveau mot de passe est enregistré. Vos autres sessions sont fermées."), "success"
    )
    return redirect(url_for("manage.home"), code=303)


# --- Sign in despite the throttle ---------------------------------------------------------------


@bp.get("/connexion/lien/<token>")
def unlock(token: str) -> str | tuple[str, int]:
    staff = peek_staff_link(db.session, token=token, purpose=StaffLinkPurpose.UNLOCK, now=utcnow())
    if staff is None:
        return _invalid_link()
    form = UnlockForm(formdata=None, token=token)
    return render_template("auth/unlock.html", form=form, staff=staff)


@bp.post("/connexion/deblocage")
def unlock_sign_in() -> Response | tuple[str, int]:
    form = UnlockForm()
    token = form.token.data or ""
    now = utcnow()
    staff = peek_staff_link(db.session, token=token, purpose=StaffLinkPurpose.UNLOCK, now=now)
    if staff is None:
        return _invalid_link()
    if not form.validate():
        form.password.data = ""
        return render_template("auth/unlock.html", form=form, staff=staff), 422
    try:
        authenticate(
            db.session,
            email=staff.email,
            password=form.password.data or "",
            address=remote_address(),
            now=now,
            throttle=throttle(),
            proven=True,
        )
    except AuthError:
        db.session.commit()  # the failure is recorded; the link stays usable until it expires
        form.password.data = ""
        return render_template("auth/unlock.html", form=form, staff=staff, failed=True), 422
    if use_staff_link(db.session, token=token, purpose=StaffLinkPurpose.UNLOCK, now=now) is None:
        return _invalid_link()
    start_session(staff)
    db.session.commit()
    return redirect(url_for("manage.home"), code=303)

"""The development mailbox: read the e-mails the portal sent into its local Maildir, and the
SMS it wrote into its SMS box (« SMS envoyés », when SMS_BACKEND=smsbox).

Only with the "mailbox" backend, with PORTAL_ENV=development, and from this very machine
(loopback); every other case answers 404, as if the pages did not exist. A person (or a
Playwright test) reads a message and clicks its links.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from email.message import EmailMessage
from io import BytesIO

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup, escape
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from portal.db import utcnow
from portal.extensions import db
from portal.mail.backends import read_mailbox, read_message
from portal.mail.models import OutboxMessage, OutboxStatus
from portal.mail.sender import send_from_config
from portal.mail.sms_backends import read_smsbox

bp = Blueprint("mail", __name__, url_prefix="/dev")

# A URL in a plain-text body ends at a space, a quote or an angle bracket; punctuation that
# closes the sentence is not part of it.
_URL = re.compile(r"https?://[^\s<>\"]+")
_TRAILING = ".,;:!?)]}»'"


def linkify(text: str) -> Markup:
    """Escaped text in which each http(s) URL is a real link."""
    parts: list[Markup] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@bp.before_request
def only_in_development() -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] != "mailbox" or config["PORTAL_ENV"] != "development":
        abort(404)
    if not from_this_machine():
        abort(404)


# A reverse proxy on the same machine connects from loopback for every visitor: a request
# that went through one is not this machine's own browser.
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def from_this_machine() -> bool:
    """The TCP peer is loopback (127.0.0.0/8 or ::1), before any ProxyFix rewrote it from
    X-Forwarded-For, and no proxy forwarded the request."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR")
    peers = {request.remote_addr, original or request.remote_addr}
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    return all(_loopback(peer) for peer in peers)


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _path() -> str:
    return str(current_app.config["MAIL_MAILBOX_PATH"])


def _message_or_404(key: str) -> EmailMessage:
    message = read_message(_path(), key)
    if message is None:
        abort(404)
    return message


def sent_at(message: EmailMessage) -> datetime | None:
    header = message["Date"]
    return getattr(header, "datetime", None) if header is not None else None


@bp.get("/mailbox")
def mailbox() -> str:
    pending = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.PENDING)
    )
    config = current_app.config
    return render_template(
        "mail/mailbox.html",
        messages=read_mailbox(_path()),
        # None: SMS go to the HTTP provider and are kept nowhere here.
        sms=read_smsbox(config["SMS_BOX_PATH"]) if config["SMS_BACKEND"] == "smsbox" else None,
        pending=pending or 0,
        sent_at=sent_at,
        linkify=linkify,
    )


@bp.post("/mailbox/send")
def send() -> Response:
    """Run the sender now, as `flask cep send-mail` would from cron."""
    send_from_config(db.session, current_app.config, now=utcnow())
    return redirect(url_for("mail.mailbox"), code=303)


@bp.get("/mailbox/<key>")
def message(key: str) -> str:
    email = _message_or_404(key)
    body = email.get_body(preferencelist=("plain",))
    text = body.get_content() if isinstance(body, EmailMessage) else ""
    return render_template(
        "mail/message.html",
        key=key,
        email=email,
        sent_at=sent_at(email),
        text=linkify(text),
        has_html=email.get_body(preferencelist=("html",)) is not None,
        attachments=list(email.iter_attachments()),
    )


@bp.get("/mailbox/<key>/html")
def html_version(key: str) -> Response:
    """The HTML alternative as sent, sandboxed: no script, no form, no request to elsewhere."""
    body = _message_or_404(key).get_body(preferencelist=("html",))
    if not isinstance(body, EmailMessage):
        abort(404)
    response = Response(body.get_content(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    )
    return response


@bp.get("/mailbox/<key>/<int:index>")
def attachment(key: str, index: int) -> Response:
    parts = list(_message_or_404(key).iter_attachments())
    if index >= len(parts):
        abort(404)
    part = parts[index]
    content = part.get_payload(decode=True)
    if not isinstance(content, bytes):
        abort(404)
    return send_file(
        BytesIO(content),
        # The whole header, parameters included ("text/calendar; method=REQUEST").
        mimetype=str(part["Content-Type"] or "application/octet-stream"),
        as_attachment=True,
        download_name=part.get_filename() or f"piece-jointe-{index + 1}",
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""The files given with a complaint on the person's form: read (and closed) at once, each
checked on its content by `mediation.attachments`, refused with a message naming the file."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from portal.mediation import attachments
from portal.mediation import person_texts as texts
from portal.mediation.errors import ComplaintError
from portal.mediation.person_forms import ComplaintForm


def uploads_of(form: ComplaintForm) -> list[tuple[str, bytes]] | None:
    """The files given, each checked on its content; None (and the field's message) when one
    is refused. Every upload is read and closed here (a large one is a temporary file)."""
    files: list[FileStorage] = [f for f in request.files.getlist("attachments") if f.filename]
    limit = max_bytes()
    read = []
    for upload in request.files.getlist("attachments"):
        if upload in files:
            read.append(((upload.filename or "")[:160], bytes(upload.read(limit + 1))))
        upload.close()
    if len(read) > attachments.ATTACHMENTS_PER_COMPLAINT:
        num = attachments.ATTACHMENTS_PER_COMPLAINT
        form.attachments.errors = [str(texts.TOO_MANY_ATTACHMENTS % {"num": num})]
        return None
    errors = []
    for name, data in read:
        try:
            attachments.attachment_type(data, limit)
        except ComplaintError as error:
            message = texts.ATTACHMENT_ERRORS.get(error.code, texts.ACTION_ERROR)
            errors.append(str(message % {"name": name, "max": size_text(limit)}))
    if errors:
        form.attachments.errors = errors
        return None
    return read


def max_bytes() -> int:
    limit = current_app.config.get("COMPLAINT_ATTACHMENT_MAX_BYTES")
    return int(limit) if limit else attachments.ATTACHMENT_MAX_BYTES


def size_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return str(_("%(num)s Mo", num=limit // (1024 * 1024)))
    return str(_("%(num)s Ko", num=limit // 1024))

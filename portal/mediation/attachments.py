"""Files given with a complaint: a PDF or an image (a letter's scan, a screenshot), told by its
first bytes and opened whole before it is kept (`portal.livrables.signing_scan`, the same
check as a signed livrable's scan), never trusted by its name or declared type."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import PurePath

from sqlalchemy.orm import Session

from portal.livrables.signing_scan import UnreadableScan, check_readable, sniff
from portal.mediation.errors import ComplaintError, ComplaintErrorCode
from portal.mediation.models import Complaint, ComplaintAttachment
from portal.network.models import StaffMember

Code = ComplaintErrorCode

# Defaults; the application may pass its own limit.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# A complaint is a letter, not a file store.
ATTACHMENTS_PER_COMPLAINT = 5


def add_attachment(
    session: Session,
    complaint: Complaint,
    *,
    filename: str,
    data: bytes,
    now: datetime,
    by: StaffMember | None = None,
    max_bytes: int = ATTACHMENT_MAX_BYTES,
) -> ComplaintAttachment:
    """Keep `data` with the complaint, from the person (`by` None) or the operator's staff."""
    if by is not None and by.operator_id != complaint.operator_id:
        raise ComplaintError(Code.WRONG_OPERATOR)
    if len(complaint.attachments) >= ATTACHMENTS_PER_COMPLAINT:
        raise ComplaintError(Code.TOO_MANY_ATTACHMENTS, fields=("attachments",))
    content_type, extension = attachment_type(data, max_bytes)
    attachment = ComplaintAttachment(
        complaint_id=complaint.id,
        filename=clean_filename(filename, extension),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        added_at=now,
        added_by_id=None if by is None else by.id,
    )
    complaint.attachments.append(attachment)
    session.flush()
    return attachment


def attachment_type(data: bytes, max_bytes: int = ATTACHMENT_MAX_BYTES) -> tuple[str, str]:
    """(content type, extension) of an acceptable file; ComplaintError otherwise."""
    if not data:
        raise ComplaintError(Code.ATTACHMENT_EMPTY, fields=("attachments",))
    if len(data) > max_bytes:
        raise ComplaintError(Code.ATTACHMENT_TOO_LARGE, fields=("attachments",))
    found = sniff(data)
    if found is None:
        raise ComplaintError(Code.ATTACHMENT_TYPE, fields=("attachments",))
    try:
        check_readable(data, found[0])
    except UnreadableScan as error:
        raise ComplaintError(Code.ATTACHMENT_DAMAGED, fields=("attachments",)) from error
    return found


def clean_filename(filename: str, extension: str) -> str:
    """The name without its folders or odd characters, ending with the extension its content
    says (a « lettre.pdf.exe » that is a PDF is kept as « lettre.pdf.exe.pdf »)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = re.sub(r"[^\w .()-]", "_", name).strip(" .")[:140] or "piece-jointe"
    endings = (".jpg", ".jpeg") if extension == "jpg" else (f".{extension}",)
    if not name.lower().endswith(endings):
        name = f"{name}.{extension}"
    return name


__all__ = [
    "ATTACHMENTS_PER_COMPLAINT",
    "ATTACHMENT_MAX_BYTES",
    "add_attachment",
    "attachment_type",
    "clean_filename",
]

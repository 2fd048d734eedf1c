"""`/verifier`: anyone checks a copy of a signed livrable, without an account or JavaScript.

The page answers « intact », « modifié », « inconnu » or « pas un PDF » with what the copy
is (kind, version, signing dates, the signers' initials, the evidence chain's status) and
nothing more. `POST /api/v1/verify` gives the same answer in JSON (`portal.api.verify`).
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import format_decimal
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from portal.esign import proof_views, texts
from portal.esign.verify import Reason, Result, Verdict, verify_copy
from portal.extensions import db

bp = Blueprint("esign", __name__)
PAGE = "esign/verify.html"


class UploadError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def read_upload() -> bytes:
    """The uploaded `file`, at most ESIGN_VERIFY_MAX_BYTES; UploadError otherwise."""
    limit = int(current_app.config["ESIGN_VERIFY_MAX_BYTES"])
    size = format_decimal(limit / (1024 * 1024), format="#,##0.#")
    too_large = str(texts.TOO_LARGE % {"size": size})
    try:
        upload: FileStorage | None = request.files.get("file")
    except RequestEntityTooLarge:
        raise UploadError(too_large, 413) from None
    if upload is None or not upload.filename:
        raise UploadError(str(texts.NO_FILE), 400)
    try:
        data = bytes(upload.read(limit + 1))
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    if len(data) > limit:
        raise UploadError(too_large, 413)
    return data


@bp.get("/verifier")
def verify_form() -> str:
    return render_template(PAGE, verdict=None, error=None)


@bp.post("/verifier")
def verify_page() -> tuple[str, int]:
    try:
        data = read_upload()
    except UploadError as error:
        status = 413 if error.status == 413 else 422
        return render_template(PAGE, verdict=None, error=error.message), status
    verdict = verify_copy(db.session, data)
    db.session.rollback()  # read only
    status = 422 if verdict.result == Result.INVALID else 200
    return render_template(PAGE, verdict=verdict, texts=texts, Result=Result), status


def message(verdict: Verdict) -> str:
    return str(texts.MESSAGES[Reason(verdict.reason)])


def init_app(app: Flask) -> None:
    from portal.esign import sign_views, staff_views  # noqa: F401 (their routes join `bp`)

    app.register_blueprint(bp)
    staff_views.init_app(app)
    proof_views.init_app(app)
    app.jinja_env.globals["verdict_message"] = message


__all__ = ["bp", "init_app", "read_upload"]

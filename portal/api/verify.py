"""POST /api/v1/verify — is this PDF a livrable sealed by this portal, and is it intact?

Multipart field `file`. Answers `{"result": "intact" | "altered" | "unknown" | "invalid",
"reason", "message", …}`: 200 for the first three, 400 for `invalid` (not a PDF, no file),
413 beyond ESIGN_VERIFY_MAX_BYTES. An intact copy adds what it is (`document`) and the
status of its evidence chain (`evidence`), with the signers' initials only.
"""

from __future__ import annotations

from flask import jsonify
from werkzeug.wrappers import Response

from portal.api import bp
from portal.esign import texts
from portal.esign.verify import Result, verify_copy
from portal.esign.views import UploadError, message, read_upload
from portal.extensions import db


@bp.post("/verify")
def api_verify() -> tuple[Response, int]:
    try:
        data = read_upload()
    except UploadError as error:
        reason = "too_large" if error.status == 413 else "no_file"
        refused = {"result": "invalid", "reason": reason, "message": error.message}
        return jsonify(refused), error.status
    verdict = verify_copy(db.session, data)
    db.session.rollback()  # read only
    body: dict[str, object] = {
        "result": str(verdict.result),
        "reason": str(verdict.reason),
        "sealed_by_this_portal": verdict.result in (Result.INTACT, Result.ALTERED),
        "message": message(verdict),
    }
    facts = verdict.facts
    if facts is not None:
        body["document"] = {
            "kind": str(facts.kind),
            "title": str(texts.KINDS[facts.kind]),
            "version": facts.version,
            "operator": facts.operator_name,
            "signed_on": {str(p): d.isoformat() for p, d in sorted(facts.signed_on.items())},
            "signers": {str(p): i for p, i in sorted(facts.initials.items())},
            "sealed_at": facts.sealed_at.isoformat(),
            "timestamp": facts.timestamp,
        }
        body["evidence"] = {"chain": "intact" if facts.chain_intact else "broken"}
    return jsonify(body), 400 if verdict.result == Result.INVALID else 200

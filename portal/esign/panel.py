"""The online part of the livrable's « Signature » panel: the method, the advisor's
signature, the beneficiary's request. Built for the editor's page, and again with what was
typed and the errors when a form is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from portal.esign.codes import request_token
from portal.esign.forms import AdvisorSignForm, MethodForm, RequestForm
from portal.esign.models import SignatureRequest
from portal.extensions import db
from portal.livrables.models import LivrableVersion
from portal.livrables.views.signing_forms import reason_choices


@dataclass(slots=True)
class OnlinePanel:
    method_form: MethodForm
    advisor_form: AdvisorSignForm
    request_form: RequestForm
    latest: SignatureRequest | None  # the last request made for this version, if any

    @property
    def pending(self) -> SignatureRequest | None:
        return self.latest if self.latest is not None and self.latest.is_pending else None


def online_panel(version: LivrableVersion | None, **given: Any) -> OnlinePanel:
    method = given.pop("method_form", None) or MethodForm(
        formdata=None, prefix="online", method=version.method.value if version else None
    )
    advisor = given.pop("advisor_sign_form", None) or AdvisorSignForm(
        formdata=None, prefix="advisor_online"
    )
    request = given.pop("request_form", None) or RequestForm(formdata=None, prefix="request")
    reason_choices(request)
    latest = None
    if version is not None and version.id is not None:
        latest = db.session.scalars(
            select(SignatureRequest)
            .where(SignatureRequest.version_id == version.id)
            .order_by(SignatureRequest.id.desc())
            .limit(1)
        ).first()
    return OnlinePanel(method, advisor, request, latest)


def token_of(request: SignatureRequest, secret_key: str) -> str:
    return request_token(secret_key, request.id, request.nonce)


__all__ = ["OnlinePanel", "online_panel", "token_of"]

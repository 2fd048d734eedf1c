"""The forms of the « Signature » panel (each party's signature, the signed scan) and the
panel's state, which the editor's page shows and a refused form shows again with what was
typed and the errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length

from portal.advisor import reference_data as ref
from portal.advisor.models import Unit
from portal.advisor.reference import items
from portal.extensions import db
from portal.forms import PortalForm
from portal.livrables import signing
from portal.livrables.models import Livrable, LivrableVersion, SignatureParty
from portal.livrables.signing import SigningErrorCode as Code
from portal.livrables.views import bp
from portal.livrables.views.signing_text import DATE_CODES, MESSAGES


class SignatureForm(PortalForm):
    class Meta:
        # Prefixed forms side by side: CSRFProtect checks every POST's `csrf_token` already.
        csrf = False

    signed_on = DateField(
        _l("Date écrite à côté de la signature"),
        validators=[InputRequired(message=_l("Indiquez la date de la signature."))],
    )
    signer_name = StringField(
        _l("Nom du signataire"),
        validators=[
            InputRequired(message=_l("Indiquez le nom de la personne qui a signé.")),
            Length(max=200),
        ],
    )


class BeneficiarySignatureForm(SignatureForm):
    motif_cloture = SelectField(
        _l("Motif de clôture"),
        choices=[],
        validators=[InputRequired(message=_l("Choisissez le motif de clôture."))],
    )


class ScanForm(PortalForm):
    class Meta:
        csrf = False  # CSRFProtect checks every POST

    scan = FileField(
        _l("Copie signée, numérisée (PDF, JPEG ou PNG)"),
        validators=[FileRequired(message=_l("Choisissez le fichier de la copie signée."))],
    )


@dataclass(slots=True)
class Panel:
    livrable: Livrable
    unit: Unit
    can_work: bool
    advisor_form: SignatureForm
    beneficiary_form: BeneficiarySignatureForm
    scan_form: ScanForm
    missing: list[tuple[str, str | None]]
    error: str | None = None

    @property
    def version(self) -> LivrableVersion | None:
        return self.livrable.current_version

    @property
    def acting(self) -> bool:
        return self.can_work and self.unit.is_open

    @property
    def can_reopen(self) -> bool:
        return signing.can_reopen(self.livrable)

    @property
    def needs_scan(self) -> bool:
        return self.version is not None and signing.needs_scan(self.version)

    @property
    def scan_max_mb(self) -> int:
        return int(current_app.config["SCAN_MAX_BYTES"]) // (1024 * 1024)


@bp.app_template_global("signing_panel")
def signing_panel(livrable: Livrable, unit: Unit, can_work: bool, **given: Any) -> Panel:
    """The panel's state and forms; the editor's page includes the partial, which calls this
    (a refused form passes its own forms, with what was typed and the errors)."""
    version = livrable.current_version
    advisor = given.pop("advisor_form", None) or SignatureForm(
        formdata=None, prefix="advisor", signer_name=_signed_name(version, "advisor", unit)
    )
    beneficiary = given.pop("beneficiary_form", None) or BeneficiarySignatureForm(
        formdata=None,
        prefix="beneficiary",
        signer_name=_signed_name(version, "beneficiary", unit),
    )
    reason_choices(beneficiary)
    scan = given.pop("scan_form", None) or ScanForm(formdata=None, prefix="scan")
    return Panel(
        livrable, unit, can_work, advisor, beneficiary, scan, given.pop("missing", []), **given
    )


def reason_choices(form: Any) -> None:
    """The voluntary closure reasons of a form's `motif_cloture` (paper or online): « abandon »
    is the system's to record."""
    locale = str(get_locale())
    form.motif_cloture.choices = [SelectChoice("", _("Choisissez…"))] + [
        SelectChoice(item.code, item.label(locale))
        for item in items(db.session, ref.MOTIF_CLOTURE)
        if item.code != ref.ABANDON
    ]


def field_error(form: SignatureForm, code: Code) -> None:
    """Show a refusal of the core next to the field it is about."""
    if code in DATE_CODES:
        form.signed_on.errors = [str(MESSAGES[code])]
    elif code == Code.SIGNER_NAME_MISSING:
        form.signer_name.errors = [str(MESSAGES[code])]
    elif code == Code.REASON_NOT_VOLUNTARY and isinstance(form, BeneficiarySignatureForm):
        form.motif_cloture.errors = [str(MESSAGES[code])]


def _signed_name(version: LivrableVersion | None, party: str, unit: Unit) -> str:
    signature = version.signature_of(SignatureParty(party)) if version else None
    if signature is not None:
        return signature.signer_name
    if party == SignatureParty.ADVISOR:
        return unit.advisor.full_name
    return unit.dossier.beneficiary.full_name


__all__ = [
    "BeneficiarySignatureForm",
    "Panel",
    "ScanForm",
    "SignatureForm",
    "field_error",
    "reason_choices",
    "signing_panel",
]

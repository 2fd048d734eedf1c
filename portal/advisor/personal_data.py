"""The advisor domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.advisor.contact_models import DossierHandover, DossierMessage
from portal.advisor.models import Dossier, Interaction, ReferenceItem, Unit
from portal.people.profile_models import DossierProfile
from portal.privacy.registry import ACCOMPANIMENT, DataKind, Erasure, Subject, declare

declare(
    Dossier,
    subject=Subject.BENEFICIARY,
    belongs_to="beneficiary_id",
    other=tuple(c.name for c in Dossier.__table__.columns),
)
declare(
    Unit,
    subject=Subject.BENEFICIARY,
    belongs_to="dossier_id",
    personal={
        "closure_trace": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
        # Free text: the Annex 2 codes beside it stay, the words go.
        "description_service": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
    },
    # The number, dates and Annex 2 codes that indicators and exported rows rely on.
    other=tuple(
        c.name
        for c in Unit.__table__.columns
        if c.name not in {"closure_trace", "description_service"}
    ),
)
declare(
    Interaction,
    subject=Subject.BENEFICIARY,
    belongs_to="unit_id",
    personal={"notes": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK)},
    other=(
        "id",
        "unit_id",
        "advisor_id",
        "appointment_id",
        "occurred_on",
        "contact_mode",
        "service_type",
        "duration_minutes",
        "created_at",
    ),
)
declare(ReferenceItem, subject=Subject.NOBODY, other=("list_name", "label_fr", "label_en"))
declare(
    DossierHandover,
    subject=Subject.BENEFICIARY,
    belongs_to="dossier_id",
    personal={"reason": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK)},
    other=tuple(c.name for c in DossierHandover.__table__.columns if c.name != "reason"),
)
declare(
    DossierMessage,
    subject=Subject.BENEFICIARY,
    belongs_to="dossier_id",
    personal={"text": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK)},
    other=tuple(c.name for c in DossierMessage.__table__.columns if c.name != "text"),
)

# The Annex 2 profile: the address, the disability (health data, RGPD art. 9) and the words
# the person used go on erasure; the coded fields stay for the indicators and exports.
_PROFILE_PERSONAL = {
    "adresse_numero": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    "adresse_type_voie": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    "adresse_nom_voie": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    "adresse_commune_insee": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    "adresse_commune": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    "adresse_code_postal": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
    "handicap": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
    "libelle_profession": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
}
declare(
    DossierProfile,
    subject=Subject.BENEFICIARY,
    belongs_to="dossier_id",
    personal=_PROFILE_PERSONAL,
    other=tuple(
        c.name for c in DossierProfile.__table__.columns if c.name not in _PROFILE_PERSONAL
    ),
)

"""The people domain's part of the RGPD registry (`portal/privacy/registry.py`): the person's
identity. Imported by `portal/models.py`, so that the registry is complete whenever the tables
are. (Their Annex 2 profile is declared with the advisor's dossier.)"""

from __future__ import annotations

from portal.people.models import Beneficiary
from portal.privacy.registry import BOOKING, DataKind, Erasure, Subject, declare

declare(
    Beneficiary,
    subject=Subject.BENEFICIARY,
    email_column="email",
    # The person's numbers: their SMS are found by them (`mail`'s outbox).
    phone_column="phone",
    personal={
        "last_name": BOOKING(DataKind.IDENTITY, Erasure.PSEUDONYMISE),
        "first_name": BOOKING(DataKind.IDENTITY, Erasure.PSEUDONYMISE),
        "email": BOOKING(DataKind.CONTACT, Erasure.PSEUDONYMISE),
        "phone": BOOKING(DataKind.CONTACT, Erasure.BLANK),
        # Kept to its year: Annex 2's age groups and statistics still hold.
        "birth_date": BOOKING(DataKind.BIRTH_DATE, Erasure.GENERALISE),
    },
    other=("id", "consent_at", "consent_version", "locale", "created_at"),
)

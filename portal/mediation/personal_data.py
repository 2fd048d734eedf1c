"""The mediation domain's part of the RGPD registry (`portal/privacy/registry.py`).

A complaint may come from someone the portal does not know otherwise (a letter, a call): its
rows reach the person by the address they gave, like the e-mails. Erasure pseudonymises the
identity and blanks the words; the dates, the motive and the statuses stay, since Annex 2 §3
and indicator 8.7 count them. The complaint's purpose is the accompaniment's (its Annex 2
reporting), kept as long."""

from __future__ import annotations

from portal.mediation.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    Referral,
    ReferralMessage,
)
from portal.privacy.registry import ACCOMPANIMENT, DataKind, Erasure, Subject, declare

_IDENTITY = {
    "last_name": ACCOMPANIMENT(DataKind.IDENTITY, Erasure.PSEUDONYMISE),
    "first_name": ACCOMPANIMENT(DataKind.IDENTITY, Erasure.PSEUDONYMISE),
    "email": ACCOMPANIMENT(DataKind.CONTACT, Erasure.PSEUDONYMISE),
}

declare(
    Complaint,
    subject=Subject.BENEFICIARY,
    email_column="email",
    personal={
        **_IDENTITY,
        "phone": ACCOMPANIMENT(DataKind.CONTACT, Erasure.BLANK),
        "postal_address": ACCOMPANIMENT(DataKind.LOCATION, Erasure.BLANK),
        "text": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
        "answer": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
    },
    other=(
        "id",
        "operator_id",
        "dossier_id",
        "beneficiary_id",
        "channel",
        "received_on",
        "recorded_at",
        "recorded_by_id",
        "motive",
        "status",
        "acknowledged_at",
        "acknowledged_by_id",
        "answered_at",
        "answered_by_id",
        "satisfied",
        "satisfied_at",
        "closed_at",
        "reopened_count",
    ),
)
declare(
    ComplaintMessage,
    subject=Subject.BENEFICIARY,
    belongs_to="complaint_id",
    personal={"text": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.DELETE)},
    other=("id", "complaint_id", "author", "author_staff_id", "at"),
)
declare(
    ComplaintAttachment,
    subject=Subject.BENEFICIARY,
    belongs_to="complaint_id",
    personal={
        "data": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.DELETE, exported=False),
        "filename": ACCOMPANIMENT(DataKind.DOCUMENT, Erasure.DELETE),
    },
    other=("id", "complaint_id", "content_type", "size", "sha256", "added_at", "added_by_id"),
)
declare(
    Referral,
    subject=Subject.BENEFICIARY,
    # Also found without a complaint (a letter to the mediator), by the address given.
    email_column="email",
    personal={
        **_IDENTITY,
        "text": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
        # The mediator's words on the person's case.
        "admissibility_reason": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.BLANK),
    },
    other=(
        "id",
        "complaint_id",
        "operator_id",
        "referred_at",
        "referred_by",
        "recorded_by_id",
        "channel",
        "admissible",
        "admissibility_decided_at",
        "admissibility_decided_by_id",
        "operator_informed_at",
        "access_requested_at",
        "access_requested_by_id",
        "access_granted_at",
        "access_granted_by_id",
        "outcome",
        "outcome_accepted",
        "closed_at",
        "closed_by_id",
    ),
)
declare(
    ReferralMessage,
    subject=Subject.BENEFICIARY,
    belongs_to="referral_id",
    # The words of the person, the mediator and the operator on the person's case.
    personal={"text": ACCOMPANIMENT(DataKind.FREE_TEXT, Erasure.DELETE)},
    other=("id", "referral_id", "thread", "author", "author_staff_id", "at"),
)

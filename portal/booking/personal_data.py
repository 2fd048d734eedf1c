"""The booking domain's part of the RGPD registry (`portal/privacy/registry.py`): which of its
columns hold personal data, what erasure does to each, and how long it is kept. Imported by
`portal/models.py`, so that the registry is complete whenever the tables are."""

from __future__ import annotations

from portal.booking.models import Absence, Appointment, AppointmentRequest
from portal.privacy.registry import BOOKING, STAFF, DataKind, Erasure, Subject, declare

declare(
    AppointmentRequest,
    subject=Subject.BENEFICIARY,
    belongs_to="beneficiary_id",
    personal={
        "comment": BOOKING(DataKind.FREE_TEXT, Erasure.BLANK),
        # The commune of residence: it sets the territory (holidays) of the 30 working days
        # and indicator 8.4; alone it does not identify the person, so erasure keeps it.
        "commune_insee": BOOKING(DataKind.LOCATION, Erasure.KEEP),
    },
    other=(
        "id",
        "beneficiary_id",
        "operator_id",
        "competent_operator_id",
        # Written by the portal (which site of which lot), not by the person.
        "exception_reason",
        "requested_on",
        "territory",
        "deadline",
        "status",
        "motif",
        "call_back_by",
        "called_back_at",
        "created_at",
    ),
    secret=("idempotency_key",),
)
declare(
    Appointment,
    subject=Subject.BENEFICIARY,
    belongs_to="beneficiary_id",
    # Staff's words on why a booking was late or with another advisor: about the person.
    personal={
        "late_reason": BOOKING(DataKind.FREE_TEXT, Erasure.BLANK),
        "other_advisor_reason": BOOKING(DataKind.FREE_TEXT, Erasure.BLANK),
    },
    other=tuple(
        c.name
        for c in Appointment.__table__.columns
        if c.name not in {"late_reason", "other_advisor_reason"}
    ),
)
declare(
    Absence,
    subject=Subject.STAFF,
    # Why an advisor is away may be health data (sickness): the advisor's, not a beneficiary's.
    personal={"reason": STAFF(DataKind.FREE_TEXT, Erasure.KEEP)},
    other=("id", "advisor_id", "starts_on", "ends_on"),
)

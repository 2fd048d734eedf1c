"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from portal.auth.models import LoginAttempt
from portal.booking.models import (
    Absence,
    Appointment,
    AppointmentRequest,
    AvailabilityWindow,
    Beneficiary,
    Slot,
)
from portal.mail.models import OutboxAttachment, OutboxMessage
from portal.network.models import (
    OpeningHours,
    Operator,
    Site,
    SiteClosure,
    StaffMember,
    advisor_site,
)
from portal.orientation.models import OrientationContact

__all__ = [
    "Absence",
    "Appointment",
    "AppointmentRequest",
    "AvailabilityWindow",
    "Beneficiary",
    "LoginAttempt",
    "OpeningHours",
    "Operator",
    "OrientationContact",
    "OutboxAttachment",
    "OutboxMessage",
    "Site",
    "SiteClosure",
    "Slot",
    "StaffMember",
    "advisor_site",
]

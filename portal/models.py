"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from portal.advisor.models import (
    Dossier,
    DossierCounter,
    Interaction,
    PurchaseOrder,
    ReferenceItem,
    Unit,
)
from portal.auth.models import LoginAttempt
from portal.beneficiary.models import ClosureRequest, SignInLink
from portal.booking.models import (
    Absence,
    Appointment,
    AppointmentRequest,
    AvailabilityWindow,
    Beneficiary,
    Slot,
)
from portal.directory.models import Provider, ProviderService
from portal.esign.models import SealedDocument, SignatureChain, SignatureEvent
from portal.livrables.models import (
    Livrable,
    LivrableRevision,
    LivrableVersion,
    Signature,
    SignedScan,
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
from portal.satisfaction.models import Survey

__all__ = [
    "Absence",
    "Appointment",
    "AppointmentRequest",
    "AvailabilityWindow",
    "Beneficiary",
    "ClosureRequest",
    "Dossier",
    "DossierCounter",
    "Interaction",
    "Livrable",
    "LivrableRevision",
    "LivrableVersion",
    "LoginAttempt",
    "OpeningHours",
    "Operator",
    "OrientationContact",
    "OutboxAttachment",
    "OutboxMessage",
    "Provider",
    "ProviderService",
    "PurchaseOrder",
    "ReferenceItem",
    "SealedDocument",
    "SignInLink",
    "Signature",
    "SignatureChain",
    "SignatureEvent",
    "SignedScan",
    "Site",
    "SiteClosure",
    "Slot",
    "StaffMember",
    "Survey",
    "Unit",
    "advisor_site",
]

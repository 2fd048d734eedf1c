"""Every model, imported once so that the metadata (and Alembic) sees all tables, and every
domain's personal-data declarations, so that the RGPD registry sees all columns."""

# Each domain's personal-data declarations (portal/privacy/registry.py).
import portal.advisor.personal_data
import portal.agenda.personal_data
import portal.api.personal_data
import portal.audit.personal_data
import portal.auth.personal_data
import portal.beneficiary.personal_data
import portal.booking.personal_data
import portal.directory.personal_data
import portal.esign.personal_data
import portal.livrables.personal_data
import portal.mail.personal_data
import portal.mediation.personal_data
import portal.network.personal_data
import portal.orientation.personal_data
import portal.people.personal_data
import portal.privacy.personal_data
import portal.satisfaction.personal_data  # noqa: F401
from portal.advisor.contact_models import DossierHandover, DossierMessage
from portal.advisor.models import (
    Dossier,
    DossierCounter,
    Interaction,
    PurchaseOrder,
    ReferenceItem,
    Unit,
)
from portal.agenda.models import CalendarFeed
from portal.audit.models import FileRead
from portal.auth.models import LoginAttempt, StaffLink, UserSession
from portal.beneficiary.models import ClosureRequest, SignInLink
from portal.booking.models import (
    Absence,
    Appointment,
    AppointmentRequest,
    AvailabilityWindow,
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
from portal.mediation.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintMessage,
    Referral,
)
from portal.network.models import (
    OpeningHours,
    Operator,
    Site,
    SiteClosure,
    StaffMember,
    advisor_site,
)
from portal.orientation.models import OrientationContact
from portal.people.models import Beneficiary
from portal.people.profile_models import DossierProfile
from portal.privacy.models import ErasureRecord
from portal.reporting.models import IndicatorSnapshot, PopulationRegion
from portal.satisfaction.models import Survey

__all__ = [
    "Absence",
    "Appointment",
    "AppointmentRequest",
    "AvailabilityWindow",
    "Beneficiary",
    "CalendarFeed",
    "ClosureRequest",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintMessage",
    "Dossier",
    "DossierCounter",
    "DossierHandover",
    "DossierMessage",
    "DossierProfile",
    "ErasureRecord",
    "FileRead",
    "IndicatorSnapshot",
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
    "PopulationRegion",
    "Provider",
    "ProviderService",
    "PurchaseOrder",
    "ReferenceItem",
    "Referral",
    "SealedDocument",
    "SignInLink",
    "Signature",
    "SignatureChain",
    "SignatureEvent",
    "SignedScan",
    "Site",
    "SiteClosure",
    "Slot",
    "StaffLink",
    "StaffMember",
    "Survey",
    "Unit",
    "UserSession",
    "advisor_site",
]

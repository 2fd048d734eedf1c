"""Read queries of the mediator's access to a dossier: the dossier a referral is about, what
its read-only page shows (the advisor's own dossier query, the appointments, the livrables
with their versions and signatures), the state of the access for the panels, and what the
person is told. Plain queries over a Session; no Flask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.advisor.models import Dossier
from portal.advisor.queries import dossier_for_page
from portal.audit.models import FileRead
from portal.audit.reads import reads_of_person, reads_of_referrals
from portal.booking.models import Appointment
from portal.livrables.models import Livrable, LivrableVersion
from portal.mediation.models import Admissible, Complaint, Referral
from portal.mediation.person import complaints_of
from portal.network.models import StaffMember
from portal.people.models import Beneficiary


def referral_dossier_id(referral: Referral) -> int | None:
    """The dossier of the referred complaint (None: a letter without complaint, or a
    complaint from someone without a dossier)."""
    return None if referral.complaint is None else referral.complaint.dossier_id


def dossier_of_referral(session: Session, referral: Referral) -> Dossier | None:
    dossier_id = referral_dossier_id(referral)
    return None if dossier_id is None else dossier_for_page(session, dossier_id)


def dossier_appointments(session: Session, dossier: Dossier) -> list[Appointment]:
    """The person's appointments with the dossier's operator, in time order."""
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.beneficiary_id == dossier.beneficiary_id,
                Appointment.operator_id == dossier.operator_id,
            )
            .options(joinedload(Appointment.site))
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def dossier_livrables(session: Session, dossier: Dossier) -> dict[int, Livrable]:
    """unit id → its livrable, with every version and its signatures."""
    unit_ids = [unit.id for unit in dossier.units]
    if not unit_ids:
        return {}
    found = session.scalars(
        select(Livrable)
        .where(Livrable.unit_id.in_(unit_ids))
        .options(selectinload(Livrable.versions).selectinload(LivrableVersion.signatures))
    )
    return {livrable.unit_id: livrable for livrable in found}


def version_of_dossier(
    session: Session, dossier_id: int, version_id: int
) -> LivrableVersion | None:
    """The version when it belongs to this dossier (else None: 404)."""
    return session.scalar(
        select(LivrableVersion)
        .join(Livrable, Livrable.id == LivrableVersion.livrable_id)
        .where(LivrableVersion.id == version_id, Livrable.unit.has(dossier_id=dossier_id))
        .options(joinedload(LivrableVersion.livrable).joinedload(Livrable.unit))
    )


@dataclass(frozen=True, slots=True)
class AccessState:
    """What the mediator's and the operator's panels show about one referral."""

    referral: Referral
    dossier_id: int | None
    can_request: bool
    granted_by: StaffMember | None
    reads: list[FileRead] = field(default_factory=list)

    @property
    def requested(self) -> bool:
        return self.referral.access_requested_at is not None

    @property
    def granted(self) -> bool:
        return self.referral.access_granted_at is not None


def access_state(session: Session, referral: Referral) -> AccessState:
    dossier_id = referral_dossier_id(referral)
    granted_by = (
        None
        if referral.access_granted_by_id is None
        else session.get(StaffMember, referral.access_granted_by_id)
    )
    return AccessState(
        referral=referral,
        dossier_id=dossier_id,
        can_request=(
            dossier_id is not None
            and referral.admissible == Admissible.YES
            and referral.closed_at is None
            and referral.access_requested_at is None
        ),
        granted_by=granted_by,
        reads=reads_of_referrals(session, [referral.id]),
    )


@dataclass(frozen=True, slots=True)
class PersonNotice:
    """What the person is told: when the mediator asked for their dossier, and each read."""

    requested_on: list[datetime]
    reads: list[FileRead]

    def __bool__(self) -> bool:
        return bool(self.requested_on or self.reads)


def _requests(session: Session, complaint_ids: Sequence[int]) -> list[datetime]:
    if not complaint_ids:
        return []
    return list(
        session.scalars(
            select(Referral.access_requested_at)
            .where(
                Referral.complaint_id.in_(list(complaint_ids)),
                Referral.access_requested_at.is_not(None),
            )
            .order_by(Referral.access_requested_at)
        )
    )


def notice_for_space(session: Session, email: str) -> PersonNotice:
    """Every request and read of the records of this address (the space belongs to it)."""
    complaint_ids = [c.id for c in complaints_of(session, email=email)]
    address = email.strip().lower()
    ids = session.scalars(select(Beneficiary.id).where(func.lower(Beneficiary.email) == address))
    return PersonNotice(_requests(session, complaint_ids), reads_of_person(session, *ids))


def notice_for_complaint(session: Session, complaint: Complaint) -> PersonNotice:
    """The requests and reads made under the referrals of this complaint."""
    referral_ids = list(
        session.scalars(select(Referral.id).where(Referral.complaint_id == complaint.id))
    )
    return PersonNotice(
        _requests(session, [complaint.id]), reads_of_referrals(session, referral_ids)
    )


__all__ = [
    "AccessState",
    "PersonNotice",
    "access_state",
    "dossier_appointments",
    "dossier_livrables",
    "dossier_of_referral",
    "notice_for_complaint",
    "notice_for_space",
    "referral_dossier_id",
    "version_of_dossier",
]

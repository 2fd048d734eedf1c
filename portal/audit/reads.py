"""Log a read of a person's file, and list the reads (for the person and for the reader).

Functions flush and never commit. No Flask here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.audit.models import FileRead, ReadWhat

PATH_MAX = 300


def record_read(
    session: Session,
    *,
    by_id: int,
    dossier_id: int,
    what: ReadWhat,
    path: str,
    now: datetime,
    referral_id: int | None = None,
    beneficiary_id: int | None = None,
) -> FileRead:
    """One page or file of dossier `dossier_id` served to staff member `by_id`."""
    read = FileRead(
        at=now,
        staff_member_id=by_id,
        referral_id=referral_id,
        dossier_id=dossier_id,
        beneficiary_id=beneficiary_id,
        what=what,
        path=path[:PATH_MAX],
    )
    session.add(read)
    session.flush()
    return read


def reads_of_person(session: Session, *beneficiary_ids: int) -> list[FileRead]:
    """The reads of the person's records (one person may have several `beneficiary` rows,
    one per booking), latest first."""
    if not beneficiary_ids:
        return []
    return list(
        session.scalars(
            select(FileRead)
            .where(FileRead.beneficiary_id.in_(beneficiary_ids))
            .order_by(FileRead.at.desc(), FileRead.id.desc())
        )
    )


def reads_of_referrals(session: Session, referral_ids: Collection[int]) -> list[FileRead]:
    """The reads made under these referrals, with who read, latest first."""
    if not referral_ids:
        return []
    return list(
        session.scalars(
            select(FileRead)
            .where(FileRead.referral_id.in_(list(referral_ids)))
            .options(joinedload(FileRead.staff_member))
            .order_by(FileRead.at.desc(), FileRead.id.desc())
        )
    )


__all__ = ["reads_of_person", "reads_of_referrals", "record_read"]

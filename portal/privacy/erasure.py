"""Erasing a person (RGPD art. 17) without breaking the numbers already reported.

What the registry marks personal is pseudonymised, generalised, blanked or deleted; every
number, date and Annex 2 code stays, so indicators 8.4, 6.8 and 8.1 and the Annex 2 rows
already sent to France compétences keep their figures. The person's records become one
pseudonymous person: one pseudonymous address per (address, birth date) the records carried,
so that indicator 6.8, which counts people by that pair, counts them exactly as before.

A manager erases the people of their own operator; the purge erases, for every operator,
people whose retention period ran out. Either way an `ErasureRecord` keeps when, by whom and
which dossier numbers, and nothing of the person. Flushes, never commits.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, String, Text, delete, exists, func, select, update
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier, Unit, UnitStatus
from portal.booking.models import Appointment, AppointmentRequest, AppointmentStatus
from portal.mediation.models import Complaint
from portal.people.models import Beneficiary
from portal.privacy.models import ErasureReason, ErasureRecord
from portal.privacy.registry import DataKind, Declaration, Erasure
from portal.privacy.rows import (
    Keys,
    children_first,
    owned,
    person_declarations,
    person_keys,
    table_of,
)

# RFC 2606: `.invalid` never resolves, so a pseudonymous address can never receive mail.
PSEUDONYM_DOMAIN = "anonyme.invalid"
PLACEHOLDER_NAME = "Anonyme"


class ErasureErrorCode(StrEnum):
    UNKNOWN_PERSON = "unknown_person"  # nobody with this address at this operator
    STILL_ACTIVE = "still_active"  # an appointment to come or a unit in progress


class ErasureError(Exception):
    def __init__(self, code: ErasureErrorCode) -> None:
        super().__init__(str(code))
        self.code = code


@dataclass(frozen=True, slots=True)
class PersonAtOperator:
    """What an operator holds about an address, shown before the manager confirms."""

    beneficiary_ids: list[int]
    requests: int
    appointments: int
    unit_numbers: list[str]
    upcoming_appointments: int
    open_units: int
    # Complaints to this operator made with the address: someone who never booked (a letter,
    # a call, the footer's form) is a person too.
    complaints: int = 0

    @property
    def still_active(self) -> bool:
        return bool(self.upcoming_appointments or self.open_units)


def is_pseudonymous(email: str) -> bool:
    return email.lower().endswith("@" + PSEUDONYM_DOMAIN)


def find_person(
    session: Session, *, operator_id: int, email: str, now: datetime
) -> PersonAtOperator | None:
    """The records made with `email` that this operator holds; None when there are none."""
    email = email.strip().lower()
    if not email or is_pseudonymous(email):
        return None
    at_operator = (
        exists().where(
            AppointmentRequest.beneficiary_id == Beneficiary.id,
            AppointmentRequest.operator_id == operator_id,
        )
        | exists().where(
            Appointment.beneficiary_id == Beneficiary.id, Appointment.operator_id == operator_id
        )
        | exists().where(
            Dossier.beneficiary_id == Beneficiary.id, Dossier.operator_id == operator_id
        )
    )
    ids = list(
        session.scalars(
            select(Beneficiary.id)
            .where(func.lower(Beneficiary.email) == email, at_operator)
            .order_by(Beneficiary.id)
        )
    )
    count = func.count()
    complaints = (
        session.scalar(
            select(count).where(
                func.lower(Complaint.email) == email, Complaint.operator_id == operator_id
            )
        )
        or 0
    )
    if not ids and not complaints:
        return None
    units = select(Unit.number, Unit.status).join(Dossier, Unit.dossier_id == Dossier.id)
    unit_rows = session.execute(
        units.where(Dossier.beneficiary_id.in_(ids)).order_by(Unit.number)
    ).all()
    return PersonAtOperator(
        beneficiary_ids=ids,
        requests=session.scalar(select(count).where(AppointmentRequest.beneficiary_id.in_(ids)))
        or 0,
        appointments=session.scalar(select(count).where(Appointment.beneficiary_id.in_(ids))) or 0,
        unit_numbers=[number for number, _ in unit_rows],
        upcoming_appointments=session.scalar(
            select(count).where(
                Appointment.beneficiary_id.in_(ids),
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.starts_at > now,
            )
        )
        or 0,
        open_units=sum(1 for _, status in unit_rows if status == UnitStatus.OPEN),
        complaints=complaints,
    )


def erase_person(
    session: Session, *, operator_id: int, email: str, now: datetime, by: int | None
) -> ErasureRecord:
    """Erase the records this operator holds about `email`, on the person's request.

    Refused while an appointment is to come or a unit is open: cancel or close them first,
    so that the erasure never changes what happened."""
    person = find_person(session, operator_id=operator_id, email=email, now=now)
    if person is None:
        raise ErasureError(ErasureErrorCode.UNKNOWN_PERSON)
    if person.still_active:
        raise ErasureError(ErasureErrorCode.STILL_ACTIVE)
    record = pseudonymise(
        session,
        beneficiary_ids=person.beneficiary_ids,
        email=email,
        now=now,
        reason=ErasureReason.REQUEST,
        operator_id=operator_id,
        by=by,
    )
    if record is None:  # erased meanwhile by someone else
        raise ErasureError(ErasureErrorCode.UNKNOWN_PERSON)
    return record


def pseudonymise(
    session: Session,
    *,
    beneficiary_ids: list[int],
    email: str,
    now: datetime,
    reason: ErasureReason,
    operator_id: int | None,
    by: int | None,
) -> ErasureRecord | None:
    """Apply the registry's erasure to these records of `email`. Guarded: only records still
    carrying the address are taken, so two runs at once erase once (None for the second)."""
    email = email.strip().lower()
    unit_numbers = sorted(
        session.scalars(
            select(Unit.number)
            .join(Dossier, Unit.dossier_id == Dossier.id)
            .where(Dossier.beneficiary_id.in_(beneficiary_ids))
        )
    )
    # Read before the claim blanks them: the numbers the person's SMS went to.
    keys = person_keys(session, beneficiary_ids, email)
    # Claim the records: the UPDATE takes only rows still carrying the address (a second run,
    # here or on another host, finds none).
    groups: dict[date, list[int]] = defaultdict(list)
    claimed = session.execute(
        update(Beneficiary)
        .where(Beneficiary.id.in_(beneficiary_ids), func.lower(Beneficiary.email) == email)
        .values(email=_pseudonymous_address())
        .returning(Beneficiary.id, Beneficiary.birth_date)
    ).all()
    for beneficiary_id, birth_date in claimed:
        groups[birth_date].append(beneficiary_id)
    if not claimed:
        # No record to claim: a person known only by their complaints (their address is the
        # claim, pseudonymised below, so that a second run finds nothing).
        if not _has_complaints(session, email):
            return None
        groups[date.min] = []
    declared = person_declarations()
    ids = [beneficiary_id for beneficiary_id, _ in claimed]
    # Children before their parents, deletions before updates: a row found through a parent
    # matched by the address (a complaint's messages) must be reached before that parent's
    # address is pseudonymised.
    for item in children_first([d for d in declared if d.deletes_rows]):
        session.execute(delete(table_of(item)).where(owned(item, ids, keys, for_erasure=True)))
    for group in groups.values():
        pseudonym = _pseudonymous_address()
        for item in children_first(declared):
            _update(session, item, group, keys, pseudonym)
    record = ErasureRecord(
        operator_id=operator_id,
        erased_at=now,
        erased_by_id=by,
        reason=reason,
        unit_numbers=unit_numbers,
        records=len(ids),
    )
    session.add(record)
    session.flush()
    return record


def _has_complaints(session: Session, email: str) -> bool:
    found = select(Complaint.id).where(func.lower(Complaint.email) == email).limit(1)
    return session.scalar(found) is not None


def _pseudonymous_address() -> str:
    # Random, not a hash of the address: a hash could be recomputed from a guessed address.
    return f"{secrets.token_hex(8)}@{PSEUDONYM_DOMAIN}"


def _update(
    session: Session, declared: Declaration, ids: list[int], keys: Keys, pseudonym: str
) -> None:
    if declared.deletes_rows:
        return
    table = table_of(declared)
    where = owned(declared, ids, keys, for_erasure=True)
    values: dict[str, Any] = {}
    for name, personal in declared.personal.items():
        column = table.columns[name]
        if personal.erasure == Erasure.PSEUDONYMISE:
            values[name] = pseudonym if personal.kind == DataKind.CONTACT else PLACEHOLDER_NAME
        elif personal.erasure == Erasure.BLANK:
            values[name] = _blank(column)
        elif personal.erasure == Erasure.GENERALISE:
            _generalise(session, table.columns["id"], column, where)
    if values:
        session.execute(update(table).where(where).values(**values))


def _blank(column: Column[Any]) -> Any:
    if column.nullable:
        return None
    if isinstance(column.type, JSON):
        return {}
    if isinstance(column.type, LargeBinary):
        return b""
    if isinstance(column.type, String | Text):
        return ""
    raise ValueError(f"{column.table.name}.{column.name}: no blank value")  # pragma: no cover


def _generalise(session: Session, key: Column[Any], column: Column[Any], where: Any) -> None:
    """A date kept to the first of January of its year."""
    for row_id, value in session.execute(select(key, column).where(where)).all():
        if isinstance(value, date) and (value.month, value.day) != (1, 1):
            session.execute(
                update(column.table)
                .where(key == row_id)
                .values({column.name: date(value.year, 1, 1)})
            )


__all__ = [
    "PLACEHOLDER_NAME",
    "PSEUDONYM_DOMAIN",
    "ErasureError",
    "ErasureErrorCode",
    "PersonAtOperator",
    "erase_person",
    "find_person",
    "is_pseudonymous",
    "pseudonymise",
]

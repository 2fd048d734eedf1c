"""The beneficiary space: sign-in links, what the space shows, and the written request to
close a UO2.2 (CCTP 1.2.6).

The space belongs to an e-mail address, not to one record: it shows what every booking made
with that address holds (case-insensitive). A sign-in link is single use, short-lived, and
only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from portal.advisor.closing import close_on_written_request
from portal.advisor.models import Dossier, Unit, UnitKind, UnitStatus
from portal.beneficiary.models import ClosureRequest, SignInLink
from portal.booking.models import Appointment, AppointmentStatus
from portal.esign.copies import copy_available
from portal.livrables.models import Livrable, LivrableStatus, LivrableVersion
from portal.mediation.models import Complaint
from portal.people.models import Beneficiary
from portal.satisfaction.models import Survey


class SpaceErrorCode(StrEnum):
    INVALID_LINK = "invalid_link"  # unknown, used, or expired


class SpaceError(Exception):
    def __init__(self, code: SpaceErrorCode) -> None:
        super().__init__(str(code))
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def knows_email(session: Session, email: str) -> bool:
    """A beneficiary's address, or the address a complaint was filed with (someone who never
    booked follows their complaint and reaches the mediator from their space too)."""
    person = select(Beneficiary.id).where(func.lower(Beneficiary.email) == email)
    complainant = select(Complaint.id).where(func.lower(Complaint.email) == email)
    return session.scalar(person.union_all(complainant).limit(1)) is not None


def _recent_links(session: Session, email: str, now: datetime) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                SignInLink.email == email, SignInLink.created_at > now - timedelta(hours=1)
            )
        )
        or 0
    )


def _add_link(session: Session, *, email: str, now: datetime, minutes: int) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        SignInLink(
            email=email,
            token_sha256=token_hash(token),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    session.flush()
    return token


def create_sign_in_link(
    session: Session, *, email: str, now: datetime, minutes: int, max_per_hour: int
) -> str | None:
    """A new link for a known address, within the hourly limit; None otherwise."""
    email = normalise_email(email)
    if not email or not knows_email(session, email):
        return None
    if _recent_links(session, email, now) >= max_per_hour:
        return None
    return _add_link(session, email=email, now=now, minutes=minutes)


def request_sign_in_link(
    session: Session,
    *,
    email: str,
    now: datetime,
    minutes: int,
    max_per_hour: int,
    send: Callable[[str], object],
) -> bool:
    """Ask for a link: the same work whatever the address, so that neither the answer nor
    its time tells who is a beneficiary.

    Every request looks the address up, counts its recent links, stores a link (kept for
    any address: the same write, and the same commit, as for a beneficiary; nobody ever
    holds the token of an unknown address's link, and `prune_sign_in_links` deletes it
    with the others), then calls `send(token)`, which renders and queues the e-mail, inside
    a savepoint. The savepoint is kept for a known address within the hourly limit, and
    rolled back otherwise: no e-mail leaves. Returns whether the e-mail was queued.
    """
    email = normalise_email(email)
    known = knows_email(session, email)
    recent = _recent_links(session, email, now)  # counted for every address, known or not
    token = _add_link(session, email=email, now=now, minutes=minutes)
    savepoint = session.begin_nested()
    send(token)
    if known and recent < max_per_hour:
        savepoint.commit()
        return True
    savepoint.rollback()
    return False


def _usable_link(token: str, now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        SignInLink.token_sha256 == token_hash(token),
        SignInLink.used_at.is_(None),
        SignInLink.expires_at > now,
    )


def sign_in_link_is_usable(session: Session, *, token: str, now: datetime) -> bool:
    """Whether the link would open a space now, without using it (the confirmation page:
    mail scanners open links, and must not spend them)."""
    return session.scalar(select(SignInLink.id).where(*_usable_link(token, now))) is not None


def use_sign_in_link(session: Session, *, token: str, now: datetime) -> str:
    """The address the link opens, once: the UPDATE only takes an unused, unexpired link, so
    two clicks at the same moment cannot both succeed."""
    email = session.execute(
        update(SignInLink)
        .where(*_usable_link(token, now))
        .values(used_at=now)
        .returning(SignInLink.email)
    ).scalar_one_or_none()
    if email is None:
        raise SpaceError(SpaceErrorCode.INVALID_LINK)
    return str(email)


def prune_sign_in_links(session: Session, *, before: datetime) -> int:
    """Delete the space's sign-in links used or expired before `before` (they hold e-mail
    addresses); how many. For the daily purge."""
    result = session.execute(
        delete(SignInLink).where(or_(SignInLink.used_at < before, SignInLink.expires_at < before))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- What the space shows ---------------------------------------------------------------------


@dataclass(slots=True)
class Space:
    beneficiaries: list[Beneficiary]
    upcoming: list[Appointment] = field(default_factory=list)
    past: list[Appointment] = field(default_factory=list)
    dossiers: list[Dossier] = field(default_factory=list)
    signed: list[tuple[Livrable, LivrableVersion]] = field(default_factory=list)
    # Printed, waiting for the signatures of an open unit: a paper copy may be asked for.
    waiting: list[tuple[Livrable, LivrableVersion]] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)  # closed units, not answered yet
    closable: list[Unit] = field(default_factory=list)  # open UO2.2, closed on request


def _beneficiary_ids(email: str) -> Select[Any]:
    return select(Beneficiary.id).where(func.lower(Beneficiary.email) == normalise_email(email))


def load_space(session: Session, *, email: str, now: datetime) -> Space:
    ids = _beneficiary_ids(email)
    space = Space(list(session.scalars(select(Beneficiary).where(Beneficiary.id.in_(ids)))))
    appointments = session.scalars(
        select(Appointment)
        .where(Appointment.beneficiary_id.in_(ids), Appointment.status != AppointmentStatus.MOVED)
        .order_by(Appointment.starts_at)
    ).all()
    for appointment in appointments:
        upcoming = appointment.status == AppointmentStatus.BOOKED and appointment.starts_at > now
        (space.upcoming if upcoming else space.past).append(appointment)
    space.past.reverse()
    space.dossiers = list(
        session.scalars(
            select(Dossier)
            .where(Dossier.beneficiary_id.in_(ids))
            .options(selectinload(Dossier.units))
            .order_by(Dossier.opened_on.desc(), Dossier.id.desc())
        )
    )
    units = [unit for dossier in space.dossiers for unit in dossier.units]
    unit_ids = [unit.id for unit in units]
    livrables = session.scalars(
        select(Livrable).where(
            Livrable.unit_id.in_(unit_ids),
            Livrable.status.in_([LivrableStatus.SIGNED, LivrableStatus.FROZEN]),
        )
    ).all()
    for livrable in livrables:
        version = livrable.current_version
        if version is None:
            continue
        if livrable.status == LivrableStatus.SIGNED:
            space.signed.append((livrable, version))
        elif livrable.unit.is_open:
            space.waiting.append((livrable, version))
    space.surveys = list(
        session.scalars(
            select(Survey)
            .where(Survey.unit_id.in_(unit_ids), Survey.answered_at.is_(None))
            .order_by(Survey.closed_on.desc())
        )
    )
    space.closable = [u for u in units if u.kind == UnitKind.UO22 and u.is_open]
    return space


def owned_signed_version(
    session: Session, *, email: str, version_id: int
) -> tuple[Livrable, LivrableVersion] | None:
    """A signed livrable's version, when it belongs to this address (else None: 404)."""
    version = session.get(LivrableVersion, version_id)
    if version is None or version.voided_at is not None:
        return None
    livrable = version.livrable
    if livrable.status != LivrableStatus.SIGNED or livrable.current_version is not version:
        return None
    owner = livrable.unit.dossier.beneficiary
    return (livrable, version) if owns(owner, email) else None


def owned_copy_version(
    session: Session, *, email: str, version_id: int
) -> tuple[Livrable, LivrableVersion] | None:
    """A version this address may ask a paper copy of: theirs, signed or waiting (else None)."""
    version = session.get(LivrableVersion, version_id)
    if version is None or not copy_available(version):
        return None
    owner = version.livrable.unit.dossier.beneficiary
    return (version.livrable, version) if owns(owner, email) else None


def owned_survey(session: Session, *, email: str, survey_id: int) -> Survey | None:
    survey = session.get(Survey, survey_id)
    if survey is None or not owns(survey.unit.dossier.beneficiary, email):
        return None
    return survey


def owned_open_uo22(session: Session, *, email: str, unit_id: int) -> Unit | None:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.UO22 or unit.status != UnitStatus.OPEN:
        return None
    return unit if owns(unit.dossier.beneficiary, email) else None


def owns(beneficiary: Beneficiary, email: str) -> bool:
    return normalise_email(beneficiary.email) == normalise_email(email)


def request_closure(
    session: Session, unit: Unit, *, email: str, text: str, reason: str, today: date
) -> ClosureRequest:
    """The person's written request to close their UO2.2, kept word for word; the unit
    closes today on it (`close_on_written_request` raises `UnitError` otherwise)."""
    request = ClosureRequest(unit_id=unit.id, text=text.strip(), email=normalise_email(email))
    session.add(request)
    close_on_written_request(
        session, unit, text=text, reason=reason, on=today, today=today, by=None
    )
    session.flush()
    return request

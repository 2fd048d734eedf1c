"""The person and their référent unique write to each other (CCTP 2.1.3: the person contacts
their référent « sans préalable formel »).

From UO2.1 on, the person's space names the dossier's advisor and lets them write; the
message is kept on the dossier and e-mailed to the advisor, who answers from the dossier
(the answer is e-mailed to the person). No Flask here: the views and `contact_emails` do the
rest.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from portal.advisor.contact_models import DossierMessage, MessageAuthor
from portal.advisor.models import Dossier, Unit, UnitKind, UnitStatus
from portal.network.models import StaffMember

# A message is a note, not a file: about two pages of text.
MESSAGE_MAX_CHARS = 4000
# CCTP 2.1.3: the référent unique is named from the UO2.1 on.
REFERENT_KINDS = (UnitKind.UO21, UnitKind.UO22)
# Once the UO2.x closed, the space still names the référent this long (a question about the
# signed project, a closure to confirm); after that, the person books a new first appointment.
REFERENT_RECENT_DAYS = 90


class MessageErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_REFERENT = "no_referent"


class MessageError(Exception):
    def __init__(self, code: MessageErrorCode) -> None:
        super().__init__(code.value)
        self.code = code


def referent_unit(dossier: Dossier, today: date) -> Unit | None:
    """The UO2.1 or UO2.2 that makes the dossier's advisor the person's référent: open, or
    closed less than REFERENT_RECENT_DAYS ago."""
    since = today - timedelta(days=REFERENT_RECENT_DAYS)
    for unit in reversed(dossier.units):
        if unit.kind not in REFERENT_KINDS:
            continue
        if unit.status == UnitStatus.OPEN or (
            unit.closed_on is not None and unit.closed_on >= since
        ):
            return unit
    return None


def referent_of(dossier: Dossier, today: date) -> StaffMember | None:
    return dossier.advisor if referent_unit(dossier, today) is not None else None


def checked_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise MessageError(MessageErrorCode.EMPTY)
    if len(cleaned) > MESSAGE_MAX_CHARS:
        raise MessageError(MessageErrorCode.TOO_LONG)
    return cleaned


def write_to_referent(
    session: Session, dossier: Dossier, *, text: str, today: date, now: datetime
) -> DossierMessage:
    """The person's message, addressed to the référent of the day."""
    if referent_unit(dossier, today) is None:
        raise MessageError(MessageErrorCode.NO_REFERENT)
    message = DossierMessage(
        dossier_id=dossier.id,
        author=MessageAuthor.PERSON,
        to_advisor_id=dossier.advisor_id,
        written_at=now,
        text=checked_text(text),
    )
    session.add(message)
    session.flush()
    return message


def answer_person(
    session: Session, dossier: Dossier, *, text: str, by: StaffMember, now: datetime
) -> DossierMessage:
    """The advisor's answer; the person's messages before it count as read."""
    message = DossierMessage(
        dossier_id=dossier.id,
        author=MessageAuthor.STAFF,
        author_staff_id=by.id,
        written_at=now,
        text=checked_text(text),
    )
    session.add(message)
    session.execute(
        update(DossierMessage)
        .where(
            DossierMessage.dossier_id == dossier.id,
            DossierMessage.author == MessageAuthor.PERSON,
            DossierMessage.read_at.is_(None),
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return message


def thread(session: Session, dossier_id: int) -> list[DossierMessage]:
    """The dossier's messages, oldest first."""
    return list(
        session.scalars(
            select(DossierMessage)
            .where(DossierMessage.dossier_id == dossier_id)
            .options(selectinload(DossierMessage.author_staff))
            .order_by(DossierMessage.written_at, DossierMessage.id)
        )
    )


def unanswered(session: Session, *, advisor_id: int, limit: int = 20) -> list[DossierMessage]:
    """The person's messages not yet answered, on the dossiers this advisor follows."""
    return list(
        session.scalars(
            select(DossierMessage)
            .join(Dossier, Dossier.id == DossierMessage.dossier_id)
            .where(
                Dossier.advisor_id == advisor_id,
                DossierMessage.author == MessageAuthor.PERSON,
                DossierMessage.read_at.is_(None),
            )
            .order_by(DossierMessage.written_at, DossierMessage.id)
            .limit(limit)
        )
    )

"""The rules of a follow-up session (issue 14 §2), apart from the moves themselves
(`sessions.py`): its errors, the unit's deadline, the référent unique from UO2.1 on, the
advisor's free slots, and the video link made from the operator's template.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.advisor.models import Unit, UnitKind
from portal.booking.errors import BookingError
from portal.booking.models import LIVE_SQL, Appointment, Slot
from portal.booking.slots import operator_timezone
from portal.network.models import Modality, Operator, StaffMember, StaffRole

# From UO2.1 on, sessions go to the référent unique (CCTP 2.1.3).
REFERENT_KINDS = (UnitKind.UO21, UnitKind.UO22)
CODE_PLACEHOLDER = "{code}"
TEMPLATE_MAX_LENGTH = 300  # Operator.video_url_template
# How far ahead the advisor's free slots are offered (the unit's deadline may come sooner).
OFFER_WEEKS = 6


class SessionErrorCode(StrEnum):
    UNIT_CLOSED = "unit_closed"
    AFTER_DEADLINE = "after_deadline"  # the session's day is after the unit's deadline
    REASON_REQUIRED = "reason_required"  # UO2.1+: not the référent unique, and no reason
    WRONG_ADVISOR = "wrong_advisor"  # not an active advisor of the unit's operator
    SLOT_UNAVAILABLE = "slot_unavailable"  # not the advisor's, withdrawn, past, or bad time
    SLOT_TAKEN = "slot_taken"  # booked by someone else, or overlaps the advisor's agenda
    MODALITY_NOT_OFFERED = "modality_not_offered"  # e.g. in person without a site
    NOT_CHANGEABLE = "not_changeable"  # no longer booked, or past the change cut-off
    SAME_SLOT = "same_slot"
    NOT_A_SESSION = "not_a_session"  # a first appointment, which has its request
    BAD_TEMPLATE = "bad_template"  # the video URL template is not https with {code}


class SessionError(Exception):
    """`deadline`: the unit's, for AFTER_DEADLINE; `field`: where the view shows it."""

    def __init__(
        self, code: SessionErrorCode, *, deadline: date | None = None, field: str = ""
    ) -> None:
        super().__init__(f"{code}: {deadline}" if deadline else str(code))
        self.code = code
        self.deadline = deadline
        self.field = field

    @classmethod
    def from_booking(cls, error: BookingError, *, field: str) -> SessionError:
        known = {code.value for code in SessionErrorCode}
        code = error.code.value if error.code.value in known else "slot_unavailable"
        return cls(SessionErrorCode(code), field=field)


def local_day(moment: datetime, operator: Operator) -> date:
    """The day of a moment where the operator works (overseas lots have their own zone)."""
    return moment.astimezone(operator_timezone(operator)).date()


def check_in_time(unit: Unit, day: date) -> None:
    if day > unit.deadline:
        raise SessionError(SessionErrorCode.AFTER_DEADLINE, deadline=unit.deadline, field="slot")


def needs_reason(unit: Unit, advisor_id: int | None) -> bool:
    """From UO2.1 on, a session with someone other than the référent unique needs a reason."""
    return unit.kind in REFERENT_KINDS and advisor_id != unit.dossier.advisor_id


def check_advisor(unit: Unit, advisor: StaffMember, reason: str) -> str | None:
    """The reason to record (None when none is due); refuses an advisor of another operator
    and a missing reason."""
    if (
        advisor.role != StaffRole.ADVISOR
        or not advisor.active
        or advisor.operator_id != unit.operator_id
    ):
        raise SessionError(SessionErrorCode.WRONG_ADVISOR, field="advisor")
    if not needs_reason(unit, advisor.id):
        return None
    if not reason.strip():
        raise SessionError(SessionErrorCode.REASON_REQUIRED, field="other_advisor_reason")
    return reason.strip()


def session_slot(
    session: Session, *, slot_id: int, advisor: StaffMember, modality: Modality, now: datetime
) -> Slot:
    """The advisor's own slot, still to come and not withdrawn, offering the modality."""
    slot = session.get(Slot, slot_id)
    if (
        slot is None
        or slot.advisor_id != advisor.id
        or slot.withdrawn_at is not None
        or slot.starts_at <= now
    ):
        raise SessionError(SessionErrorCode.SLOT_UNAVAILABLE, field="slot")
    if not slot.offers(modality) or (modality is Modality.PRESENTIEL and slot.site_id is None):
        raise SessionError(SessionErrorCode.MODALITY_NOT_OFFERED, field="modality")
    return slot


def free_slots(
    session: Session, *, advisor_id: int, unit: Unit, now: datetime, limit: int = 60
) -> list[Slot]:
    """The advisor's free slots from now to the unit's deadline (at most OFFER_WEEKS ahead):
    from their windows (a one-off slot was made for one person), not withdrawn, no live
    appointment on them."""
    zone = operator_timezone(unit.operator)
    last_day = min(unit.deadline, local_day(now, unit.operator) + timedelta(weeks=OFFER_WEEKS))
    until = datetime.combine(last_day + timedelta(days=1), time(0), zone).astimezone(UTC)
    taken = exists().where(Appointment.slot_id == Slot.id, LIVE_SQL)
    return list(
        session.scalars(
            select(Slot)
            .where(
                Slot.advisor_id == advisor_id,
                Slot.withdrawn_at.is_(None),
                Slot.created_by_id.is_(None),
                Slot.starts_at > now,
                Slot.starts_at < until,
                ~taken,
            )
            .order_by(Slot.starts_at)
            .limit(limit)
        )
    )


def video_link(operator: Operator) -> str | None:
    """A fresh meeting link from the operator's template, or None (the advisor sends one)."""
    template = operator.video_url_template
    if not template:
        return None
    return template.replace(CODE_PLACEHOLDER, secrets.token_urlsafe(12))


def check_video_template(text: str) -> str | None:
    """An https URL containing {code}; empty clears the setting (None)."""
    text = text.strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        raise SessionError(SessionErrorCode.BAD_TEMPLATE, field="template") from None
    if (
        parts.scheme != "https"
        or not parts.hostname
        or CODE_PLACEHOLDER not in text
        or CODE_PLACEHOLDER in parts.netloc
        or len(text) > TEMPLATE_MAX_LENGTH
        or any(c.isspace() or c in "<>\"'" for c in text)
    ):
        raise SessionError(SessionErrorCode.BAD_TEMPLATE, field="template")
    return text


def set_video_template(session: Session, operator: Operator, text: str) -> str | None:
    operator.video_url_template = check_video_template(text)
    session.flush()
    return operator.video_url_template

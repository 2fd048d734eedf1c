"""Availability, slots, requests and appointments.

An advisor's recurring `AvailabilityWindow`s are materialised into concrete `Slot`s over a
rolling horizon (`flask cep materialise-slots`), so that a search is one indexed query. An
`Appointment` takes a slot; the database refuses a second live appointment on the same slot
(a partial unique index), so no race can double-book. An `AppointmentRequest` is the person's
first request: it carries the legal deadline (CCTP 3.3) and becomes a « demande en attente »
when nothing could be offered in time.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.network.models import Modality, Operator, Site, StaffMember
from portal.people.models import Beneficiary
from portal.reference import Motif


class AvailabilityWindow(Base):
    """An advisor's recurring availability: on a weekday, at a site or remotely."""

    __tablename__ = "availability_window"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="range"),
        CheckConstraint("slot_minutes BETWEEN 15 AND 240", name="slot_minutes"),
        CheckConstraint("valid_until IS NULL OR valid_from <= valid_until", name="validity"),
        # In person needs a place to receive the person.
        CheckConstraint("site_id IS NOT NULL OR NOT offers_presentiel", name="presentiel_site"),
        CheckConstraint(
            "offers_presentiel OR offers_telephone OR offers_visio", name="some_modality"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    # None: remote only, from wherever the advisor works.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(SmallInteger)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(SmallInteger, default=60)
    offers_presentiel: Mapped[bool] = mapped_column(Boolean, default=True)
    offers_telephone: Mapped[bool] = mapped_column(Boolean, default=False)
    offers_visio: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    advisor: Mapped[StaffMember] = relationship()
    site: Mapped[Site | None] = relationship()

    @property
    def modalities(self) -> list[Modality]:
        return _modalities(self.offers_presentiel, self.offers_telephone, self.offers_visio)


class Absence(Base):
    """Days an advisor is away (leave, training, sickness): no slot is offered then."""

    __tablename__ = "absence"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("staff_member.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    advisor: Mapped[StaffMember] = relationship()


class Slot(Base):
    """A concrete appointment slot of one advisor, materialised from a window.

    `withdrawn_at` is set when an absence, a closure or a changed window removes a slot that
    was already materialised; a slot already booked then stays, flagged for the manager.
    """

    __tablename__ = "slot"
    __table_args__ = (
        UniqueConstraint("advisor_id", "starts_at"),
        CheckConstraint("starts_at < ends_at", name="range"),
        Index("ix_slot_operator_starts_at", "operator_id", "starts_at"),
        Index("ix_slot_site_starts_at", "site_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    window_id: Mapped[int | None] = mapped_column(
        ForeignKey("availability_window.id", ondelete="SET NULL")
    )
    # A one-off slot created by staff (no window): who created it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    offers_presentiel: Mapped[bool] = mapped_column(Boolean)
    offers_telephone: Mapped[bool] = mapped_column(Boolean)
    offers_visio: Mapped[bool] = mapped_column(Boolean)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    advisor: Mapped[StaffMember] = relationship(foreign_keys=[advisor_id])
    site: Mapped[Site | None] = relationship()
    operator: Mapped[Operator] = relationship()

    @property
    def modalities(self) -> list[Modality]:
        return _modalities(self.offers_presentiel, self.offers_telephone, self.offers_visio)

    def offers(self, modality: Modality) -> bool:
        return modality in self.modalities


class RequestStatus(StrEnum):
    BOOKED = "booked"  # a first appointment is booked
    WAITING = "waiting"  # « demande en attente »: the operator calls the person back
    CANCELLED = "cancelled"  # the person cancelled and did not book again
    HONOURED = "honoured"  # the first appointment took place (advisor workspace)


class AppointmentRequest(Base):
    """A person's first request for an appointment, and its legal deadline (CCTP 3.3)."""

    __tablename__ = "appointment_request"
    __table_args__ = (
        CheckConstraint("requested_on <= deadline", name="deadline"),
        Index("ix_appointment_request_operator_status", "operator_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes a double-submitted form one request (and one booking).
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("beneficiary.id"), index=True)
    # The operator that takes the request, and the competent one (CCTP 1.2.4). They differ
    # only for a traced exception: a closer site of a neighbouring lot when nothing was free.
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    competent_operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    exception_reason: Mapped[str | None] = mapped_column(Text)
    requested_on: Mapped[date] = mapped_column(Date)
    commune_insee: Mapped[str] = mapped_column(String(5))
    territory: Mapped[str] = mapped_column(String(30))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[RequestStatus] = mapped_column(String(20))
    motif: Mapped[Motif | None] = mapped_column(String(40))
    comment: Mapped[str] = mapped_column(Text, default="")
    # For a waiting request: the day by which the operator promised to call.
    call_back_by: Mapped[date | None] = mapped_column(Date)
    called_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    beneficiary: Mapped[Beneficiary] = relationship()
    operator: Mapped[Operator] = relationship(foreign_keys=[operator_id])
    competent_operator: Mapped[Operator] = relationship(foreign_keys=[competent_operator_id])
    appointments: Mapped[list[Appointment]] = relationship(
        back_populates="request", order_by="Appointment.created_at"
    )


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    MOVED = "moved"  # replaced by another appointment
    CANCELLED = "cancelled"
    HELD = "held"  # took place (advisor workspace)
    MISSED = "missed"  # the person did not come


LIVE_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.HELD, AppointmentStatus.MISSED)
_LIVE = "status IN ('booked', 'held', 'missed')"
# The same condition written out in the SQL, never as bound parameters: PostgreSQL can only
# use the partial index below when the statuses are literals (a generic plan of a prepared
# statement with parameters scans the whole table; measured in bench/RESULTS.md).
LIVE_SQL = text(f"appointment.{_LIVE}")


class Appointment(Base):
    """One appointment on one slot. At most one live appointment per slot: enforced by the
    database with a partial unique index, never by a check before the insert.

    Operator, advisor, site and times are copied from the slot on purpose: agendas and
    indicator 8.4 read them through their own indexes, and an appointment keeps its facts if
    its slot is later withdrawn."""

    __tablename__ = "appointment"
    __table_args__ = (
        Index(
            "uq_appointment_live_slot",
            "slot_id",
            unique=True,
            postgresql_where=text(_LIVE),
            sqlite_where=text(_LIVE),
        ),
        Index("ix_appointment_slot_id", "slot_id"),
        Index("ix_appointment_advisor_starts_at", "advisor_id", "starts_at"),
        Index("ix_appointment_operator_starts_at", "operator_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_request.id"), index=True)
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("beneficiary.id"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    modality: Mapped[Modality] = mapped_column(String(20))
    status: Mapped[AppointmentStatus] = mapped_column(String(20), default=AppointmentStatus.BOOKED)
    # Raised when the appointment changes, so that an .ics update supersedes the last one
    # (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(SmallInteger, default=0)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    reminder_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A session of a unit (issue 14); None for a first appointment, which has its request.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", use_alter=True), index=True)
    # Staff who booked it for the person; None when the person booked it themselves.
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # Why staff booked after the request's legal deadline (CCTP 3.3), or with an advisor
    # other than the référent unique (CCTP 2.1.3): recorded, never silent.
    late_reason: Mapped[str | None] = mapped_column(Text)
    other_advisor_reason: Mapped[str | None] = mapped_column(Text)
    # A video session's meeting link (the operator's template), shown to the two parties only.
    video_url: Mapped[str | None] = mapped_column(String(500))

    slot: Mapped[Slot] = relationship()
    request: Mapped[AppointmentRequest | None] = relationship(back_populates="appointments")
    beneficiary: Mapped[Beneficiary] = relationship()
    operator: Mapped[Operator] = relationship()
    advisor: Mapped[StaffMember] = relationship(foreign_keys=[advisor_id])
    site: Mapped[Site | None] = relationship()

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


def _modalities(presentiel: bool, telephone: bool, visio: bool) -> list[Modality]:
    flags = ((presentiel, Modality.PRESENTIEL), (telephone, Modality.TELEPHONE))
    return [m for flag, m in (*flags, (visio, Modality.VISIO)) if flag]

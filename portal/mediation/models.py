"""Complaints to the operator, their thread and attachments, and referrals to the mediator of
France compétences (CCTP 3.7, Annex 2 §3).

A `Complaint` keeps the complainant's identity and contact as they gave them (it may come from
someone without a dossier, by letter or phone); it is linked to their dossier or their
`beneficiary` row when known. Its clocks run from `received_on`, the real day of receipt.
A `Referral` is the person's recourse to the mediator; the mediator also records referrals
that came by letter or through France compétences' own form, with or without a complaint.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.advisor.models import Dossier
from portal.clock import PARIS
from portal.db import Base, StrEnumType, UTCDateTime
from portal.network.models import Operator, StaffMember
from portal.people.models import Beneficiary

# The `reference_item` list of complaint motives (loaded by migration 0012).
MOTIVE_LIST = "complaint_motive"


class Channel(StrEnum):
    """How the complaint reached the operator."""

    ONLINE = "online"  # the portal's form
    LETTER = "letter"
    EMAIL = "email"
    PHONE = "phone"


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    CLOSED = "closed"


class Satisfaction(StrEnum):
    """The person's word on the answer."""

    UNKNOWN = "unknown"
    YES = "yes"
    NO = "no"


class Author(StrEnum):
    PERSON = "person"
    STAFF = "staff"


class Complaint(Base):
    __tablename__ = "complaint"
    __table_args__ = (
        # The operator's queue: open complaints by their next clock.
        Index("ix_complaint_operator_status_received", "operator_id", "status", "received_on"),
        # Indicator 8.7 and the Annex 2 rows: complaints received in a period.
        Index("ix_complaint_received_on", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    beneficiary_id: Mapped[int | None] = mapped_column(ForeignKey("beneficiary.id"), index=True)
    # The complainant as they wrote it.
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    postal_address: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel, 10))
    # The day the operator received it: the clocks of CCTP 3.7 run from here.
    received_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    motive: Mapped[str] = mapped_column(String(40))  # a `complaint_motive` reference code
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ComplaintStatus] = mapped_column(StrEnumType(ComplaintStatus, 15))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    satisfied: Mapped[Satisfaction] = mapped_column(
        StrEnumType(Satisfaction, 10), default=Satisfaction.UNKNOWN
    )
    satisfied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_count: Mapped[int] = mapped_column(SmallInteger, default=0)

    operator: Mapped[Operator] = relationship()
    dossier: Mapped[Dossier | None] = relationship()
    beneficiary: Mapped[Beneficiary | None] = relationship()
    recorded_by: Mapped[StaffMember | None] = relationship(foreign_keys=[recorded_by_id])
    messages: Mapped[list[ComplaintMessage]] = relationship(
        back_populates="complaint", order_by="ComplaintMessage.at, ComplaintMessage.id"
    )
    attachments: Mapped[list[ComplaintAttachment]] = relationship(
        back_populates="complaint", order_by="ComplaintAttachment.id"
    )

    # The days of the clocks (`rules.next_clock`), in France.
    @property
    def acknowledged_on(self) -> date | None:
        return _day(self.acknowledged_at)

    @property
    def answered_on(self) -> date | None:
        return _day(self.answered_at)

    @property
    def satisfied_flag(self) -> bool | None:
        return {Satisfaction.YES: True, Satisfaction.NO: False}.get(self.satisfied)


class ComplaintMessage(Base):
    """One message of the thread between the person and the operator."""

    __tablename__ = "complaint_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    author: Mapped[Author] = mapped_column(StrEnumType(Author, 10))
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)

    complaint: Mapped[Complaint] = relationship(back_populates="messages")


class ComplaintAttachment(Base):
    """A file given with the complaint (a PDF or an image; a letter's scan), its type told by
    its content, never by its name."""

    __tablename__ = "complaint_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    filename: Mapped[str] = mapped_column(String(160))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class ReferredBy(StrEnum):
    PERSON = "person"  # from their complaint's page
    MEDIATOR = "mediator"  # recorded by the mediator (a letter, France compétences' form)


class ReferralChannel(StrEnum):
    PORTAL = "portal"
    LETTER = "letter"
    FC_FORM = "fc_form"  # the online form of France compétences' site


class Admissible(StrEnum):
    PENDING = "pending"
    YES = "yes"
    NO = "no"


class Outcome(StrEnum):
    RECOMMENDATION = "recommendation"
    SETTLEMENT = "settlement"
    NONE = "none"


class Referral(Base):
    """A referral to the mediator. The person's identity is copied from the complaint (or
    written by the mediator when none exists): it is what the mediator was given."""

    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_operator_referred_at", "operator_id", "referred_at"),
        # One open referral per complaint.
        Index(
            "uq_referral_open_complaint",
            "complaint_id",
            unique=True,
            postgresql_where=text("closed_at IS NULL"),
            sqlite_where=text("closed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    referred_by: Mapped[ReferredBy] = mapped_column(StrEnumType(ReferredBy, 10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    channel: Mapped[ReferralChannel] = mapped_column(StrEnumType(ReferralChannel, 10))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)  # the person's words to the mediator
    admissible: Mapped[Admissible] = mapped_column(
        StrEnumType(Admissible, 10), default=Admissible.PENDING
    )
    admissibility_reason: Mapped[str | None] = mapped_column(Text)
    admissibility_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    admissibility_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    operator_informed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Annex 2 §3 « demande d'accès au dossier par le médiateur ».
    access_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    access_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    access_granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    access_granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    outcome: Mapped[Outcome | None] = mapped_column(StrEnumType(Outcome, 15))
    outcome_accepted: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))

    complaint: Mapped[Complaint | None] = relationship()
    operator: Mapped[Operator] = relationship()


class Thread(StrEnum):
    """The mediator writes with the person and, apart, with the operator."""

    PERSON = "person"
    OPERATOR = "operator"


class ReferralAuthor(StrEnum):
    MEDIATOR = "mediator"
    PERSON = "person"
    OPERATOR = "operator"


class ReferralMessage(Base):
    """One message of a referral's threads, kept as written (`referral_messages`)."""

    __tablename__ = "referral_message"
    __table_args__ = (Index("ix_referral_message_referral_thread", "referral_id", "thread", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"))
    thread: Mapped[Thread] = mapped_column(StrEnumType(Thread, 10))
    author: Mapped[ReferralAuthor] = mapped_column(StrEnumType(ReferralAuthor, 10))
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)

    referral: Mapped[Referral] = relationship()
    author_staff: Mapped[StaffMember | None] = relationship()


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.astimezone(PARIS).date()


__all__ = [
    "MOTIVE_LIST",
    "Admissible",
    "Author",
    "Channel",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintMessage",
    "ComplaintStatus",
    "Outcome",
    "Referral",
    "ReferralAuthor",
    "ReferralChannel",
    "ReferralMessage",
    "ReferredBy",
    "Satisfaction",
    "Thread",
]

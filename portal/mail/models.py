"""The transactional outbox: a message (an e-mail or an SMS) is a row written in the same
transaction as the change it tells about, and a sender (`flask cep send-mail`) delivers it
later, with retries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up (MAIL_GIVE_UP_HOURS, or refused for good); staff may resend


class OutboxChannel(StrEnum):
    EMAIL = "email"
    # `to_address` holds an E.164 number, `subject` the label "SMS", `body_text` the text.
    SMS = "sms"


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        # The failed messages of an operator, for its managers' « Envois en échec » screen.
        Index("ix_outbox_message_operator_id_status", "operator_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[OutboxChannel] = mapped_column(
        String(10), default=OutboxChannel.EMAIL, server_default=OutboxChannel.EMAIL.value
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # What the message is about, for people reading the outbox ("appointment:42:booked").
    topic: Mapped[str] = mapped_column(String(100), default="", index=True)
    status: Mapped[OutboxStatus] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first attempt since the message was queued (or resent): the sender gives up
    # MAIL_GIVE_UP_HOURS after it, whatever the number of attempts.
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The operator the message is about, when the caller knows it: its managers see the
    # message if it fails. NULL: seen by France compétences only.
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id", ondelete="SET NULL"))
    # The secrets of the bodies (links' tokens), encrypted (`mail.secrets`); the stored bodies
    # carry placeholders. Cleared once the message is sent.
    sealed_secrets: Mapped[str | None] = mapped_column(Text)
    # Bodies and attachments are emptied this long after sending (`purge_sent_bodies`);
    # the metadata stays for the record.
    body_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A message the sender renders (`mail.rendering`): the renderer's name, its JSON context
    # (secrets replaced by placeholders, as in the bodies) and the person's language. The
    # bodies stay empty until the sender renders them; then these three are cleared.
    render_template: Mapped[str | None] = mapped_column(String(100))
    render_context: Mapped[str | None] = mapped_column(Text)
    render_locale: Mapped[str | None] = mapped_column(String(10))

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )


class OutboxAttachment(Base):
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))  # "text/calendar; method=REQUEST"
    content: Mapped[bytes] = mapped_column(LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")

"""The record of a UO0 contact made through the public front door."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow
from portal.orientation.rules import Route, Situation
from portal.reference import ContactMode, Motif


class OrientationContact(Base):
    """Annex 2, UO0 block: date, mode de contact, aiguillage, motif when given.

    No personal data: the person stays anonymous unless they go on to book. Age, disability
    and cadre status are used to route and then forgotten (disability is health data, RGPD
    art. 9). `key` makes a double-submitted form record one contact.
    """

    __tablename__ = "orientation_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(36), unique=True)
    contacted_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    contact_mode: Mapped[ContactMode] = mapped_column(String(20), default=ContactMode.WEB)
    situation: Mapped[Situation] = mapped_column(String(40))
    route: Mapped[Route] = mapped_column(String(30))
    alternatives: Mapped[str] = mapped_column(String(200), default="")
    motif: Mapped[Motif | None] = mapped_column(String(40))
    lot_number: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    work_lot_number: Mapped[int | None] = mapped_column(SmallInteger)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    # Recorded by staff (a UO0 taken by phone or in person, issue 15 §2); None: the web.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # When the person goes on: the request they made, then the dossier it opened. The UO0
    # then gets its Annex 2 number (`OO AA MM 00 XXXXXX`) and its purchase order.
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_request.id"), unique=True
    )
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(14), unique=True)
    purchase_order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order.id"))
    purchase_order_ref: Mapped[str | None] = mapped_column(String(30), unique=True)

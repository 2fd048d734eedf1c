"""Dossiers and their units of work (UO1, UO2.1, UO2.2), interactions and purchase orders.

A `Dossier` is one accompaniment of one person by one operator: it opens when the first
appointment is held and holds the units engaged one after the other (UO1 → UO2.1 → UO2.2,
or UO2.1 directly, CCTP 1.2.6). Each `Unit` carries its own Annex 2 « numéro de dossier »
(`OO AA MM UU XXXXXX`), its purchase-order reference, its deadline and its Annex 2 data.
A new engagement after a closure opens a new dossier, flagged when it comes within three
months of the previous closure (indicator 6.8).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.booking.models import Appointment, AppointmentRequest
from portal.db import Base, StrEnumType, UTCDateTime, utcnow
from portal.network.models import Operator, Site, StaffMember
from portal.people.models import Beneficiary
from portal.people.profile_models import DossierProfile


class UnitKind(StrEnum):
    """The units of work with a beneficiary; the value is Annex 2's « UU » code."""

    # UO0 is never a `Unit`: it is an `OrientationContact` that gets a number and a purchase
    # order once the person goes on (issue 15 §2); the kind serves its numbering and orders.
    UO0 = "00"
    UO1 = "01"
    UO21 = "21"
    UO22 = "22"

    @property
    def label(self) -> str:
        return {"00": "UO0", "01": "UO1", "21": "UO2.1", "22": "UO2.2"}[self.value]

    @property
    def order_code(self) -> str:
        """The UO as written in a purchase-order reference (`…-UO2.1-…`)."""
        return {"00": "00", "01": "01", "21": "2.1", "22": "2.2"}[self.value]


class UnitStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ClosureKind(StrEnum):
    """How a unit ended (CCTP 1.2.6)."""

    SIGNED = "signed"  # UO1 / UO2.1: the beneficiary signed the livrable
    REQUESTED = "requested"  # UO2.2: a written trace of the beneficiary asking to close
    ABANDON = "abandon"  # automatically, at the end of the delay


class ConsentMode(StrEnum):
    """How the beneficiary gave their explicit consent to a unit (Sauléa L1321)."""

    ORAL = "oral"  # said during an exchange, recorded by the advisor
    WRITTEN = "written"  # a signed form or letter
    EMAIL = "email"
    ONLINE = "online"  # from their own space


class Dossier(Base):
    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_operator_opened_on", "operator_id", "opened_on"),
        Index("ix_dossier_advisor_id", "advisor_id"),
        # The advisor's home finds the dossiers of this week's appointments; a held appointment
        # finds its request's dossier (measured: a sequential scan of 800,000 rows without them).
        Index("ix_dossier_first_appointment_id", "first_appointment_id"),
        Index("ix_dossier_request_id", "request_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    beneficiary_id: Mapped[int] = mapped_column(ForeignKey("beneficiary.id"), index=True)
    # The advisor in charge; from UO2.1 on, the référent unique (CCTP 2.1.3).
    advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    # Annex 2 « Structure »: the site the person is attached to (required from UO1).
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_request.id"))
    first_appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    # A new start within three months of a closure of the same person (indicator 6.8).
    reengagement_of_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", use_alter=True, name="fk_dossier_reengagement_of_unit_id_unit")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    operator: Mapped[Operator] = relationship()
    beneficiary: Mapped[Beneficiary] = relationship()
    advisor: Mapped[StaffMember] = relationship()
    site: Mapped[Site | None] = relationship()
    request: Mapped[AppointmentRequest | None] = relationship()
    first_appointment: Mapped[Appointment | None] = relationship()
    units: Mapped[list[Unit]] = relationship(
        back_populates="dossier",
        order_by="Unit.engaged_on, Unit.id",
        foreign_keys="Unit.dossier_id",
    )
    reengagement_of: Mapped[Unit | None] = relationship(foreign_keys=[reengagement_of_unit_id])
    # The Annex 2 profile (issue 15 §1), one row once first saved; read-only from here.
    profile: Mapped[DossierProfile | None] = relationship(uselist=False, viewonly=True)

    @property
    def open_unit(self) -> Unit | None:
        return next((u for u in self.units if u.status == UnitStatus.OPEN), None)

    @property
    def last_unit(self) -> Unit | None:
        return self.units[-1] if self.units else None


class Unit(Base):
    """One engaged unit of work, with its Annex 2 data."""

    __tablename__ = "unit"
    __table_args__ = (
        # One unit at a time in a dossier.
        Index(
            "uq_unit_open_per_dossier",
            "dossier_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index("ix_unit_advisor_status_deadline", "advisor_id", "status", "deadline"),
        Index("ix_unit_status_deadline", "status", "deadline"),
        CheckConstraint("engaged_on <= deadline", name="deadline"),
        CheckConstraint(
            "(status = 'open') = (closed_on IS NULL AND closure_kind IS NULL)", name="closed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    kind: Mapped[UnitKind] = mapped_column(StrEnumType(UnitKind, 2))
    # Annex 2: « numéro de dossier » OO AA MM UU XXXXXX, stored without spaces.
    number: Mapped[str] = mapped_column(String(14), unique=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_order.id"))
    # `AAAA-Lotww-UOxx-yy-zzzzz`
    purchase_order_ref: Mapped[str] = mapped_column(String(30), unique=True)
    engaged_on: Mapped[date] = mapped_column(Date, index=True)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[UnitStatus] = mapped_column(StrEnumType(UnitStatus, 10), default=UnitStatus.OPEN)
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    closure_kind: Mapped[ClosureKind | None] = mapped_column(StrEnumType(ClosureKind, 10))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    # UO2.2 (CCTP 2.1.3): the beneficiary's written wish to close, word for word.
    closure_trace: Mapped[str | None] = mapped_column(Text)
    # Explicit consent at engagement: who recorded it, when, how.
    consent_given_on: Mapped[date] = mapped_column(Date)
    consent_mode: Mapped[ConsentMode] = mapped_column(StrEnumType(ConsentMode, 10))
    consent_recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    consent_recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Annex 2 fields, as codes of the reference tables (`ReferenceItem`).
    origine: Mapped[str | None] = mapped_column(String(40))
    motif: Mapped[str | None] = mapped_column(String(40))
    motif_detaille: Mapped[str | None] = mapped_column(String(40))
    types_service: Mapped[list[str]] = mapped_column(JSON, default=list)
    prestations: Mapped[list[str]] = mapped_column(JSON, default=list)
    auto_prescription: Mapped[bool | None] = mapped_column(Boolean)
    financements: Mapped[list[str]] = mapped_column(JSON, default=list)
    decouvertes: Mapped[list[str]] = mapped_column(JSON, default=list)
    projet_cpir: Mapped[bool | None] = mapped_column(Boolean)
    etat_projet: Mapped[str | None] = mapped_column(String(40))
    description_service: Mapped[str] = mapped_column(Text, default="")
    motif_cloture: Mapped[str | None] = mapped_column(String(40))
    # The person and the advisor were warned two weeks before the unit closes as an abandon.
    abandon_warning_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The last change of its Annex 2 fields or its closure (`unit_work`, `closing`). Indexed,
    # like every moment the daily Annex 2 export scans by day (`reporting/annex2._MOMENTS`).
    data_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    dossier: Mapped[Dossier] = relationship(back_populates="units", foreign_keys=[dossier_id])
    operator: Mapped[Operator] = relationship()
    advisor: Mapped[StaffMember] = relationship(foreign_keys=[advisor_id])
    purchase_order: Mapped[PurchaseOrder] = relationship()
    interactions: Mapped[list[Interaction]] = relationship(
        back_populates="unit", order_by="Interaction.occurred_on.desc(), Interaction.id.desc()"
    )

    @property
    def formatted_number(self) -> str:
        n = self.number
        return f"{n[0:2]} {n[2:4]} {n[4:6]} {n[6:8]} {n[8:]}"

    @property
    def is_open(self) -> bool:
        return self.status == UnitStatus.OPEN


class Interaction(Base):
    """One exchange within a unit (Annex 2: date, mode de contact; and what was done)."""

    __tablename__ = "interaction"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 1 AND 600", name="duration"),
        Index("ix_interaction_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointment.id"), unique=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    contact_mode: Mapped[str] = mapped_column(String(40))
    service_type: Mapped[str | None] = mapped_column(String(40))
    duration_minutes: Mapped[int] = mapped_column(SmallInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    unit: Mapped[Unit] = relationship(back_populates="interactions")
    advisor: Mapped[StaffMember] = relationship()


class PurchaseOrder(Base):
    """A bon de commande of France compétences for one UO in one year (Annex 2).

    `number` is « yy », its order in the year for that UO; `consumed` counts the units
    engaged on it, and gives each its « zzzzz ».
    """

    __tablename__ = "purchase_order"
    __table_args__ = (
        UniqueConstraint("operator_id", "year", "kind", "number"),
        CheckConstraint("consumed <= quantity", name="quantity"),
        CheckConstraint("number BETWEEN 1 AND 99", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[UnitKind] = mapped_column(StrEnumType(UnitKind, 2))
    number: Mapped[int] = mapped_column(SmallInteger)
    quantity: Mapped[int]
    consumed: Mapped[int] = mapped_column(default=0)
    issued_on: Mapped[date] = mapped_column(Date)

    operator: Mapped[Operator] = relationship()


class DossierCounter(Base):
    """The monthly counter behind « XXXXXX », one row per operator and month (Annex 2)."""

    __tablename__ = "dossier_counter"

    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(4), primary_key=True)  # "AAMM"
    value: Mapped[int] = mapped_column(default=0)


class ReferenceItem(Base):
    """One value of an Annex 2 reference table, kept as data so that France compétences'
    tables can replace ours without a release. `parent` ties a detailed motive to its motive."""

    __tablename__ = "reference_item"
    __table_args__ = (UniqueConstraint("list_name", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list_name: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    label_fr: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    parent: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def label(self, locale: str) -> str:
        return self.label_en if locale.startswith("en") else self.label_fr


__all__ = [
    "ClosureKind",
    "ConsentMode",
    "Dossier",
    "DossierCounter",
    "Interaction",
    "PurchaseOrder",
    "ReferenceItem",
    "Unit",
    "UnitKind",
    "UnitStatus",
]

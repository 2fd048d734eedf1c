"""Operators, their sites and opening hours, and the staff who work there."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, utcnow


class Modality(StrEnum):
    """How an exchange with an advisor takes place (CCTP 3.3)."""

    PRESENTIEL = "presentiel"
    TELEPHONE = "telephone"
    VISIO = "visio"


class SiteKind(StrEnum):
    """An operator's own premises, a partner's, or a mobile office (CCTP 3.3)."""

    AGENCE = "agence"
    PERMANENCE = "permanence"
    ITINERANT = "itinerant"


class StaffRole(StrEnum):
    ADVISOR = "advisor"
    # « Chargé d'information »: an operator's call-centre or front-desk staff, who record the
    # UO0 taken by phone or in person (issue 15 §2).
    INFORMATION = "information"
    MANAGER = "manager"
    MEDIATOR = "mediator"
    FRANCE_COMPETENCES = "france_competences"


class Operator(Base):
    """The holder of one regional lot (CCTP 1.2.2)."""

    __tablename__ = "operator"
    __table_args__ = (CheckConstraint("lot_number BETWEEN 1 AND 19", name="lot_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Annex 2: two alphanumerics that open every dossier number (OO AA MM UU XXXXXX).
    code: Mapped[str] = mapped_column(String(2), unique=True)
    lot_number: Mapped[int] = mapped_column(SmallInteger, index=True)
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    postal_address: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Booking policy, from the field (Sauléa L1013): offer remote slots only when no in-person
    # slot is free within this many days in the person's area, unless they ask for remote.
    # 0 offers remote slots alongside in-person ones from the start.
    in_person_first_days: Mapped[int] = mapped_column(SmallInteger, default=10)
    # CCTP 3.7: « chaque Titulaire désigne un correspondant Médiation », by default its
    # managers (`portal.mediation.contacts`). use_alter: staff_member points back here.
    # The operator's own video tool (issue 14): a URL template with {code}, a fresh code per
    # session, e.g. "https://visio.example.fr/cep-{code}". None: no video meeting link.
    video_url_template: Mapped[str | None] = mapped_column(String(300))
    mediation_correspondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", use_alter=True)
    )

    sites: Mapped[list[Site]] = relationship(back_populates="operator", order_by="Site.name")


class Site(Base):
    """A place where the operator receives people, with the modalities it offers."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SiteKind] = mapped_column(String(20), default=SiteKind.AGENCE)
    street: Mapped[str] = mapped_column(String(300))
    postal_code: Mapped[str] = mapped_column(String(5))
    commune_insee: Mapped[str] = mapped_column(String(5))
    commune_name: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    offers_presentiel: Mapped[bool] = mapped_column(Boolean, default=True)
    offers_telephone: Mapped[bool] = mapped_column(Boolean, default=True)
    offers_visio: Mapped[bool] = mapped_column(Boolean, default=True)
    # Accessible to people with reduced mobility (CCTP 3.3, « taux personnes à mobilité réduite »).
    step_free_access: Mapped[bool] = mapped_column(Boolean, default=True)
    access_note: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    operator: Mapped[Operator] = relationship(back_populates="sites")
    hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="site",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
        cascade="all, delete-orphan",
    )
    closures: Mapped[list[SiteClosure]] = relationship(
        back_populates="site", order_by="SiteClosure.starts_on", cascade="all, delete-orphan"
    )
    # Raised on every change of the site, its hours or closures: caches and materialised
    # slots compare it with the version they were built from.
    version: Mapped[int] = mapped_column(default=1)

    @property
    def modalities(self) -> list[Modality]:
        offered = (
            (self.offers_presentiel, Modality.PRESENTIEL),
            (self.offers_telephone, Modality.TELEPHONE),
            (self.offers_visio, Modality.VISIO),
        )
        return [modality for flag, modality in offered if flag]


class OpeningHours(Base):
    """One opening range of a site on a weekday (0 = Monday); a day may have several."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="range"),
        UniqueConstraint("site_id", "weekday", "opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    site: Mapped[Site] = relationship(back_populates="hours")


class SiteClosure(Base):
    """Days a site is closed besides public holidays (summer, Christmas, works…).

    CCTP 3.3 asks for continuity of service in summer and at Christmas: closures are checked
    against that rule and no slot is offered on a closed day.
    """

    __tablename__ = "site_closure"
    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    site: Mapped[Site] = relationship(back_populates="closures")


class NetworkVersion(Base):
    """One row whose `version` changes whenever the network does (operators, sites, opening
    hours, closures), in the same transaction: database triggers of migration 0015 set it to a
    value never used before (a sequence; a random number on SQLite). Each worker's snapshot of
    the network (`portal.network.snapshot`) compares it with the value it was built from."""

    __tablename__ = "network_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


advisor_site = Table(
    "advisor_site",
    Base.metadata,
    Column("staff_id", ForeignKey("staff_member.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class StaffMember(Base):
    """Someone who works in the portal: an operator's advisor or manager, the mediator, or
    France compétences. Sign-in (password hash, rate limits) arrives with the staff side."""

    __tablename__ = "staff_member"
    __table_args__ = (
        CheckConstraint(
            "role IN ('mediator', 'france_competences') OR operator_id IS NOT NULL",
            name="operator_staff_have_operator",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"), index=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(String(30))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Part of the sign-in cookie: raising it (password change, deactivation) signs out
    # every open session of this person.
    session_version: Mapped[int] = mapped_column(default=1)

    operator: Mapped[Operator | None] = relationship(foreign_keys=[operator_id])
    sites: Mapped[list[Site]] = relationship(secondary=advisor_site, order_by="Site.name")

    # The four attributes Flask-Login expects of a user, without importing Flask here.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


__all__ = [
    "Modality",
    "NetworkVersion",
    "OpeningHours",
    "Operator",
    "Site",
    "SiteClosure",
    "SiteKind",
    "StaffMember",
    "StaffRole",
    "advisor_site",
]

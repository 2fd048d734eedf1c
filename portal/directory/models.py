"""Organisations of a region and the complementary services they offer.

CCTP 2.1.3 and CCAP 19.3.4: when a person wishes a service (formation, bilan de compétences,
VAE…), the operator gives the list of **all** organisations of the region that offer it and
leaves the choice to the person. Managers keep this directory; `is_operator` marks the
operator itself (or a member of its group), whose choice is Annex 2's « auto-prescription ».
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.network.models import Operator


class Provider(Base):
    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The lot (region) whose directory lists it.
    operator_id: Mapped[int] = mapped_column(ForeignKey("operator.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    commune_name: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(5), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    operator: Mapped[Operator] = relationship()
    service_rows: Mapped[list[ProviderService]] = relationship(
        cascade="all, delete-orphan", order_by="ProviderService.service_code"
    )

    @property
    def services(self) -> list[str]:
        return [row.service_code for row in self.service_rows]


class ProviderService(Base):
    __tablename__ = "provider_service"

    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True
    )
    # A code of the « prestation » reference table.
    service_code: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


__all__ = ["Provider", "ProviderService"]

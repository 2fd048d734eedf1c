"""Reporting tables: the regional populations the recourse rates (2.1–2.4) divide by, and the
monthly snapshots of the indicators (the figures as computed at the time, revised when a later
run finds them changed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class PopulationRegion(Base):
    """The population of a lot's region one year: the active population (2.1) and the
    « population CEP » (2.2–2.4: actifs en emploi moins les cadres — sauf DOM hors
    Martinique — et les agents publics, CCTP footnote 36). `source` says where the figures
    come from; demonstration figures say « démonstration »."""

    __tablename__ = "population_region"
    __table_args__ = (
        CheckConstraint("lot_number BETWEEN 1 AND 19", name="lot_number"),
        CheckConstraint("active_population > 0 AND cep_population > 0", name="positive"),
    )

    lot_number: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    active_population: Mapped[int] = mapped_column(Integer)
    cep_population: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))
    source_url: Mapped[str] = mapped_column(String(300), default="")


class IndicatorSnapshot(Base):
    """One figure of a period as the monthly job computed it. A later run that finds the same
    figures stores nothing; one that finds them changed stores the next revision (the old
    ones stay). No personal data: counts only."""

    __tablename__ = "indicator_snapshot"
    __table_args__ = (
        Index(
            "uq_indicator_snapshot",
            "period",
            "number",
            "category",
            "operator_id",
            "site_id",
            "revision",
            unique=True,
        ),
        Index("ix_indicator_snapshot_period", "period", "operator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))  # « 2026-11 », « 2026-S2 »
    number: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(40), default="")  # "" when none
    operator_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: the nation
    site_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: the whole lot
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    revision: Mapped[int] = mapped_column(SmallInteger)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

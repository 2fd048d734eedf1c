"""issue 15 §3: the regional populations of the recourse rates (empty: INSEE's figures are
loaded with `flask cep load-population`, the demo's by the demo seed) and the monthly
snapshots of the indicators

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "population_region",
        sa.Column("lot_number", sa.SmallInteger(), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("active_population", sa.Integer(), nullable=False),
        sa.Column("cep_population", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=300), nullable=False),
        sa.CheckConstraint(
            "active_population > 0 AND cep_population > 0",
            name=op.f("ck_population_region_positive"),
        ),
        sa.CheckConstraint(
            "lot_number BETWEEN 1 AND 19", name=op.f("ck_population_region_lot_number")
        ),
        sa.PrimaryKeyConstraint("lot_number", "year", name=op.f("pk_population_region")),
    )
    op.create_table(
        "indicator_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("revision", sa.SmallInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_snapshot")),
    )
    op.create_index(
        "uq_indicator_snapshot",
        "indicator_snapshot",
        ["period", "number", "category", "operator_id", "site_id", "revision"],
        unique=True,
    )
    op.create_index("ix_indicator_snapshot_period", "indicator_snapshot", ["period", "operator_id"])


def downgrade() -> None:
    op.drop_index("ix_indicator_snapshot_period", table_name="indicator_snapshot")
    op.drop_index("uq_indicator_snapshot", table_name="indicator_snapshot")
    op.drop_table("indicator_snapshot")
    op.drop_table("population_region")

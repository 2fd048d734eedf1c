"""issue 15 §4: index the livrable moments the daily Annex 2 export scans by day

A livrable version frozen, signed or sealed on a day makes its dossier « changed » that day
(`portal/reporting/annex2._MOMENTS`). Without an index each of these moments is a sequential
scan of its table for every day exported; they grow like `unit` (one to three livrables per
unit), whose moments migration 0023 indexed.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 10:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# (table, column) of every index added here, named `ix_<table>_<column>` like the models'.
INDEXED = (
    ("livrable_version", "frozen_at"),
    ("signature", "recorded_at"),
    ("sealed_document", "sealed_at"),
)


def upgrade() -> None:
    for table, column in INDEXED:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXED):
        op.drop_index(f"ix_{table}_{column}", table_name=table)

"""privacy: the trace of each erasure

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=10), nullable=False),
        sa.Column("unit_numbers", sa.JSON(), nullable=False),
        sa.Column("records", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["erased_by_id"],
            ["staff_member.id"],
            name=op.f("fk_erasure_record_erased_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_erasure_record_operator_id_operator")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_record")),
    )
    with op.batch_alter_table("erasure_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_erasure_record_operator_erased_at", ["operator_id", "erased_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("erasure_record", schema=None) as batch_op:
        batch_op.drop_index("ix_erasure_record_operator_erased_at")
    op.drop_table("erasure_record")

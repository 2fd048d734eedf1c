"""audit: `file_read`, the log of the mediator's reads of a person's dossier (issue 12 §3)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "file_read",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_member_id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_file_read_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_file_read_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_file_read_referral_id_referral")
        ),
        sa.ForeignKeyConstraint(
            ["staff_member_id"],
            ["staff_member.id"],
            name=op.f("fk_file_read_staff_member_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_read")),
    )
    op.create_index(
        "ix_file_read_beneficiary_at", "file_read", ["beneficiary_id", "at"], unique=False
    )
    op.create_index("ix_file_read_referral_at", "file_read", ["referral_id", "at"], unique=False)
    op.create_index(op.f("ix_file_read_dossier_id"), "file_read", ["dossier_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_file_read_dossier_id"), table_name="file_read")
    op.drop_index("ix_file_read_referral_at", table_name="file_read")
    op.drop_index("ix_file_read_beneficiary_at", table_name="file_read")
    op.drop_table("file_read")

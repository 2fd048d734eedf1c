"""esign: a beneficiary's request for a paper copy of a livrable by post (CCTP 2.1.2)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_copy_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Integer(), nullable=False),
        sa.Column("address_lines", sa.Text(), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("town", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_paper_copy_request_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"],
            ["staff_member.id"],
            name=op.f("fk_paper_copy_request_sent_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["livrable_version.id"],
            name=op.f("fk_paper_copy_request_version_id_livrable_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paper_copy_request")),
    )
    op.create_index(op.f("ix_paper_copy_request_version_id"), "paper_copy_request", ["version_id"])
    op.create_index(
        "uq_paper_copy_request_pending",
        "paper_copy_request",
        ["version_id"],
        unique=True,
        postgresql_where=sa.text("sent_at IS NULL"),
        sqlite_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_paper_copy_request_pending", table_name="paper_copy_request")
    op.drop_index(op.f("ix_paper_copy_request_version_id"), table_name="paper_copy_request")
    op.drop_table("paper_copy_request")

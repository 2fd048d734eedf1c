"""esign: online signature requests, and the signing method of each livrable version

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "livrable_version",
        sa.Column("method", sa.String(length=15), server_default="paper", nullable=False),
    )
    op.create_table(
        "signature_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("beneficiary_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=15), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("closure_reason", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code_hmac", sa.String(length=64), nullable=True),
        sa.Column("code_channel", sa.String(length=10), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("code_failures", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_signature_request_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["staff_member.id"],
            name=op.f("fk_signature_request_created_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["livrable_version.id"],
            name=op.f("fk_signature_request_version_id_livrable_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_request")),
    )
    op.create_index(
        "ix_signature_request_version_id_status",
        "signature_request",
        ["version_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_signature_request_version_id_status", table_name="signature_request")
    op.drop_table("signature_request")
    op.drop_column("livrable_version", "method")

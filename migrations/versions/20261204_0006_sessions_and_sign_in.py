"""sessions and sign-in: server-side sessions, staff links (new password, unlock)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("staff_member_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(kind = 'staff' AND staff_member_id IS NOT NULL)"
            " OR (kind = 'beneficiary' AND email IS NOT NULL)",
            name=op.f("ck_user_session_names_its_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_member_id"],
            ["staff_member.id"],
            name=op.f("fk_user_session_staff_member_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("key_sha256", name=op.f("uq_user_session_key_sha256")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index("ix_user_session_email", ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_user_session_staff_member_id"), ["staff_member_id"], unique=False
        )

    op.create_table(
        "staff_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_member_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_member_id"],
            ["staff_member.id"],
            name=op.f("fk_staff_link_staff_member_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_link")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_staff_link_token_sha256")),
    )
    with op.batch_alter_table("staff_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_staff_link_staff_member_id_created_at",
            ["staff_member_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_link", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_link_staff_member_id_created_at")
    op.drop_table("staff_link")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_staff_member_id"))
        batch_op.drop_index("ix_user_session_email")
    op.drop_table("user_session")

"""mediation: the operator's correspondant médiation and the referral's two threads (the
mediator with the person, the mediator with the operator), CCTP 3.7

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 02:50:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# On SQLite, batch mode copies the table; reflecting the tables its foreign keys lead to
# would reach beneficiary's expression index, which SQLAlchemy cannot reflect (a warning).
_NO_FK_REFLECTION: dict[str, Any] = {"reflect_kwargs": {"resolve_fks": False}}


def upgrade() -> None:
    # Batch mode: SQLite (the fallback of a bare run) cannot ALTER a constraint in place.
    with op.batch_alter_table("operator", schema=None, **_NO_FK_REFLECTION) as batch_op:
        batch_op.add_column(sa.Column("mediation_correspondent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_operator_mediation_correspondent_id_staff_member"),
            "staff_member",
            ["mediation_correspondent_id"],
            ["id"],
        )
    op.create_table(
        "referral_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("thread", sa.String(length=10), nullable=False),
        sa.Column("author", sa.String(length=10), nullable=False),
        sa.Column("author_staff_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_staff_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_message_author_staff_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_referral_message_referral_id_referral"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_message")),
    )
    op.create_index(
        "ix_referral_message_referral_thread",
        "referral_message",
        ["referral_id", "thread", "at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_referral_message_referral_thread", table_name="referral_message")
    op.drop_table("referral_message")
    with op.batch_alter_table("operator", schema=None, **_NO_FK_REFLECTION) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_operator_mediation_correspondent_id_staff_member"), type_="foreignkey"
        )
        batch_op.drop_column("mediation_correspondent_id")

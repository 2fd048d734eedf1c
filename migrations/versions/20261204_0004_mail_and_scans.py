"""mail that is not lost, secrets sealed, every scan kept

- outbox_message: first_attempt_at (the give-up clock), operator_id (whose managers see a
  failed message), sealed_secrets (encrypted link tokens), body_purged_at (purge of sent
  bodies).
- signed_scan: one row per upload (the unique constraint on version_id goes; an index stays).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# On SQLite, batch mode copies the table; reflecting the tables its foreign keys lead to
# would reach beneficiary's expression index, which SQLAlchemy cannot reflect (a warning).
_NO_FK_REFLECTION: dict[str, Any] = {"reflect_kwargs": {"resolve_fks": False}}


def upgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None, **_NO_FK_REFLECTION) as batch_op:
        batch_op.add_column(sa.Column("first_attempt_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("operator_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sealed_secrets", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("body_purged_at", sa.DateTime(timezone=True)))
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_message_operator_id_operator"),
            "operator",
            ["operator_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_outbox_message_operator_id_status", ["operator_id", "status"], unique=False
        )
    with op.batch_alter_table("signed_scan", schema=None, **_NO_FK_REFLECTION) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_signed_scan_version_id"), type_="unique")
        batch_op.create_index(batch_op.f("ix_signed_scan_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    # Back to one scan per version: the latest upload of each version is kept.
    op.execute(
        "DELETE FROM signed_scan WHERE id NOT IN "
        "(SELECT max(id) FROM signed_scan GROUP BY version_id)"
    )
    with op.batch_alter_table("signed_scan", schema=None, **_NO_FK_REFLECTION) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signed_scan_version_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_signed_scan_version_id"), ["version_id"])
    with op.batch_alter_table("outbox_message", schema=None, **_NO_FK_REFLECTION) as batch_op:
        batch_op.drop_index("ix_outbox_message_operator_id_status")
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_message_operator_id_operator"), type_="foreignkey"
        )
        batch_op.drop_column("body_purged_at")
        batch_op.drop_column("sealed_secrets")
        batch_op.drop_column("operator_id")
        batch_op.drop_column("first_attempt_at")

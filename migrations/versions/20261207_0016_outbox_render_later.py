"""mail: an outbox row may be rendered by the sender (`render_template`, `render_context`,
`render_locale`): the booking POST no longer renders its confirmation (issue 13 §3)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("render_template", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("render_context", sa.Text(), nullable=True))
        batch.add_column(sa.Column("render_locale", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("render_locale")
        batch.drop_column("render_context")
        batch.drop_column("render_template")

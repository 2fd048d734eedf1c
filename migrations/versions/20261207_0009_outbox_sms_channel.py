"""mail: SMS as a second channel of the outbox (issue 11)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every message queued so far is an e-mail: the server default fills them in.
    op.add_column(
        "outbox_message",
        sa.Column("channel", sa.String(length=10), server_default="email", nullable=False),
    )


def downgrade() -> None:
    # The code before this revision would take an SMS for an e-mail to a phone number.
    op.execute("DELETE FROM outbox_message WHERE channel = 'sms'")
    op.drop_column("outbox_message", "channel")

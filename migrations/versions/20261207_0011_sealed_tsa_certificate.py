"""esign: the SHA-256 of the TSA certificate of a sealed document's RFC 3161 token

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows sealed before stay NULL: the verification reads the certificate from their PDF.
    op.add_column(
        "sealed_document", sa.Column("tsa_certificate_sha256", sa.String(length=64), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("sealed_document", "tsa_certificate_sha256")

"""esign: the signature evidence chain and the sealed documents

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(length=15), nullable=False),
        sa.Column("actor_staff_id", sa.Integer(), nullable=True),
        sa.Column("actor_beneficiary_id", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_signature_event_actor_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_staff_id"],
            ["staff_member.id"],
            name=op.f("fk_signature_event_actor_staff_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["livrable_version.id"],
            name=op.f("fk_signature_event_version_id_livrable_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signature_event")),
        sa.UniqueConstraint(
            "version_id", "sequence", name=op.f("uq_signature_event_version_id_sequence")
        ),
    )
    op.create_table(
        "signature_chain",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["livrable_version.id"],
            name=op.f("fk_signature_chain_version_id_livrable_version"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_signature_chain")),
    )
    op.create_table(
        "sealed_document",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("message_digest", sa.String(length=128), nullable=False),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("timestamp", sa.String(length=10), nullable=False),
        sa.Column("tsa_url", sa.String(length=300), nullable=True),
        sa.Column("chain_length", sa.Integer(), nullable=False),
        sa.Column("chain_head", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["livrable_version.id"],
            name=op.f("fk_sealed_document_version_id_livrable_version"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_sealed_document")),
        sa.UniqueConstraint("message_digest", name=op.f("uq_sealed_document_message_digest")),
    )


def downgrade() -> None:
    op.drop_table("sealed_document")
    op.drop_table("signature_chain")
    op.drop_table("signature_event")

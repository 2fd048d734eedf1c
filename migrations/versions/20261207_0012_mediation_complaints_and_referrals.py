"""mediation: complaints to the operator, their thread and attachments, referrals to the
mediator of France compétences (CCTP 3.7, Annex 2 §3), and the complaint motives as a
`reference_item` list

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:32:01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("beneficiary_id", sa.Integer(), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("motive", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("satisfied", sa.String(length=10), nullable=False),
        sa.Column("satisfied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopened_count", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_acknowledged_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_answered_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"],
            ["beneficiary.id"],
            name=op.f("fk_complaint_beneficiary_id_beneficiary"),
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_complaint_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_complaint_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_recorded_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    op.create_index(
        op.f("ix_complaint_beneficiary_id"), "complaint", ["beneficiary_id"], unique=False
    )
    op.create_index(op.f("ix_complaint_dossier_id"), "complaint", ["dossier_id"], unique=False)
    op.create_index(
        "ix_complaint_operator_status_received",
        "complaint",
        ["operator_id", "status", "received_on"],
        unique=False,
    )
    op.create_index("ix_complaint_received_on", "complaint", ["received_on"], unique=False)
    op.create_table(
        "complaint_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=160), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_attachment_added_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_attachment_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attachment")),
    )
    op.create_index(
        op.f("ix_complaint_attachment_complaint_id"),
        "complaint_attachment",
        ["complaint_id"],
        unique=False,
    )
    op.create_table(
        "complaint_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=10), nullable=False),
        sa.Column("author_staff_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_staff_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_message_author_staff_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_message_complaint_id_complaint"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_message")),
    )
    op.create_index(
        op.f("ix_complaint_message_complaint_id"),
        "complaint_message",
        ["complaint_id"],
        unique=False,
    )
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("referred_by", sa.String(length=10), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("admissible", sa.String(length=10), nullable=False),
        sa.Column("admissibility_reason", sa.Text(), nullable=True),
        sa.Column("admissibility_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("admissibility_decided_by_id", sa.Integer(), nullable=True),
        sa.Column("operator_informed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("access_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("access_requested_by_id", sa.Integer(), nullable=True),
        sa.Column("access_granted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("access_granted_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=15), nullable=True),
        sa.Column("outcome_accepted", sa.Boolean(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["access_granted_by_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_access_granted_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["access_requested_by_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_access_requested_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["admissibility_decided_by_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_admissibility_decided_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_closed_by_id_staff_member"),
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_referral_complaint_id_complaint")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["operator.id"], name=op.f("fk_referral_operator_id_operator")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_recorded_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    op.create_index(op.f("ix_referral_complaint_id"), "referral", ["complaint_id"], unique=False)
    op.create_index(
        "ix_referral_operator_referred_at", "referral", ["operator_id", "referred_at"], unique=False
    )
    op.create_index(
        "uq_referral_open_complaint",
        "referral",
        ["complaint_id"],
        unique=True,
        postgresql_where=sa.text("closed_at IS NULL"),
        sqlite_where=sa.text("closed_at IS NULL"),
    )
    _load_motives()


# The complaint motives of issue 12, as data (France compétences may publish its own list).
# Frozen here, not imported from the application: a migration stays what it was.
MOTIVES = (
    ("accueil", "Accueil", "Reception"),
    ("delai_rendez_vous", "Délai de rendez-vous", "Waiting time for an appointment"),
    ("qualite_conseil", "Qualité du conseil", "Quality of the advice"),
    ("livrable", "Livrable", "Deliverable"),
    ("confidentialite", "Confidentialité", "Confidentiality"),
    ("donnees_personnelles", "Données personnelles", "Personal data"),
    ("autre", "Autre", "Other"),
)


def _load_motives() -> None:
    table = sa.table(
        "reference_item",
        sa.column("list_name", sa.String),
        sa.column("code", sa.String),
        sa.column("label_fr", sa.String),
        sa.column("label_en", sa.String),
        sa.column("parent", sa.String),
        sa.column("position", sa.SmallInteger),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        table,
        [
            {
                "list_name": "complaint_motive",
                "code": code,
                "label_fr": fr,
                "label_en": en,
                "parent": None,
                "position": position,
                "active": True,
            }
            for position, (code, fr, en) in enumerate(MOTIVES)
        ],
    )


def downgrade() -> None:
    op.execute("DELETE FROM reference_item WHERE list_name = 'complaint_motive'")
    op.drop_index("uq_referral_open_complaint", table_name="referral")
    op.drop_index("ix_referral_operator_referred_at", table_name="referral")
    op.drop_index(op.f("ix_referral_complaint_id"), table_name="referral")
    op.drop_table("referral")
    op.drop_index(op.f("ix_complaint_message_complaint_id"), table_name="complaint_message")
    op.drop_table("complaint_message")
    op.drop_index(op.f("ix_complaint_attachment_complaint_id"), table_name="complaint_attachment")
    op.drop_table("complaint_attachment")
    op.drop_index("ix_complaint_received_on", table_name="complaint")
    op.drop_index("ix_complaint_operator_status_received", table_name="complaint")
    op.drop_index(op.f("ix_complaint_dossier_id"), table_name="complaint")
    op.drop_index(op.f("ix_complaint_beneficiary_id"), table_name="complaint")
    op.drop_table("complaint")

"""issue 15: the Annex 2 profile of a dossier (§1); a UO0 recorded by staff, and the number,
purchase order, request and dossier it gets when the person goes on (§2)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 07:21:48.914119
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_profile",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("sexe", sa.String(length=40), nullable=True),
        sa.Column("adresse_numero", sa.String(length=10), nullable=True),
        sa.Column("adresse_type_voie", sa.String(length=40), nullable=True),
        sa.Column("adresse_nom_voie", sa.String(length=150), nullable=True),
        sa.Column("adresse_commune_insee", sa.String(length=5), nullable=True),
        sa.Column("adresse_commune", sa.String(length=100), nullable=True),
        sa.Column("adresse_code_postal", sa.String(length=5), nullable=True),
        sa.Column("entreprise_commune_insee", sa.String(length=5), nullable=True),
        sa.Column("entreprise_commune", sa.String(length=100), nullable=True),
        sa.Column("entreprise_code_postal", sa.String(length=5), nullable=True),
        sa.Column("entreprise_departement", sa.String(length=3), nullable=True),
        sa.Column("handicap", sa.String(length=40), nullable=True),
        sa.Column("niveau_formation", sa.String(length=40), nullable=True),
        sa.Column("secteur_activite", sa.String(length=40), nullable=True),
        sa.Column("taille_entreprise", sa.String(length=40), nullable=True),
        sa.Column("categorie_sociale", sa.String(length=40), nullable=True),
        sa.Column("libelle_secteur", sa.String(length=200), nullable=True),
        sa.Column("libelle_profession", sa.String(length=200), nullable=True),
        sa.Column("statut", sa.String(length=40), nullable=True),
        sa.Column("entree_entreprise", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_dossier_profile_dossier_id_dossier"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["staff_member.id"],
            name=op.f("fk_dossier_profile_updated_by_id_staff_member"),
        ),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_dossier_profile")),
    )
    with op.batch_alter_table("orientation_contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("dossier_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("number", sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column("purchase_order_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("purchase_order_ref", sa.String(length=30), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_orientation_contact_dossier_id"), ["dossier_id"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_orientation_contact_number"), ["number"])
        batch_op.create_unique_constraint(
            batch_op.f("uq_orientation_contact_purchase_order_ref"), ["purchase_order_ref"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_orientation_contact_request_id"), ["request_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_orientation_contact_purchase_order_id_purchase_order"),
            "purchase_order",
            ["purchase_order_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_orientation_contact_request_id_appointment_request"),
            "appointment_request",
            ["request_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_orientation_contact_dossier_id_dossier"),
            "dossier",
            ["dossier_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_orientation_contact_recorded_by_id_staff_member"),
            "staff_member",
            ["recorded_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("orientation_contact", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_orientation_contact_recorded_by_id_staff_member"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_orientation_contact_dossier_id_dossier"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_orientation_contact_request_id_appointment_request"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_orientation_contact_purchase_order_id_purchase_order"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(batch_op.f("uq_orientation_contact_request_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("uq_orientation_contact_purchase_order_ref"), type_="unique"
        )
        batch_op.drop_constraint(batch_op.f("uq_orientation_contact_number"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_orientation_contact_dossier_id"))
        batch_op.drop_column("purchase_order_ref")
        batch_op.drop_column("purchase_order_id")
        batch_op.drop_column("number")
        batch_op.drop_column("dossier_id")
        batch_op.drop_column("request_id")
        batch_op.drop_column("recorded_by_id")

    op.drop_table("dossier_profile")

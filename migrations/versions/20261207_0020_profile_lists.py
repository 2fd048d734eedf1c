"""issue 15 §1: the reference lists of the beneficiary profile (sexe, type_voie, handicap,
niveau_formation, secteur_activite, taille_entreprise, categorie_sociale, statut)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None
# Rows only: the migrations test steps down past it to find a schema change.
DATA_ONLY = True


def _table() -> sa.TableClause:
    return sa.table(
        "reference_item",
        sa.column("list_name", sa.String),
        sa.column("code", sa.String),
        sa.column("label_fr", sa.String),
        sa.column("label_en", sa.String),
        sa.column("parent", sa.String),
        sa.column("position", sa.SmallInteger),
        sa.column("active", sa.Boolean),
    )


def upgrade() -> None:
    from portal.people.profile_lists import PROFILE_ITEMS

    rows = [
        {
            "list_name": list_name,
            "code": code,
            "label_fr": fr,
            "label_en": en,
            "parent": parent,
            "position": position,
            "active": True,
        }
        for position, (list_name, code, fr, en, parent) in enumerate(PROFILE_ITEMS)
    ]
    op.bulk_insert(_table(), rows)


def downgrade() -> None:
    from portal.people.profile_lists import PROFILE_LISTS

    table = _table()
    op.execute(table.delete().where(table.c.list_name.in_(PROFILE_LISTS)))

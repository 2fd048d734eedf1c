"""issue 15 §1: the motives people give become codes of the Annex 2 reference lists
(reconversion → changer_metier, creation_entreprise → creer_entreprise, formation → se_former)

Data only: the rows of the front door's contacts and of the booking requests keep their
motive under its new code. Stepping down gives them back their former values.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# Frozen here, as a migration must not change with the code: the same pairs as
# `portal.reference.FORMER_MOTIFS` (`tests/unit/test_motif_vocabulary.py` compares them).
RENAMED = {
    "reconversion": "changer_metier",
    "creation_entreprise": "creer_entreprise",
    "formation": "se_former",
}
# Every column that holds a `portal.reference.Motif`.
COLUMNS = (("appointment_request", "motif"), ("orientation_contact", "motif"))
# Tells `tests/web/test_migrations.py` that stepping down changes rows, not the schema.
DATA_ONLY = True


def _rename(pairs: dict[str, str]) -> None:
    for table, column in COLUMNS:
        for old, new in pairs.items():
            # The names come from COLUMNS above, the values are bound.
            update = f"UPDATE {table} SET {column} = :new WHERE {column} = :old"  # noqa: S608
            op.execute(sa.text(update).bindparams(old=old, new=new))


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED.items()})

"""network: `network_version`, one row changed by triggers on every write to the network
(issue 13 §3: the locator holds the network in memory per worker and checks this row once per
request)

Triggers rather than application code, so that every path that writes an operator, a site,
its hours or its closures (the manager's screens, the demo, a CLI, a hand-written UPDATE)
changes the version in its own transaction. The new value is never one used before, even by a
transaction that rolled back (PostgreSQL: a sequence; SQLite, for development: a random
64-bit number): a snapshot built inside a transaction that later rolled back can never be
taken for a committed state. The row lock of the UPDATE orders the writers' commits.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("operator", "site", "opening_hours", "site_closure")
BUMP = "UPDATE network_version SET version = random() WHERE id = 1;"


def upgrade() -> None:
    op.create_table(
        "network_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_network_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_version")),
    )
    op.execute("INSERT INTO network_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE network_version_seq START 2")
        op.execute(
            """
            CREATE FUNCTION bump_network_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE network_version SET version = nextval('network_version_seq') WHERE id = 1;
                RETURN NULL;
            END
            $$
            """
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_network_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_network_version()"
            )
    else:
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"{table}_network_version_{event.lower()}"
                op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_network_version ON {table}")
        op.execute("DROP FUNCTION bump_network_version()")
        op.execute("DROP SEQUENCE network_version_seq")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_network_version_{event}")
    op.drop_table("network_version")

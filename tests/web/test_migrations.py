"""The Alembic migrations build exactly the schema the models describe, and step back.

On a database of its own (created on the test server, dropped after), so that the schema the
rest of the suite shares is never touched. A model changed without its migration, or a
migration that forgets a column, an index or a constraint, fails here with Alembic's list of
differences.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Connection, MetaData, Table, create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal.cli import alembic_config
from tests.conftest import make_app

# SQLite (the fallback of a bare `pytest`) cannot reflect the expression index on
# lower(email); PostgreSQL, which `make test` runs on, compares it too.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based"),
]


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"cep_migrations_{uuid.uuid4().hex[:8]}"
    server = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@pytest.fixture
def migrating(empty_database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, Config]]:
    app = make_app(empty_database_url, tmp_path)
    cfg = alembic_config()
    cfg.attributes["app"] = app
    yield app, cfg
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()


def differences(app: Flask) -> list[object]:
    """Alembic's list of what the database lacks or has beyond the models (as `alembic
    check` compares them, column types included); empty when they match."""
    import portal.models  # noqa: F401  (registers every table)
    from portal.db import Base
    from portal.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def tables(app: Flask) -> set[str]:
    with app.app_context():
        from portal.extensions import db

        return set(inspect(db.engine).get_table_names())


def reference_items(app: Flask) -> int:
    with app.app_context():
        from portal.extensions import db

        with db.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM reference_item").scalar_one())


def steps_to_last_schema_change(cfg: Config) -> int:
    """How many steps down undo the last migration that changes the schema: a data migration
    (`DATA_ONLY = True` in its module) changes rows, which the models cannot tell."""
    steps = 0
    for script in ScriptDirectory.from_config(cfg).walk_revisions():
        steps += 1
        if not getattr(script.module, "DATA_ONLY", False):
            break
    return steps


def test_upgrade_head_on_an_empty_database_matches_the_models(
    migrating: tuple[Flask, Config],
) -> None:
    app, cfg = migrating
    command.upgrade(cfg, "head")
    assert differences(app) == []
    command.check(cfg)  # the same question through Alembic's own command: raises on a diff
    assert {"appointment", "unit", "livrable_version", "outbox_message"} <= tables(app)


def test_the_last_migration_steps_down_and_back_up(migrating: tuple[Flask, Config]) -> None:
    app, cfg = migrating
    command.upgrade(cfg, "head")
    head = ScriptDirectory.from_config(cfg).get_current_head()
    before = tables(app)
    items_before = reference_items(app)

    command.downgrade(cfg, f"-{steps_to_last_schema_change(cfg)}")
    # Stepping down really undoes something that the models still describe.
    assert differences(app) != []

    command.upgrade(cfg, "head")
    assert differences(app) == []
    assert tables(app) == before
    assert reference_items(app) == items_before
    with app.app_context():
        from portal.extensions import db

        with db.engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == head


def _insert(conn: Connection, name: str, **values: object) -> int:
    """A row with the given values, and any other NOT NULL column filled with a plain value."""
    table = Table(name, MetaData(), autoload_with=conn)
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        python_type = column.type.python_type
        plain: dict[type, object] = {str: "x", int: 1, bool: False, date: date(2026, 11, 2)}
        values[column.name] = plain.get(python_type, datetime(2026, 11, 2, tzinfo=UTC))
    return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])


def test_the_motive_codes_step_renames_the_stored_motives_and_back(
    migrating: tuple[Flask, Config],
) -> None:
    """Issue 15 §1: the motives stored before the public list became reference codes."""
    app, cfg = migrating
    step = next(
        script
        for script in ScriptDirectory.from_config(cfg).walk_revisions()
        if script.path.endswith("_motif_codes.py")
    )
    before = str(step.down_revision)
    command.upgrade(cfg, before)
    former = ["reconversion", "creation_entreprise", "formation", "projet", None]
    with app.app_context():
        from portal.extensions import db

        with db.engine.begin() as conn:
            operator = _insert(conn, "operator", code="AB")
            person = _insert(conn, "beneficiary")
            for n, motif in enumerate(former):
                _insert(conn, "orientation_contact", key=f"k{n}", motif=motif)
                _insert(
                    conn,
                    "appointment_request",
                    idempotency_key=f"r{n}",
                    motif=motif,
                    operator_id=operator,
                    competent_operator_id=operator,
                    beneficiary_id=person,
                )

    def stored() -> list[list[str | None]]:
        with app.app_context(), db.engine.connect() as conn:
            return [
                list(conn.scalars(text(f"SELECT motif FROM {table} ORDER BY id")))
                for table in ("orientation_contact", "appointment_request")
            ]

    command.upgrade(cfg, step.revision)
    renamed = ["changer_metier", "creer_entreprise", "se_former", "projet", None]
    assert stored() == [renamed, renamed]
    command.downgrade(cfg, before)
    assert stored() == [former, former]


def test_a_new_installation_has_no_population_figure(migrating: tuple[Flask, Config]) -> None:
    """The recourse rates (2.1–2.4) say their population is missing until INSEE's figures are
    loaded: no migration loads made-up ones (the demo seed does, marked « démonstration »)."""
    app, cfg = migrating
    command.upgrade(cfg, "head")
    with app.app_context():
        from portal.extensions import db

        with db.engine.connect() as conn:
            count = conn.exec_driver_sql("SELECT count(*) FROM population_region").scalar_one()
    assert count == 0

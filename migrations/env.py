"""Alembic environment: the application's engine and the portal's metadata."""

from __future__ import annotations

from alembic import context

import portal.models  # noqa: F401  (registers every table)
from portal.db import Base

config = context.config


def _app():  # type: ignore[no-untyped-def]
    app = config.attributes.get("app")
    if app is None:
        from portal import create_app

        app = create_app()
    return app


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write our UTCDateTime as the column type it stores, so revisions import no app code."""
    from portal.db import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    app = _app()
    with app.app_context():
        from portal.extensions import db

        with db.engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
                render_item=_render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()


run_migrations_online()

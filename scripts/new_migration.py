"""Write the next Alembic revision by comparing the models with a scratch SQLite base at head.

Usage: PYTHONPATH=. .venv/bin/python scripts/new_migration.py "message" 0002
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from portal import create_app
from portal.cli import alembic_config


def main(message: str, rev_id: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'scratch.sqlite3'}"
        app = create_app({"SQLALCHEMY_ENGINES": {"default": url}, "SECRET_KEY": "scratch"})
        with app.app_context():
            cfg = alembic_config()
            cfg.attributes["app"] = app
            command.upgrade(cfg, "head")
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

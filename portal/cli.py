"""`flask cep …` commands: migrations and demo data. Each is safe to run again."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup

cep = AppGroup("cep", help="Commandes du portail CEP.")

ROOT = Path(__file__).resolve().parent.parent


def alembic_config() -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return cfg


@cep.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply the database migrations (to the latest by default)."""
    cfg = alembic_config()
    cfg.attributes["app"] = current_app._get_current_object()  # type: ignore[attr-defined]
    command.upgrade(cfg, revision)


@cep.command("seed-demo")
@click.option("--force", is_flag=True, help="Load even if operators already exist.")
def seed_demo(force: bool) -> None:
    """Load the deterministic demo network (18 fictional operators) when the base is empty."""
    from portal.booking.slots import materialise_slots
    from portal.clock import today_in_france
    from portal.demo import load_demo
    from portal.demo.access import DEMO_PASSWORD, give_demo_passwords
    from portal.extensions import db

    created = load_demo(db.session, force=force)
    if created.startswith("demo data already present"):
        click.echo(created)
        return
    give_demo_passwords(db.session, DEMO_PASSWORD)
    db.session.commit()
    click.echo(f"{created}; staff sign in with the password {DEMO_PASSWORD}")
    report = materialise_slots(
        db.session,
        today=today_in_france(),
        horizon_days=current_app.config["BOOKING_HORIZON_DAYS"],
    )
    db.session.commit()
    click.echo(f"slots: {report.created} created, {report.withdrawn} withdrawn")


def init_app(app: Flask) -> None:
    from portal.advisor import cli as advisor_cli
    from portal.auth import cli as auth_cli
    from portal.backup import cli as backup_cli
    from portal.booking import cli as booking_cli
    from portal.esign import cli as esign_cli
    from portal.mail import cli as mail_cli
    from portal.mediation import cli as mediation_cli
    from portal.network import cli as network_cli
    from portal.privacy import cli as privacy_cli
    from portal.reporting import annex2_cli, indicator_cli

    features = (advisor_cli, auth_cli, booking_cli, esign_cli, mail_cli, mediation_cli)
    for feature in (*features, privacy_cli, network_cli, backup_cli, annex2_cli, indicator_cli):
        feature.register(cep)
    app.cli.add_command(cep)

"""`flask cep reposition-sites`: sites take their commune's position from the gazetteer."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.geo.gazetteer import get_gazetteer
from portal.network.positions import reposition_sites


@click.command("reposition-sites")
@with_appcontext
def reposition() -> None:
    """Move every site to its commune's position in the packaged gazetteer.

    Run once after deploying a rebuilt gazetteer; safe to run again (nothing moves then).
    """
    moved = reposition_sites(db.session, gazetteer=get_gazetteer())
    db.session.commit()
    click.echo(f"sites repositioned={moved}")


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""
    group.add_command(reposition)

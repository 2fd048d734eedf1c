"""`flask cep materialise-slots` and `flask cep send-reminders`."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""

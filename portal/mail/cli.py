"""`flask cep send-mail` (stub: the mail work fills it in)."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""

"""`flask cep set-password EMAIL`: give a staff member a password."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.auth.services import MIN_PASSWORD_LENGTH, AuthError, AuthErrorCode, set_password


def register(group: click.Group) -> None:
    """Add this feature's commands to the `flask cep` group."""
    group.add_command(set_password_command)


@click.command("set-password")
@click.argument("email")
@with_appcontext
def set_password_command(email: str) -> None:
    """Set the password of a staff member (asked twice, hidden); signs out their sessions."""
    from portal.extensions import db

    password = click.prompt(
        "New password", hide_input=True, confirmation_prompt="Repeat the password"
    )
    try:
        staff = set_password(db.session, email=email, password=password)
    except AuthError as error:
        db.session.rollback()
        if error.code is AuthErrorCode.UNKNOWN_STAFF:
            raise click.ClickException(f"No staff member has the e-mail {email}.") from error
        raise click.ClickException(
            f"Too short: a password has at least {MIN_PASSWORD_LENGTH} characters."
        ) from error
    db.session.commit()
    click.echo(f"Password set for {staff.full_name} <{staff.email}>; their open sessions end.")

"""Sign-in for the demo staff: one password for every demo member.

Hashing a password takes a deliberate fraction of a second (scrypt); hashing one per member of
the demo network (some 2,200) would take minutes, so every demo member gets the same hash,
computed once. Demo only: real members each set their own with `flask cep set-password`.
"""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from portal.auth.services import hash_password
from portal.network.models import StaffMember

# Every demo e-mail ends with this (RFC 2606 reserves .example): see portal/demo. Staff of no
# operator (the mediator) have the domain itself: mediateur@cep-demo.example.
DEMO_EMAIL_SUFFIX = ".cep-demo.example"
DEMO_DOMAIN_SUFFIX = "@cep-demo.example"
# Printed by `flask cep seed-demo` and in the README; never used outside the demo network.
DEMO_PASSWORD = "cep-demo-2026"  # noqa: S105


def give_demo_passwords(session: Session, password: str) -> int:
    """Set `password` on every demo staff member; returns how many were set."""
    result = session.execute(
        update(StaffMember)
        .where(
            or_(
                StaffMember.email.endswith(DEMO_EMAIL_SUFFIX),
                StaffMember.email.endswith(DEMO_DOMAIN_SUFFIX),
            )
        )
        .values(password_hash=hash_password(password))
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]

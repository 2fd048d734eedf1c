"""Demo directory of complementary services (to be written)."""

from __future__ import annotations

from sqlalchemy.orm import Session


def add_demo_directory(session: Session) -> int:
    return 0

"""Demo dossiers for a few demo advisors (to be written)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session


def add_demo_dossiers(session: Session, today: date) -> int:
    return 0

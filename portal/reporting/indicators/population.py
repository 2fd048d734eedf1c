"""The regional populations the recourse rates divide by (2.1–2.4): read from a CSV file
(validated: every error with its line), loaded into `population_region` (idempotent: a lot's
year is replaced by what the file says).

The file: a header `lot_number,year,active_population,cep_population,source,source_url`, then
one line per lot and year, UTF-8. `source` is required: figures never come without where they
come from (« démonstration » for made-up ones).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.reporting.models import PopulationRegion

COLUMNS = ("lot_number", "year", "active_population", "cep_population", "source", "source_url")
# Made-up figures of the right order, marked « démonstration »: loaded by `flask cep seed-demo`
# only. A real installation loads INSEE's with `flask cep load-population`; until then the
# recourse rates (2.1–2.4) say their population is missing rather than divide by a guess.
DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "population_region_demo.csv"


class PopulationFileError(ValueError):
    """The file cannot be loaded; `problems` lists each one with its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class PopulationRow:
    lot_number: int
    year: int
    active_population: int
    cep_population: int
    source: str
    source_url: str


def _integer(text: str, name: str, low: int, high: int, line: int, problems: list[str]) -> int:
    try:
        value = int(text.strip().replace(" ", "").replace("\u202f", ""))
    except ValueError:
        problems.append(f"line {line}: {name} is not a whole number: {text!r}")
        return 0
    if not low <= value <= high:
        problems.append(f"line {line}: {name} must be between {low} and {high}: {value}")
    return value


def read_population_csv(text: str) -> list[PopulationRow]:
    """The rows of the file, or PopulationFileError listing every problem."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise PopulationFileError([f"line 1: the header must be {','.join(COLUMNS)}"])
    rows: list[PopulationRow] = []
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            problems.append(f"line {line}: {len(COLUMNS)} columns expected, {len(cells)} found")
            continue
        lot = _integer(cells[0], "lot_number", 1, 19, line, problems)
        year = _integer(cells[1], "year", 1990, 2100, line, problems)
        active = _integer(cells[2], "active_population", 1, 20_000_000, line, problems)
        cep = _integer(cells[3], "cep_population", 1, 20_000_000, line, problems)
        if cep > active:
            problems.append(f"line {line}: cep_population is larger than active_population")
        source, url = cells[4].strip(), cells[5].strip()
        if not source:
            problems.append(f"line {line}: source is required")
        if url and not url.startswith(("https://", "http://")):
            problems.append(f"line {line}: source_url must be a web address")
        if (lot, year) in seen:
            problems.append(f"line {line}: lot {lot}, year {year} given twice")
        seen.add((lot, year))
        rows.append(PopulationRow(lot, year, active, cep, source[:300], url[:300]))
    if problems:
        raise PopulationFileError(problems)
    if not rows:
        raise PopulationFileError(["the file holds no figures"])
    return rows


def load_population(session: Session, rows: list[PopulationRow]) -> tuple[int, int]:
    """Insert or replace each lot's year; (added, changed). Flushes, never commits."""
    known = {
        (p.lot_number, p.year): p
        for p in session.scalars(
            select(PopulationRegion).where(
                PopulationRegion.lot_number.in_({r.lot_number for r in rows})
            )
        )
    }
    added = changed = 0
    for row in rows:
        found = known.get((row.lot_number, row.year))
        values = {
            "active_population": row.active_population,
            "cep_population": row.cep_population,
            "source": row.source,
            "source_url": row.source_url,
        }
        if found is None:
            session.add(PopulationRegion(lot_number=row.lot_number, year=row.year, **values))
            added += 1
        elif any(getattr(found, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(found, key, value)
            changed += 1
    session.flush()
    return added, changed

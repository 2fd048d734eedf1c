"""Where the time goes (`bench/booking.py --profile`), in-process: for one request of each
search page and for one booking, every SQL statement with its time, the PostgreSQL plan of the
slowest statement, and the Python functions that cost the most over repeated requests."""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

REPEATS = 50
FUNCTIONS = r"portal/|jinja2/environment|flask/templating|flask_wtf/csrf|wtforms/form"


@contextmanager
def statements() -> Iterator[list[tuple[str, Any, float]]]:
    """The SQL statements run inside the block: (statement, parameters, ms)."""
    from sqlalchemy import event

    from bench.app import app
    from portal.extensions import db

    seen: list[tuple[str, Any, float]] = []
    started: list[float] = []

    def before(*_: Any) -> None:
        started.append(time.perf_counter())

    def after(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters, (time.perf_counter() - started.pop()) * 1000))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def explain(statement: str, parameters: Any) -> list[str]:
    from bench.app import app
    from portal.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [str(line) for line in plan.scalars()]
        conn.rollback()  # EXPLAIN ANALYZE of a write runs it: never keep it
    return lines


def show(title: str, request: Callable[[], Any], repeat: Callable[[], Any]) -> None:
    with statements() as seen:
        began = time.perf_counter()
        request()
        total = (time.perf_counter() - began) * 1000
    sql = sum(ms for *_, ms in seen)
    print(
        f"\nPROFILE {title}: {total:.1f} ms, SQL {sql:.1f} ms in {len(seen)} statements, "
        f"the rest (Python, driver) {total - sql:.1f} ms"
    )
    for statement, _, ms in seen:
        print(f"  {ms:7.2f} ms  {_short(statement)}")
    reads = [s for s in seen if s[0].lstrip().upper().startswith("SELECT")]
    if reads:
        slowest, parameters, _ = max(reads, key=lambda s: s[2])
        print("  plan of the slowest SELECT:")
        print("\n".join(f"    {line}" for line in explain(slowest, parameters)))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REPEATS):
        repeat()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(FUNCTIONS, 25)
    stats.sort_stats("tottime").print_stats(12)
    print(f"  Python profile of {REPEATS} requests (times are totals; divide by {REPEATS}):")
    print("\n".join(f"    {line}" for line in out.getvalue().splitlines() if line.strip()))


def profile_search(commune: str, queries: dict[str, str]) -> None:
    from bench.app import app

    client = app.test_client()
    for name, query in queries.items():
        path = f"/rendez-vous?commune={commune}{query}"
        for _ in range(5):
            client.get(path)
        show(f"search, {name} — {path}", lambda p=path: client.get(p), lambda p=path: client.get(p))


def profile_booking(today: date, commune: str = "75056") -> None:
    from bench.app import app
    from bench.booking_http import CSRF
    from bench.booking_load import free_slots

    client = app.test_client()
    slots = iter(free_slots(today, REPEATS + 6))
    page = client.get(f"/rendez-vous/creneau/{next(slots)[0]}?commune={commune}")
    token = CSRF.search(page.get_data(as_text=True))
    assert token

    def one() -> None:
        slot_id, modality = next(slots)
        key = uuid.uuid4().hex
        form = {
            "csrf_token": token.group(1),
            "key": key,
            "slot": str(slot_id),
            "commune": commune,
            "last_name": "Profil",
            "first_name": "Camille",
            "email": f"profil.{key[:12]}@exemple.example",
            "phone": "06 12 34 56 78",
            "birth_date": "1985-07-14",
            "modality": modality,
            "consent": "y",
        }
        response = client.post("/rendez-vous/reserver", data=form)
        assert response.status_code == 303, response.status_code
        with client.session_transaction() as session:
            session.pop("_flashes", None)  # the confirmation page would consume it

    for _ in range(4):
        one()
    show("booking — POST /rendez-vous/reserver", one, one)


def _short(statement: str) -> str:
    flat = re.sub(r"\s+", " ", statement)
    return flat if len(flat) <= 160 else flat[:110] + " … " + flat[-45:]

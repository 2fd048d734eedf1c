"""The application as benchmarked, plus a bare endpoint measured in the same run.

With BENCH_TIMING=1 in the environment, every response also carries
`Server-Timing: app;dur=<ms>, sql;dur=<ms>;desc="<statements>"`: the time the server spent on
the request (routing, CSRF, view, rendering) and the time and number of SQL statements it ran
(counted with a `before_cursor_execute` event on the engine), so that figures taken through
gunicorn are server times too; `X-Bench-Worker` names the process that served it. Off by
default: `bench/locate.py` measures the plain app.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import event

from portal import create_app
from portal.extensions import db

app = create_app()


@app.get("/_bench/bare")
def bare() -> ResponseReturnValue:
    return jsonify({"ok": True})


def instrument(flask_app: Flask) -> None:
    """Stamp each response with its server time, SQL time and SQL statement count."""
    state = threading.local()  # one request at a time per thread, under gthread as in-process

    def before_cursor(*_: Any) -> None:
        if getattr(state, "active", False):
            state.queries += 1
            state.sql_started = time.perf_counter()

    def after_cursor(*_: Any) -> None:
        if getattr(state, "active", False):
            state.sql += time.perf_counter() - state.sql_started

    with flask_app.app_context():
        event.listen(db.engine, "before_cursor_execute", before_cursor)
        event.listen(db.engine, "after_cursor_execute", after_cursor)
    inner = flask_app.wsgi_app

    def timed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        state.active, state.queries, state.sql = True, 0, 0.0
        began = time.perf_counter()

        def stamped(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            # Flask calls start_response once the response is rendered: the whole request.
            elapsed = (time.perf_counter() - began) * 1000
            timing = f'app;dur={elapsed:.3f}, sql;dur={state.sql * 1000:.3f};desc="{state.queries}"'
            headers.append(("Server-Timing", timing))
            headers.append(("X-Bench-Worker", str(os.getpid())))
            return start_response(status, headers, *exc)

        return inner(environ, stamped)

    flask_app.wsgi_app = timed  # type: ignore[method-assign]


def server_timing(header: str) -> tuple[float, float, int]:
    """(server ms, SQL ms, SQL statements) from a Server-Timing header set by `instrument`."""
    app_part, sql_part = (part.strip() for part in header.split(","))
    server = float(app_part.split("dur=")[1])
    sql_ms, desc = sql_part.split("dur=")[1].split(";desc=")
    return server, float(sql_ms), int(desc.strip('"'))


if os.environ.get("BENCH_TIMING") == "1":
    instrument(app)

if os.environ.get("BENCH_BEFORE") == "mail":  # the booking POST as before issue 13 §3
    from bench.booking_before import mail_in_request

    mail_in_request()

# As `wsgi.py` does in production: everything loaded so far taken out of the cyclic garbage
# collector, so that the pages are measured as they are served (until 2026-12-07 the bench's
# app did not, and a heavy page's p95 carried the collector's full passes).
gc.freeze()

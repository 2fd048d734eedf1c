"""`make run`'s server: werkzeug's development server (threads) on loopback,
without its « Server: Werkzeug » banner (`flask run` cannot be given a request handler).
Production runs gunicorn with `gunicorn.conf.py`, which drops gunicorn's banner too."""

from __future__ import annotations

import argparse

from werkzeug.serving import run_simple

from portal import create_app
from portal.security import QuietRequestHandler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    run_simple(
        args.host, args.port, create_app(), threaded=True, request_handler=QuietRequestHandler
    )


if __name__ == "__main__":
    main()

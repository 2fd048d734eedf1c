"""The application as benchmarked, plus a bare endpoint measured in the same run."""

from flask import jsonify
from flask.typing import ResponseReturnValue

from portal import create_app

app = create_app()


@app.get("/_bench/bare")
def bare() -> ResponseReturnValue:
    return jsonify({"ok": True})

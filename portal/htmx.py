"""A thin layer over htmx-flask: the request shape, and the fragment-or-page rule.

A view renders the whole page, or only its fragment when htmx asks for it (not for a boosted
link, not for a history restore); either way the response varies on HX-Request.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template
from htmx_flask import Htmx
from htmx_flask import request as htmx_request

htmx = Htmx()


def is_fragment_request() -> bool:
    hx = htmx_request.htmx
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render(page: str, fragment: str, **context: Any) -> Response:
    template = fragment if is_fragment_request() else page
    response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response

"""Which parts of an e-mail's link are secrets, for `enqueue_mail(secrets=…)`.

The link is built elsewhere (from PUBLIC_BASE_URL and the route); here its token is found by
matching the link against the application's routes: a route argument, a query parameter or
a fragment named or carrying a token. A link expected to carry a token and carrying none is
an error, so that a change of URL shape can never leak a token into the outbox silently.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

# A token shorter than this is no token (and would match ordinary words of the body).
_MIN_TOKEN = 16


def link_secrets(link: str, name: str) -> dict[str, str]:
    """{name: token} for the token of `link`; ValueError when it carries none."""
    parts = urlsplit(link)
    found = [unquote(value) for key, value in parse_qsl(parts.query) if "token" in key]
    if len(parts.fragment) >= _MIN_TOKEN:
        found.append(unquote(parts.fragment))
    adapter = current_app.url_map.bind("localhost")
    segments = parts.path.split("/")
    # PUBLIC_BASE_URL may carry a path of its own before the route's.
    for start in range(1, len(segments)):
        try:
            _endpoint, values = adapter.match("/" + "/".join(segments[start:]), method="GET")
        except (HTTPException, RequestRedirect):
            continue
        found += [str(value) for key, value in values.items() if "token" in key]
        break
    tokens = [token for token in found if len(token) >= _MIN_TOKEN]
    if not tokens:
        raise ValueError("this link carries no token to keep out of the outbox")
    return {f"{name}_{number}" if number else name: token for number, token in enumerate(tokens)}

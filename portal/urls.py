"""Absolute links that leave the request (e-mails, PDFs, .ics files, feeds).

They are built from the configured public address (PUBLIC_BASE_URL), never from the Host
header of the request that happens to cause them: a booking posted with `Host: evil.example`
must not send the person a link to evil.example (issue 10).
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def public_url(endpoint: str, locale: str | None = None, **values: Any) -> str:
    """PUBLIC_BASE_URL and the route's own path; `?lang=` opens the page in the person's
    language when it is not the default one. Works inside and outside a request (cron)."""
    if locale and locale != current_app.config["LANGUAGES"][0]:
        values["lang"] = locale
    path = current_app.url_map.bind("").build(endpoint, values)
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/") + path

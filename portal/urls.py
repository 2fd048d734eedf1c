"""Absolute links that leave the request (e-mails, PDFs, .ics files, feeds).

They are built from the configured public address (PUBLIC_URL, or PUBLIC_BASE_URL, its older
name), never from the Host header of the request that happens to cause them: a booking
posted with `Host: evil.example` must not send the person a link to evil.example (issue 10).

One exception, for development only (`PUBLIC_URL_FROM_REQUEST`, set when neither variable
is): the links follow the address the developer's browser used (`make run` on another
$PORT), the Host having passed TRUSTED_HOSTS (loopback). Production never reads the Host.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request


def public_base_url() -> str:
    """The start of every absolute link, without a trailing slash."""
    config = current_app.config
    if config.get("PUBLIC_URL_FROM_REQUEST") and has_request_context():
        return str(request.host_url).rstrip("/")
    return str(config["PUBLIC_BASE_URL"]).rstrip("/")


def public_url(endpoint: str, locale: str | None = None, **values: Any) -> str:
    """The public base URL and the route's own path; `?lang=` opens the page in the person's
    language when it is not the default one. Works inside and outside a request (cron)."""
    if locale and locale != current_app.config["LANGUAGES"][0]:
        values["lang"] = locale
    path = current_app.url_map.bind("").build(endpoint, values)
    return public_base_url() + path

"""What the web layer knows of a step's origin, for the evidence."""

from __future__ import annotations

from flask import request

from portal.esign.evidence import Origin


def request_origin() -> Origin:
    """The client's address as the server saw it (behind a proxy: the proxy's, unless the
    deployment sets ProxyFix) and its user agent."""
    return Origin(ip=request.remote_addr, user_agent=request.user_agent.string or None)

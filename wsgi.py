"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`.

Behind a reverse proxy, set TRUSTED_PROXIES to the number of proxies in front of the
application, so that the sign-in rate limit sees each person's address, not the proxy's.
"""

import gc
import os

from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app

app = create_app()
_proxies = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)
if _proxies:
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app, x_for=_proxies, x_proto=_proxies, x_host=_proxies
    )

# Everything loaded so far (the app, the gazetteer, templates) lives as long as the worker:
# take it out of the cyclic garbage collector, whose full passes over it cost ~75 ms on one
# request in eight of a heavy page (bench/RESULTS.md, advisor workspace).
gc.freeze()

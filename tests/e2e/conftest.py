"""End-to-end fixtures: the application served on a free loopback port, Debian's chromium,
and an accessibility scan helper (axe-core, shipped inside axe-playwright-python)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page
from werkzeug.serving import make_server

from portal.security import QuietRequestHandler

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in e-mails are built from the public address (portal/urls.py): here, this server.
    public, app.config["PUBLIC_BASE_URL"] = app.config["PUBLIC_BASE_URL"], url
    yield url
    app.config["PUBLIC_BASE_URL"] = public
    server.shutdown()


# Every page reports a blocked script, style or request to the console: the journey fails on
# the first one, so that the content security policy (portal/security.py) never breaks a page.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture(autouse=True)
def csp_violations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Watches every browser context a journey opens (pytest-playwright's or its own)."""
    seen: list[str] = []
    new_context = Browser.new_context

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            seen.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def watched(self: Browser, *args: Any, **kwargs: Any) -> BrowserContext:
        context = new_context(self, *args, **kwargs)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("console", on_console)
        return context

    monkeypatch.setattr(Browser, "new_context", watched)
    yield seen
    assert not seen, "Content security policy violations:\n" + "\n".join(seen)


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """No moderate, serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    bad = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("moderate", "serious", "critical")
    ]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + ", ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"Accessibility violations on {page.url}:\n{report}"

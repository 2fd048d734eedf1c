"""CEP portal: the application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    from portal import config

    app.config.from_mapping(config.load(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)

    from portal.extensions import babel, csrf, db, htmx
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    from portal import api, cli, i18n, public
    from portal.locator import views as locator_views

    app.register_blueprint(i18n.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(locator_views.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # read-only GET API
    cli.init_app(app)
    i18n.init_templates(app)
    return app

"""CEP portal: the application factory."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request

# Requests that may write: their SQLite transactions take the write lock from the start.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, instance_relative_config=True, static_folder=str(root / "static"))
    from portal import config

    app.config.from_mapping(config.load(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    from portal.mail.sms_backends import check_sms_config

    check_sms_config(app.config)  # a production server without its SMS provider stops here
    from portal.routing import IdConverter

    app.url_map.converters["id"] = IdConverter  # before any route names an <id:…>

    from portal.extensions import babel, csrf, db, htmx
    from portal.i18n import select_locale, select_timezone

    db.init_app(app)
    # flask-sqlalchemy-lite also registers an async teardown for async engines, which we do not
    # use; Flask would run it through asgiref on every request (and it fails when the thread
    # already runs an event loop, as under Playwright).
    app.teardown_appcontext_funcs[:] = [
        func for func in app.teardown_appcontext_funcs if not inspect.iscoroutinefunction(func)
    ]
    with app.app_context():
        from portal.db import use_real_sqlite_transactions

        use_real_sqlite_transactions(
            db.engine,
            journal_mode=app.config["SQLITE_JOURNAL_MODE"],
            busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"],
            writes=lambda: has_request_context() and request.method not in SAFE_METHODS,
        )
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    from portal import api, cli, i18n, manage, public
    from portal.advisor import views as advisor_views
    from portal.auth import views as auth_views
    from portal.beneficiary import views as space_views
    from portal.booking import views as booking_views
    from portal.esign import views as esign_views
    from portal.livrables import views as livrable_views
    from portal.locator import views as locator_views
    from portal.mail import views as mail_views
    from portal.mediation import access_views as mediator_access_views
    from portal.mediation import letter_views as complaint_letter_views
    from portal.mediation import mediator_views
    from portal.mediation import staff_views as complaint_staff_views
    from portal.mediation import views as mediation_views
    from portal.privacy import views as privacy_views
    from portal.reporting import views as reporting_views
    from portal.satisfaction import views as satisfaction_views

    app.register_blueprint(i18n.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(locator_views.bp)
    app.register_blueprint(api.bp)
    features = (auth_views, booking_views, mail_views, manage, advisor_views, livrable_views)
    persons = (space_views, satisfaction_views, privacy_views, esign_views, mediation_views)
    for feature in (*features, complaint_staff_views, *persons):
        feature.init_app(app)
    # Issue 12: the mediator's workspace, the letters and files, the dossier's access, the
    # correspondant médiation and the referral's threads, the reports.
    from portal.mediation import correspondent_views, dialogue_views

    mediation_features = (mediator_views, complaint_letter_views, mediator_access_views)
    for feature in (*mediation_features, correspondent_views, dialogue_views, reporting_views):
        feature.init_app(app)
    from portal.agenda import views as agenda_views

    agenda_views.init_app(app)  # issue 14 §3: the advisor's week, moves and calendar feed
    from portal.reporting import steering_views

    steering_views.init_app(app)  # issue 15 §3: the national view and the lot's indicators
    from portal import subscribers

    subscribers.register()  # who reacts to the domain events, in order
    csrf.exempt(api.bp)  # no session, no cookie: the GETs and POST /verify change nothing
    cli.init_app(app)
    from portal import errors, security
    from portal.redact import mask_werkzeug_log

    security.init_app(app)  # security headers on every response
    errors.init_app(app)  # branded error pages, JSON errors on the API
    mask_werkzeug_log()  # no tokens in the development server's access log
    i18n.init_templates(app)
    return app

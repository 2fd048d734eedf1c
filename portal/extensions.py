"""Extension instances, bound to the application in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_sqlalchemy_lite import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from portal.htmx import htmx

db = SQLAlchemy()
csrf = CSRFProtect()
babel = Babel()

__all__ = ["babel", "csrf", "db", "htmx"]

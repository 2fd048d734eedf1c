"""The staff side of an operator: sites and hours, availability, waiting requests, delays.

One blueprint under /pro; each screen family lives in its own module.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("manage", __name__, url_prefix="/pro")


def init_app(app: Flask) -> None:
    from portal.manage import (  # noqa: F401  (they register their routes on bp)
        availability_views,
        home_views,
        indicator_views,
        mail_views,
        network_views,
        privacy_views,
        queue_views,
        staff_booking_views,
        uo0_views,
    )

    app.register_blueprint(bp)

    @app.context_processor
    def staff_navigation() -> dict[str, object]:
        from portal.manage.nav import STAFF_NAV, STAFF_NAV_SECTIONS

        return {"staff_nav": STAFF_NAV, "staff_nav_sections": STAFF_NAV_SECTIONS}

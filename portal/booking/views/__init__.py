"""Public booking: find a slot, book it, and move or cancel it with the signed link."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask
from flask_babel import gettext as _

from portal.booking.slots import operator_timezone
from portal.booking.views.messages import territory_name
from portal.i18n import format_time_short, long_date
from portal.network.models import Operator
from portal.orientation.labels import MOTIFS, motif_label
from portal.public.sealed import saved_answer
from portal.reference import motif_from
from portal.urls import public_base_url

bp = Blueprint("booking", __name__)


def init_app(app: Flask) -> None:
    from portal.booking.views import book, manage, search  # noqa: F401  (routes on bp)

    app.register_blueprint(bp)
    app.jinja_env.filters["local_moment"] = local_moment
    app.jinja_env.filters["long_moment"] = long_moment
    app.jinja_env.filters["territory_name"] = territory_name
    app.jinja_env.globals["front_door_motif"] = front_door_motif
    app.jinja_env.filters["motif_label"] = motif_label
    # The e-mails' own links to the portal: never the Host of the request (portal.urls).
    app.jinja_env.globals["public_base_url"] = public_base_url


def local_moment(value: datetime, operator: Operator) -> datetime:
    """A moment in the operator's own time zone (Réunion is UTC+4, Guadeloupe UTC-4…)."""
    return value.astimezone(operator_timezone(operator))


def long_moment(value: datetime) -> str:
    """« lundi 23 novembre 2026 à 9 h 00 »."""
    day, moment = long_date(value.date()), format_time_short(value.time())
    return str(_("%(day)s à %(time)s", day=day, time=moment))


def front_door_motif() -> tuple[str, str] | None:
    """The motive the person gave at the front door (kept in their sealed session answer) and
    its words, so that the booking form does not ask it again; None when they gave none."""
    given = motif_from(saved_answer().get("motif"))  # an answer sealed before 0022 too
    if given is None:
        return None
    return given.value, str(MOTIFS[given])

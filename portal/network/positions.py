"""Sites follow their commune's position when the gazetteer is rebuilt (issue 13 §1).

A site takes its commune's position when it is created or moves (`services.update_site`); a
database seeded with an older gazetteer keeps the older positions until
`flask cep reposition-sites` runs this once after a deployment.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.geo.gazetteer import Gazetteer
from portal.network.models import Site


def reposition_sites(session: Session, *, gazetteer: Gazetteer) -> int:
    """Give each site its commune's current position; return how many moved.

    A moved site's version is bumped, like any edit, so that whatever caches sites reloads it.
    Flushes, never commits. Sites of an unknown commune are left where they are.
    """
    moved = 0
    for site in session.scalars(select(Site).order_by(Site.id)):
        commune = gazetteer.by_insee(site.commune_insee)
        if commune is None:
            continue
        if (site.latitude, site.longitude) == (commune.latitude, commune.longitude):
            continue
        site.latitude, site.longitude = commune.latitude, commune.longitude
        session.execute(update(Site).where(Site.id == site.id).values(version=Site.version + 1))
        moved += 1
    session.flush()
    return moved

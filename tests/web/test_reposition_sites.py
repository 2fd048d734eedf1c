"""`flask cep reposition-sites`: after a gazetteer rebuild, sites take their commune's position."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.geo.gazetteer import get_gazetteer
from portal.network.models import Site
from portal.network.positions import reposition_sites


def test_a_site_left_on_an_old_position_moves_to_its_commune(session: Session) -> None:
    site = session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.id)).first()
    assert site is not None
    commune = get_gazetteer().by_insee(site.commune_insee)
    assert commune is not None
    version = site.version
    site.latitude, site.longitude = commune.latitude + 0.05, commune.longitude  # 5.5 km off
    session.flush()

    assert reposition_sites(session, gazetteer=get_gazetteer()) == 1
    session.expire(site)
    assert (site.latitude, site.longitude) == (commune.latitude, commune.longitude)
    assert site.version == version + 1
    assert reposition_sites(session, gazetteer=get_gazetteer()) == 0


def test_the_command_moves_nothing_on_a_network_seeded_with_this_gazetteer(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["cep", "reposition-sites"])
    assert result.exit_code == 0, result.output
    assert "sites repositioned=0" in result.output

"""The demo network is deterministic and realistic."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo import SITES_PER_LOT, pick_communes
from portal.geo.gazetteer import get_gazetteer
from portal.network.territory import LOT_BY_NUMBER


def test_site_communes_are_deterministic_within_the_region_and_spread_out() -> None:
    g = get_gazetteer()
    lot = LOT_BY_NUMBER[10]
    first = pick_communes(g, lot, SITES_PER_LOT[10])
    again = pick_communes(g, lot, SITES_PER_LOT[10])
    assert [c.insee for c in first] == [c.insee for c in again]
    assert len(first) == 45
    assert {c.region for c in first} == {"53"}
    assert {c.departement for c in first} == {"22", "29", "35", "56"}
    assert len({c.insee for c in first}) == 45
    # Each département's largest commune opens the list: Saint-Brieuc, Brest, Rennes, Lorient.
    assert [c.name for c in first[:4]] == ["Saint-Brieuc", "Brest", "Rennes", "Lorient"]


def test_every_lot_gets_its_sites() -> None:
    g = get_gazetteer()
    for number, count in SITES_PER_LOT.items():
        assert len(pick_communes(g, LOT_BY_NUMBER[number], count)) == count


def test_the_demo_has_a_france_competences_account_for_the_national_view(session: Session) -> None:

    from portal.demo.mediation import STEERING_EMAIL
    from portal.network.models import StaffMember, StaffRole

    member = session.scalar(select(StaffMember).where(StaffMember.email == STEERING_EMAIL))
    assert member is not None
    assert (member.role, member.operator_id) == (StaffRole.FRANCE_COMPETENCES, None)
